package reports

// Status is the outcome of one input row. The names are part of the outside
// contract (CONTRACT.md): scripts filter reports on them.
type Status string

// The statuses a row can end with. docs/report.md says when each happens.
const (
	// StatusSent: the server accepted the row.
	StatusSent Status = "sent"
	// StatusValid: a dry run found the row valid; nothing was sent.
	StatusValid Status = "valid"
	// StatusInvalid: the row failed local validation and was not sent.
	StatusInvalid Status = "invalid"
	// StatusDuplicate: the same lead appears earlier in the input.
	StatusDuplicate Status = "duplicate"
	// StatusRejected: the server refused this row.
	StatusRejected Status = "rejected"
	// StatusFailed: the row's request gave up after retries.
	StatusFailed Status = "failed"
	// StatusNotSent: the run stopped before the row was sent.
	StatusNotSent Status = "not_sent"
	// StatusAlreadySent: a resumed run found the row sent by the run it resumes.
	StatusAlreadySent Status = "already_sent"
	// StatusUnchanged: a --changed-only run found the same payload already
	// confirmed by an earlier run recorded in the state file.
	StatusUnchanged Status = "unchanged"
	// StatusSkipped: not a data row (a footer line after the data).
	StatusSkipped Status = "skipped"
)

// Statuses lists every status in the order summaries print them.
func Statuses() []Status {
	return []Status{StatusSent, StatusValid, StatusInvalid, StatusDuplicate,
		StatusRejected, StatusFailed, StatusNotSent, StatusAlreadySent,
		StatusUnchanged, StatusSkipped}
}

// Known tells whether s is one of Statuses.
func (s Status) Known() bool {
	switch s {
	case StatusSent, StatusValid, StatusInvalid, StatusDuplicate, StatusRejected,
		StatusFailed, StatusNotSent, StatusAlreadySent, StatusUnchanged, StatusSkipped:
		return true
	}
	return false
}

// Problem tells whether a row with this status needs attention: anything but
// the done statuses sent, valid, already_sent, unchanged and skipped. An
// unknown status is a problem, so a new status is never silently counted as
// done. Problem rows make the exit code 3 and fill the XLSX Problems sheet.
func (s Status) Problem() bool {
	switch s {
	case StatusSent, StatusValid, StatusAlreadySent, StatusUnchanged, StatusSkipped:
		return false
	}
	return true
}
