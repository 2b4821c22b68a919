package reports

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// Writer writes one report, row by row.
type Writer interface {
	// Write appends one row. Rows arrive in input order.
	Write(r RowResult) error
	// Finish completes the file and moves it into place atomically.
	Finish(s Summary) error
	// Abort removes the temporary file; the target is left as it was.
	// After Finish it does nothing, so it is safe to defer.
	Abort() error
}

// The writers Create returns.
var (
	_ Writer = (*csvWriter)(nil)
	_ Writer = (*jsonlWriter)(nil)
	_ Writer = (*xlsxWriter)(nil)
)

// Errors callers may test with errors.Is.
var (
	// ErrUnknownFormat: the report path's extension names no format.
	ErrUnknownFormat = errors.New("unknown report format")
	// ErrClosed: Write or Finish after Finish or Abort.
	ErrClosed = errors.New("report writer already finished or aborted")
	// ErrRowShape: a RowResult carries more original cells than the report
	// has original columns; writing it would drop data.
	ErrRowShape = errors.New("row does not fit the report's columns")
)

// Options tune a report. The zero value is the default.
type Options struct {
	// BOM starts a CSV report with a UTF-8 byte order mark, so Excel opens it
	// as UTF-8 and shows accents right (the CLI's --report-bom). JSONL and
	// XLSX reports ignore it.
	BOM bool
}

// Extensions lists the report formats Create accepts.
func Extensions() []string { return []string{".csv", ".jsonl", ".xlsx"} }

// Create is CreateWith with the default Options.
func Create(path string, original []string) (Writer, error) {
	return CreateWith(path, original, Options{})
}

// CreateWith opens a writer by the path's extension (.csv, .jsonl, .xlsx, in
// any letter case). original holds the input's column headers (union over
// the run's files, in first-seen order), written after the fixed columns
// under ReportColumn's names; RowResult.Original is aligned to it. A missing
// directory is created (0755 before the umask); the report is 0600.
func CreateWith(path string, original []string, opts Options) (Writer, error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".csv":
		return newCSVWriter(path, original, opts.BOM)
	case ".jsonl":
		return newJSONLWriter(path, original)
	case ".xlsx":
		return newXLSXWriter(path, original)
	}
	return nil, fmt.Errorf("report %s: %w %q (accepted: %s)", path, ErrUnknownFormat, ext,
		strings.Join(Extensions(), ", "))
}

// checkShape reports an error when r has more original cells than there are
// original columns; fewer cells are padded with "".
func checkShape(r *RowResult, nOriginal int) error {
	if len(r.Original) > nOriginal {
		return fmt.Errorf("%s row %d: %w: %d original cells, %d original columns",
			r.File, r.Row, ErrRowShape, len(r.Original), nOriginal)
	}
	return nil
}
