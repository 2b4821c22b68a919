package importer

import (
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
	// Lead is the mapped lead (for agents: its four agent fields).
	Lead wire.Lead
	// Payload is the lead's JSON, encoded once when the row is read: batching
	// measures it, and a split batch is rebuilt from it without re-encoding.
	Payload []byte
	// Message carries the row's warnings into the report.
	Message string
	// Extra holds values an action adds to the report (lead statistics).
	Extra []string

	attempts   int
	httpStatus int
	hash       state.Hash // of the payload, with --state
}
