package importer

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/xonvo/xonvo-import/mapping"
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
	// the next row). Payload may be scratch itself: valid until the next
	// row, so a sink that keeps the item copies it (keptItems). It is skipped in a dry run that writes no payloads,
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
	// Key names what the action does, stably, for the journal: a journal
	// of one action (or mode) is never resumed by another.
	Key() string
}

// attributesInOrder is an Action that reads a row's attributes only through
// mapping.Result.Attributes (encodeLead), never Lead.Attributes: its
// mappers leave the map out (mapping.BindOptions.AttributesInOrderOnly).
type attributesInOrder interface{ attributesInOrderOnly() }

// Mode says whether bulk leads are added or updated.
type Mode string

// The --mode values.
const (
	ModeAdd    Mode = "add"
	ModeUpdate Mode = "update"
)

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
