package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/wire"
)

// Action is what a run does with its valid rows: how a row becomes a request
// and how a group of rows is sent. Bulk actions batch many rows per request;
// the others send one request per row.
type Action interface {
	// Kind is the mapping kind the action's rows are validated as.
	Kind() mapping.Kind
	// Prepare checks what the action needs beyond the mapping and fills the
	// item's request data. A non-empty result is the row's invalid message.
	Prepare(res *mapping.Result, it *Item) string
	// Encode fills it.Payload when the action's requests carry the row's
	// JSON, using scratch as working space (returned, possibly grown, for
	// the next row). It is skipped in a dry run that writes no payloads,
	// where the encoding would be wasted work on the hot path.
	Encode(it *Item, scratch []byte) ([]byte, error)
	// Batched reports whether rows of one account share a request.
	Batched() bool
	// Body returns the exact request body for items (nil when the request
	// has none); it is what --payloads writes.
	Body(items []*Item) []byte
	// Send makes one request for items, whose body Body built.
	Send(ctx context.Context, items []*Item, body []byte) error
	// ExtraColumns names the report columns the action adds (or nil).
	ExtraColumns() []string
}

// Mode says whether bulk leads are added or updated.
type Mode string

// The --mode values.
const (
	ModeAdd    Mode = "add"
	ModeUpdate Mode = "update"
)

// BulkLeads sends leads through POST or PUT /leads/bulk, grouped by account.
type BulkLeads struct {
	Client *client.Client
	Mode   Mode
}

// Kind implements Action.
func (BulkLeads) Kind() mapping.Kind { return mapping.KindLead }

// Batched implements Action.
func (BulkLeads) Batched() bool { return true }

// ExtraColumns implements Action.
func (BulkLeads) ExtraColumns() []string { return nil }

// Prepare implements Action.
func (BulkLeads) Prepare(res *mapping.Result, it *Item) string { return prepareLead(res, it) }

// Encode implements Action: the lead is encoded once, here, into an
// exactly sized payload. The lead itself is then dropped: a batch keeps only
// its bytes, which gives the garbage collector far fewer pointers to chase
// while thousands of rows wait in open batches.
func (BulkLeads) Encode(it *Item, scratch []byte) ([]byte, error) {
	scratch = wire.AppendLeadJSON(scratch[:0], &it.Lead)
	it.Payload = bytes.Clone(scratch)
	it.Lead = wire.Lead{}
	return scratch, nil
}

// Body implements Action: {"leadsByAccountId":{"<account>":[lead,...]}}.
func (BulkLeads) Body(items []*Item) []byte {
	n := 48 + len(items[0].AccountID)
	for _, it := range items {
		n += len(it.Payload) + 1
	}
	b := make([]byte, 0, n)
	b = append(b, `{"leadsByAccountId":{`...)
	key, _ := json.Marshal(items[0].AccountID)
	b = append(b, key...)
	b = append(b, ":["...)
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it.Payload...)
	}
	return append(b, "]}}"...)
}

// Send implements Action.
func (a BulkLeads) Send(ctx context.Context, _ []*Item, body []byte) error {
	if a.Mode == ModeUpdate {
		return a.Client.PutLeadsBulkJSON(ctx, body)
	}
	return a.Client.PostLeadsBulkJSON(ctx, body)
}

// SingleLeads sends each lead with POST /lead, for credentials without bulk
// access.
type SingleLeads struct {
	Client *client.Client
}

// Kind implements Action.
func (SingleLeads) Kind() mapping.Kind { return mapping.KindLead }

// Batched implements Action.
func (SingleLeads) Batched() bool { return false }

// ExtraColumns implements Action.
func (SingleLeads) ExtraColumns() []string { return nil }

// Prepare implements Action.
func (SingleLeads) Prepare(res *mapping.Result, it *Item) string { return prepareLead(res, it) }

// Encode implements Action.
func (SingleLeads) Encode(it *Item, scratch []byte) ([]byte, error) {
	scratch = wire.AppendLeadJSON(scratch[:0], &it.Lead)
	it.Payload = bytes.Clone(scratch)
	return scratch, nil
}

// Body implements Action: the lead itself.
func (SingleLeads) Body(items []*Item) []byte { return items[0].Payload }

// Send implements Action.
func (a SingleLeads) Send(ctx context.Context, items []*Item, _ []byte) error {
	return a.Client.AddLead(ctx, items[0].Lead)
}

func prepareLead(res *mapping.Result, it *Item) string {
	if it.AccountID == "" {
		return "account id is empty"
	}
	it.Lead = res.Lead
	return ""
}

func encodeJSON(it *Item, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("row %d cannot be encoded as JSON: %w", it.Row, err)
	}
	it.Payload = b
	return nil
}

// noPayload is embedded by actions whose requests carry no row JSON.
type noPayload struct{}

// Encode implements Action.
func (noPayload) Encode(_ *Item, scratch []byte) ([]byte, error) { return scratch, nil }

// Agents sends each row with POST /agent.
type Agents struct {
	Client *client.Client
}

// Kind implements Action.
func (Agents) Kind() mapping.Kind { return mapping.KindAgent }

// Batched implements Action.
func (Agents) Batched() bool { return false }

// ExtraColumns implements Action.
func (Agents) ExtraColumns() []string { return nil }

// Prepare implements Action.
func (Agents) Prepare(res *mapping.Result, it *Item) string {
	it.Lead = res.Lead
	return ""
}

// Encode implements Action.
func (Agents) Encode(it *Item, scratch []byte) ([]byte, error) {
	agent := wire.AgentOf(&it.Lead)
	return scratch, encodeJSON(it, &agent)
}

// Body implements Action.
func (Agents) Body(items []*Item) []byte { return items[0].Payload }

// Send implements Action.
func (a Agents) Send(ctx context.Context, items []*Item, _ []byte) error {
	return a.Client.AddAgent(ctx, wire.AgentOf(&items[0].Lead))
}

// LeadOp is one of the per-lead state changes.
type LeadOp string

// The per-lead operations of `leads unsubscribe|stop|reset`.
const (
	OpUnsubscribe LeadOp = "unsubscribe"
	OpStop        LeadOp = "stop"
	OpReset       LeadOp = "reset"
)

// LeadOps changes one lead's state per row: unsubscribe goes by account +
// external id where both are present, else by phone; stop and reset need
// account + external id.
type LeadOps struct {
	noPayload
	Client *client.Client
	Op     LeadOp
}

// Kind implements Action.
func (LeadOps) Kind() mapping.Kind { return mapping.KindKeys }

// Batched implements Action.
func (LeadOps) Batched() bool { return false }

// ExtraColumns implements Action.
func (LeadOps) ExtraColumns() []string { return nil }

// Prepare implements Action.
func (a LeadOps) Prepare(_ *mapping.Result, it *Item) string {
	if it.AccountID != "" && it.ExternalID != "" {
		return ""
	}
	if a.Op == OpUnsubscribe {
		if it.Phone != "" {
			return ""
		}
		return "needs account + external id, or a phone"
	}
	return missingKeys(it)
}

func missingKeys(it *Item) string {
	var missing []string
	if it.AccountID == "" {
		missing = append(missing, "account id")
	}
	if it.ExternalID == "" {
		missing = append(missing, "external id")
	}
	return "needs " + strings.Join(missing, " and ")
}

// Body implements Action: these requests carry none.
func (LeadOps) Body([]*Item) []byte { return nil }

// Send implements Action.
func (a LeadOps) Send(ctx context.Context, items []*Item, _ []byte) error {
	it := items[0]
	switch {
	case a.Op == OpStop:
		return a.Client.StopLead(ctx, it.AccountID, it.ExternalID)
	case a.Op == OpReset:
		return a.Client.ResetLead(ctx, it.AccountID, it.ExternalID)
	case it.AccountID != "" && it.ExternalID != "":
		return a.Client.UnsubscribeLead(ctx, it.AccountID, it.ExternalID)
	default:
		return a.Client.UnsubscribeByPhone(ctx, it.Phone)
	}
}

// LeadStats fetches the statistics of each account + external id and puts
// them in the report's extra columns.
type LeadStats struct {
	noPayload
	Client *client.Client
}

// Kind implements Action.
func (LeadStats) Kind() mapping.Kind { return mapping.KindKeys }

// Batched implements Action.
func (LeadStats) Batched() bool { return false }

// ExtraColumns implements Action.
func (LeadStats) ExtraColumns() []string {
	return []string{"delivered_count", "qualified", "last_delivered_time"}
}

// Prepare implements Action.
func (LeadStats) Prepare(_ *mapping.Result, it *Item) string {
	if it.AccountID != "" && it.ExternalID != "" {
		return ""
	}
	return missingKeys(it)
}

// Body implements Action.
func (LeadStats) Body([]*Item) []byte { return nil }

// Send implements Action.
func (a LeadStats) Send(ctx context.Context, items []*Item, _ []byte) error {
	it := items[0]
	st, err := a.Client.LeadStatistics(ctx, it.AccountID, it.ExternalID)
	if err != nil {
		return err
	}
	it.Extra = []string{fmt.Sprint(st.DeliveredCount), fmt.Sprint(st.Qualified), st.LastDeliveredTime}
	return nil
}
