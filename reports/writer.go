package reports

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
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

// Extensions lists the report formats Create accepts.
func Extensions() []string { return []string{".csv", ".jsonl", ".xlsx"} }

// Create opens a writer by the path's extension (.csv, .jsonl, .xlsx, in any
// letter case). original holds the input's column headers (union over the
// run's files, in first-seen order), written after the fixed columns;
// RowResult.Original is aligned to it.
func Create(path string, original []string) (Writer, error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".csv":
		return newCSVWriter(path, original)
	case ".jsonl":
		return newJSONLWriter(path, original)
	case ".xlsx":
		return newXLSXWriter(path, original)
	}
	return nil, fmt.Errorf("report %s: %w %q (accepted: %s)", path, ErrUnknownFormat, ext,
		strings.Join(Extensions(), ", "))
}

// Header returns the report's header row: the fixed columns, then original.
func Header(original []string) []string {
	h := make([]string, 0, len(FixedColumns())+len(original))
	h = append(h, FixedColumns()...)
	return append(h, original...)
}

// Collisions returns the original headers that equal a fixed column name
// case-insensitively after trimming spaces. Feeding such a report back with
// the same mapping works only when the mapping spells the header exactly as
// the input does and that spelling differs from the fixed name; otherwise the
// mapping reports an ambiguous column. See the package doc.
func Collisions(original []string) []string {
	var out []string
	for _, h := range original {
		t := strings.TrimSpace(h)
		for _, f := range FixedColumns() {
			if strings.EqualFold(t, f) {
				out = append(out, h)
				break
			}
		}
	}
	return out
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

// neutralise prefixes a cell a spreadsheet would run as a formula with '.
func neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// fillCells lays r out as one CSV record: the fixed columns, then the
// original cells, padded, every text neutralised.
func fillCells(cells []string, r *RowResult) {
	cells[0] = neutralise(r.File)
	cells[1] = strconv.Itoa(r.Row)
	cells[2] = neutralise(string(r.Status))
	cells[3] = neutralise(r.Message)
	cells[4] = neutralise(r.AccountID)
	cells[5] = neutralise(r.ExternalID)
	cells[6] = neutralise(r.Phone)
	cells[7] = strconv.Itoa(r.HTTPStatus)
	cells[8] = strconv.Itoa(r.Attempts)
	orig := cells[len(FixedColumns()):]
	n := copy(orig, r.Original)
	for i := range orig[:n] {
		orig[i] = neutralise(orig[i])
	}
	clear(orig[n:])
}
