package importer

import (
	"context"
	"encoding/json"
	"maps"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/wire"
)

// BulkLeads sends leads through POST or PUT /leads/bulk, grouped by account.
type BulkLeads struct {
	Client *client.Client
	Mode   Mode
}

// Kind implements Action.
func (BulkLeads) Kind() mapping.Kind { return mapping.KindLead }

// Key implements Action: leads.bulk.add or leads.bulk.update.
func (a BulkLeads) Key() string {
	if a.Mode == ModeUpdate {
		return "leads.bulk.update"
	}
	return "leads.bulk.add"
}

// Batched implements Action.
func (BulkLeads) Batched() bool { return true }

// ExtraColumns implements Action.
func (BulkLeads) ExtraColumns() []string { return nil }

// Prepare implements Action.
func (BulkLeads) Prepare(res *mapping.Result, it *Item) string { return prepareLead(res, it) }

// Encode implements Action: the lead is encoded once, here; the sink keeps
// a copy of the bytes. The lead itself is then dropped: a batch keeps only
// its bytes, which gives the garbage collector far fewer pointers to chase
// while thousands of rows wait in open batches.
func (BulkLeads) Encode(it *Item, scratch []byte) ([]byte, error) {
	scratch = encodeLead(scratch, it)
	it.Payload = scratch // the sink copies what it keeps
	it.Lead = nil        // lent by the mapping stage: its chunk is reused
	return scratch, nil
}

// attributesInOrderOnly implements attributesInOrder: the lead is only
// encoded, by encodeLead, from the mapping Prepare lends.
func (BulkLeads) attributesInOrderOnly() {}

// Body implements Action: {"leadsByAccountId":{"<account>":[lead,...]}}.
// A whole batch's body is joined by the batcher as its rows come (Head,
// Tail); Body builds one for a part of a batch (a split).
func (a BulkLeads) Body(items []*Item) []byte {
	head, tail := a.Head(items[0].AccountID), a.Tail()
	n := len(head) + len(tail)
	for _, it := range items {
		n += len(it.Payload) + 1
	}
	b := append(make([]byte, 0, n), head...)
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it.Payload...)
	}
	return append(b, tail...)
}

// Head is the start of a bulk body for account key, up to its first lead.
func (BulkLeads) Head(key string) []byte {
	quoted, _ := json.Marshal(key)
	b := append([]byte(`{"leadsByAccountId":{`), quoted...)
	return append(b, ":["...)
}

// Tail ends a bulk body after its last lead.
func (BulkLeads) Tail() []byte { return []byte("]}}") }

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

// Key implements Action.
func (SingleLeads) Key() string { return "leads.add" }

// Batched implements Action.
func (SingleLeads) Batched() bool { return false }

// ExtraColumns implements Action.
func (SingleLeads) ExtraColumns() []string { return nil }

// Prepare implements Action: POST /lead names no account.
func (SingleLeads) Prepare(res *mapping.Result, it *Item) string {
	it.Lead, it.mapped = ownLead(res), res
	return ""
}

// Encode implements Action.
func (SingleLeads) Encode(it *Item, scratch []byte) ([]byte, error) {
	scratch = encodeLead(scratch, it)
	it.Payload = scratch // the sink copies what it keeps
	return scratch, nil
}

// Body implements Action: the lead itself.
func (SingleLeads) Body(items []*Item) []byte { return items[0].Payload }

// Send implements Action.
func (a SingleLeads) Send(ctx context.Context, items []*Item, _ []byte) error {
	return a.Client.AddLead(ctx, *items[0].Lead)
}

// prepareLead lends the item the mapped lead, for Encode to encode before
// the mapping stage moves on: the batch keeps only the bytes.
func prepareLead(res *mapping.Result, it *Item) string {
	if it.AccountID == "" {
		return "account id is empty"
	}
	it.Lead, it.mapped = &res.Lead, res
	return ""
}

// encodeLead encodes it.Lead into scratch, its attributes as the mapping
// holds them in order (Lead.Attributes is nil when the mapper was bound for
// attributesInOrder), and ends the loan of it.mapped.
func encodeLead(scratch []byte, it *Item) []byte {
	m := it.mapped
	it.mapped = nil // the mapping stage refills it for a later row
	if m != nil {
		if keys, values, ok := m.Attributes(); ok {
			return wire.AppendLeadJSONAttrs(scratch[:0], it.Lead, keys, values)
		}
	}
	return wire.AppendLeadJSON(scratch[:0], it.Lead)
}

// ownLead is a copy of the mapped lead for an item that keeps it past the
// mapping stage, which refills res (and its attributes map) for the next row.
func ownLead(res *mapping.Result) *wire.Lead {
	l := res.Lead
	l.Attributes = maps.Clone(l.Attributes)
	return &l
}
