package reports

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Sheet names of an XLSX report.
const (
	SheetReport   = "Report"
	SheetProblems = "Problems"
	SheetSummary  = "Summary"
)

const (
	widthSampleRows = 1000 // rows measured before column widths are fixed
	maxColumnWidth  = 60   // characters; longer cells wrap off-screen instead
	minColumnWidth  = 6
	fillProblem     = "FFC7CE" // Excel's "Bad" light red
	fillWarning     = "FFEB9C" // Excel's "Neutral" light yellow
)

// rowKind chooses a row's fill.
type rowKind int

const (
	rowOK      rowKind = iota
	rowWarning         // a done status, with a message
	rowProblem         // a problem status; also copied to the Problems sheet
)

func kindOf(status Status, message string) rowKind {
	switch {
	case status.Problem():
		return rowProblem
	case message != "":
		return rowWarning
	}
	return rowOK
}

// pendingRow is a row held back until the column widths are known: excelize
// streams need widths before the first row.
type pendingRow struct {
	vals []any
	kind rowKind
}

// xlsxWriter streams the report with excelize so memory stays flat: the
// stream writers keep 16 MiB each in memory and spill the rest to scratch
// files in the report's private scratch directory.
type xlsxWriter struct {
	af       *atomicFile
	f        *excelize.File
	header   []string
	nOrig    int
	report   *xlsxSheet
	problems *xlsxSheet
	bold     int
	warn     int
	bad      int
	widths   []int // nil until fixed
	measure  []int // longest line per column while sampling
	pending  []pendingRow
	vals     []any // reused per row once widths are fixed
	maxRows  int   // rows per sheet, header included; tests lower it
	now      func() time.Time
}

func newXLSXWriter(path string, original []string) (_ *xlsxWriter, err error) {
	af, err := createAtomic(path, reportPerm)
	if err != nil {
		return nil, err
	}
	spill, err := af.spillDir()
	if err != nil {
		_ = af.abort()
		return nil, err
	}
	f := excelize.NewFile(excelize.Options{TmpDir: spill})
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = af.abort()
		}
	}()
	w := &xlsxWriter{af: af, f: f, nOrig: len(original), maxRows: excelize.TotalRows, now: time.Now}
	// Header cells are string cells like every text: nothing to neutralise.
	// A header too long for a cell is cut like any cell (there is no row
	// message to warn in; 32,767-character headers do not happen).
	w.header = Header(original)
	for i, h := range w.header {
		w.header[i], _ = cutCell(h)
	}
	w.measure = make([]int, len(w.header))
	for i, h := range w.header {
		w.measure[i] = cellWidth(h) + 2 // the filter button takes room
	}
	if err := f.SetSheetName("Sheet1", SheetReport); err != nil {
		return nil, fmt.Errorf("xlsx report %s: %w", path, err)
	}
	if w.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return nil, fmt.Errorf("xlsx report %s: %w", path, err)
	}
	if w.warn, err = f.NewStyle(fillStyle(fillWarning)); err != nil {
		return nil, fmt.Errorf("xlsx report %s: %w", path, err)
	}
	if w.bad, err = f.NewStyle(fillStyle(fillProblem)); err != nil {
		return nil, fmt.Errorf("xlsx report %s: %w", path, err)
	}
	if w.report, err = w.openSheet(SheetReport, 1, false); err != nil {
		return nil, err
	}
	if w.problems, err = w.openSheet(SheetProblems, 1, true); err != nil {
		return nil, err
	}
	return w, nil
}

func fillStyle(color string) *excelize.Style {
	return &excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}}
}

func (w *xlsxWriter) Write(r RowResult) error {
	if w.af.done {
		return ErrClosed
	}
	if err := checkShape(&r, w.nOrig); err != nil {
		return err
	}
	vals := w.vals
	if w.widths == nil {
		vals = make([]any, len(w.header)) // kept until the widths are fixed
	}
	message := fillXLSX(vals, &r, w.header)
	kind := kindOf(r.Status, message)
	if w.widths != nil {
		return w.writeRow(vals, kind)
	}
	for i, v := range vals {
		w.measure[i] = max(w.measure[i], valueWidth(v))
	}
	w.pending = append(w.pending, pendingRow{vals: vals, kind: kind})
	if len(w.pending) >= widthSampleRows {
		return w.fixWidths()
	}
	return nil
}

// Finish ends both streams, adds the Summary sheet and moves the workbook
// into place.
func (w *xlsxWriter) Finish(s Summary) (err error) {
	if w.af.done {
		return ErrClosed
	}
	defer func() {
		if err != nil {
			_ = w.Abort()
		}
	}()
	if w.widths == nil {
		if err := w.fixWidths(); err != nil {
			return err
		}
	}
	if err := w.endSheet(w.report); err != nil {
		return err
	}
	if err := w.endSheet(w.problems); err != nil {
		return err
	}
	if err := w.writeSummary(s); err != nil {
		return err
	}
	// excelize's Write assembles the whole zip in a bytes.Buffer before
	// copying it out, which for a million rows costs hundreds of MiB. Its
	// zip-writer hook lets the archive go straight to the temporary file;
	// the buffer it hands over stays empty, and unexpectedBytes makes sure of it.
	w.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w.af) })
	if err := w.f.Write(unexpectedBytes{}); err != nil {
		return fmt.Errorf("xlsx report %s: write workbook: %w", w.af.target, err)
	}
	closeErr := w.f.Close() // removes excelize's scratch files
	if err := w.af.commit(); err != nil {
		return err
	}
	if closeErr != nil {
		return fmt.Errorf("xlsx report %s: clean up: %w", w.af.target, closeErr)
	}
	return nil
}

// unexpectedBytes fails any write: the workbook must reach the file through
// the zip writer alone.
type unexpectedBytes struct{}

func (unexpectedBytes) Write(p []byte) (int, error) {
	return 0, fmt.Errorf("%w: %d bytes outside the zip writer", errWorkbookBypass, len(p))
}

var errWorkbookBypass = errors.New("excelize wrote the workbook around the zip writer")

func (w *xlsxWriter) Abort() error {
	if w.af.done {
		return nil
	}
	closeErr := w.f.Close()
	if err := w.af.abort(); err != nil {
		return err
	}
	if closeErr != nil {
		return fmt.Errorf("xlsx report %s: clean up: %w", w.af.target, closeErr)
	}
	return nil
}
