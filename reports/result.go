package reports

// Status is the outcome of one input row. The names are part of the outside
// contract (CONTRACT.md): scripts filter reports on them.
type Status string

// The statuses a row can end with.
const (
	StatusSent        Status = "sent"
	StatusValid       Status = "valid"
	StatusInvalid     Status = "invalid"
	StatusDuplicate   Status = "duplicate"
	StatusRejected    Status = "rejected"
	StatusFailed      Status = "failed"
	StatusNotSent     Status = "not_sent"
	StatusAlreadySent Status = "already_sent"
)

// Statuses lists every status in the order summaries print them.
func Statuses() []Status {
	return []Status{StatusSent, StatusValid, StatusInvalid, StatusDuplicate,
		StatusRejected, StatusFailed, StatusNotSent, StatusAlreadySent}
}

// RowResult is what became of one data row. Every row that enters a run
// leaves as exactly one RowResult.
type RowResult struct {
	File       string // input file name as given on the command line
	Row        int    // row number as a spreadsheet shows it (header = 1)
	Status     Status
	Message    string // why, in words; warnings too for rows that were sent
	AccountID  string
	ExternalID string
	Phone      string
	HTTPStatus int // last HTTP status seen for this row's request, 0 if none
	Attempts   int // HTTP attempts made for this row's request(s)
	// Original holds the input row's cells aligned to the writer's
	// original-column headers (see Create); missing cells are "".
	Original []string
}

// FixedColumns returns the report's first columns, in contract order.
func FixedColumns() []string {
	return []string{"file", "row", "status", "message", "account_id",
		"external_id", "phone", "http_status", "attempts"}
}
