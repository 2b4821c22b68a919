package reports

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

// nFixed is len(FixedColumns()), for the per-row paths that must not build
// the slice.
const nFixed = 9

// FixedColumns returns the report's first columns, in contract order.
func FixedColumns() []string {
	return []string{"file", "row", "status", "message", "account_id",
		"external_id", "phone", "http_status", "attempts"}
}
