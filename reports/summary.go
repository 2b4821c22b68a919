package reports

import (
	"sort"
	"time"

	"github.com/xonvo/xonvo-import/internal/numfmt"
)

// Summary is the account of one run: what was read, what became of the
// rows, what was sent, and how the run ended. A run that failed before
// reading anything still has one (no rows; Stopped, StopDetail and ExitCode
// say why), so --summary-json is written on every run.
type Summary struct {
	// Files are the inputs as given on the command line.
	Files []string
	// Inputs are the inputs read, in order, with the sheet read and the
	// header row (see InputInfo). Empty when the caller only knows Files.
	Inputs []InputInfo
	// FilesSkipped are inputs not read because an earlier run imported them.
	FilesSkipped []SkippedFile
	// ColumnsAdded and ColumnsRemoved are the header drift since the last
	// run recorded in the state file, in header order.
	ColumnsAdded   []string
	ColumnsRemoved []string

	DryRun   bool
	Counts   map[Status]int64 // rows per status
	Rows     int64            // data rows that entered the run
	Requests int64
	Retries  int64
	Resends  int64 // requests sent again after no response came (may have been applied)
	Splits   int64
	Bytes    int64 // request body bytes sent
	// RequestCodes counts HTTP attempts by outcome: the status code ("200",
	// "429", "503") or "error" when no response came.
	RequestCodes map[string]int64
	BytesRead    int64 // input bytes read
	Duration     time.Duration

	// Removed counts the leads recorded in the state file but absent from
	// this run's input; RemovedList is the file listing them
	// (REPORT.removed.csv, see RemovedListPath), RemovedAction what was done
	// with them and RemovedActed for how many the stop or unsubscribe call
	// succeeded.
	Removed       int64
	RemovedList   string
	RemovedAction RemovedAction
	RemovedActed  int64

	// Stopped says why the run ended early, StopNone if it did not.
	Stopped StopReason
	// StopDetail is the error message that stopped the run, if any.
	StopDetail string
	// ExitCode is the process's exit code; the CLI sets it before writing
	// the summary. The XLSX report's Summary sheet, written earlier, has none.
	ExitCode int
}

// InputInfo is one input as the run read it.
type InputInfo struct {
	File string
	// Sheet is the XLSX sheet read; "" for delimited text.
	Sheet string
	// HeaderRow is the row number of the header line as a spreadsheet shows
	// it; 0 means 1.
	HeaderRow int
	// Rows counts the data rows read from this input.
	Rows int64
}

// headerRow is HeaderRow with 0 read as 1.
func (in InputInfo) headerRow() int { return max(in.HeaderRow, 1) }

// SkippedFile is an input not read, and why.
type SkippedFile struct {
	File   string
	Reason string // e.g. "imported by the run of 2025-03-04T05:06:07Z (same content)"
}

// RemovedAction is what a run did with its removed leads (--on-removed).
type RemovedAction string

// The --on-removed actions.
const (
	// RemovedReport: the removed leads were listed, nothing more.
	RemovedReport RemovedAction = "report"
	// RemovedStop: each removed lead was stopped.
	RemovedStop RemovedAction = "stop"
	// RemovedUnsubscribe: each removed lead was unsubscribed.
	RemovedUnsubscribe RemovedAction = "unsubscribe"
)

// RowsPerSecond is Rows over Duration, 0 when no time was measured.
func (s Summary) RowsPerSecond() float64 {
	if s.Duration <= 0 {
		return 0
	}
	return float64(s.Rows) / s.Duration.Seconds()
}

// statusCounts returns every known status (zero counts too, so the output has
// a stable shape) followed by any unknown status found in Counts, sorted.
func (s Summary) statusCounts() ([]Status, map[Status]int64) {
	order := Statuses()
	var extra []Status
	for st := range s.Counts {
		if !st.Known() {
			extra = append(extra, st)
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i] < extra[j] })
	return append(order, extra...), s.Counts
}

// removedText describes what was done with the removed leads, "" when
// nothing is known of them.
func (s Summary) removedText() string {
	if s.Removed == 0 && s.RemovedList == "" && s.RemovedAction == "" {
		return ""
	}
	t := numfmt.Group(s.Removed)
	switch s.RemovedAction {
	case "":
	case RemovedReport:
		t += "; listed only (--on-removed report)"
	case RemovedStop:
		t += "; stopped: " + numfmt.Group(s.RemovedActed) + " of " + numfmt.Group(s.Removed)
	case RemovedUnsubscribe:
		t += "; unsubscribed: " + numfmt.Group(s.RemovedActed) + " of " + numfmt.Group(s.Removed)
	default:
		t += "; " + string(s.RemovedAction) + ": " + numfmt.Group(s.RemovedActed) + " of " + numfmt.Group(s.Removed)
	}
	if s.RemovedList != "" {
		t += "; list: " + s.RemovedList
	}
	return t
}
