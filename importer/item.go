package importer

import (
	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/state"
	"github.com/xonvo/xonvo-import/wire"
)

// Item is one valid row on its way to the API.
type Item struct {
	seq      int64
	fileIdx  int
	File     string
	Row      int
	Original []string

	AccountID  string
	ExternalID string
	Phone      string
	// Lead is the mapped lead (for agents: its four agent fields), for the
	// actions that send it after mapping (SingleLeads, Agents): their own
	// copy. BulkLeads encodes the lead the mapping stage lends it and keeps
	// only the bytes, so a queued row costs 248 bytes less (an Item is
	// copied to the heap for every row an import sends).
	Lead *wire.Lead
	// mapped is the row's mapping, lent by the mapping stage to Encode only:
	// the encoder reads the lead's attributes from it (Result.Attributes).
	mapped *mapping.Result
	// Payload is the lead's JSON, encoded once when the row is read: batching
	// measures it, and a split batch is rebuilt from it without re-encoding.
	Payload []byte
	// Message carries the row's warnings into the report.
	Message string
	// Extra holds values an action adds to the report (lead statistics).
	Extra []string

	// block is where the API sink cut the item (nil elsewhere): it is
	// refilled once all its items are finished (releaseItem).
	block *itemBlock

	attempts   int
	httpStatus int
	hash       state.Hash // of the payload, with --state
}
