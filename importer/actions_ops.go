package importer

import (
	"context"
	"fmt"
	"strings"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/mapping"
)

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

// Key implements Action: leads.unsubscribe, leads.stop or leads.reset.
func (a LeadOps) Key() string { return "leads." + string(a.Op) }

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

// Key implements Action.
func (LeadStats) Key() string { return "stats.leads" }

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
