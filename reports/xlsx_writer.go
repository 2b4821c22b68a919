package reports

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strconv"
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
	rowWarning         // sent, valid or already_sent, with a message
	rowProblem         // any other status; also copied to the Problems sheet
)

func kindOf(r *RowResult) rowKind {
	switch {
	case isProblem(r.Status):
		return rowProblem
	case r.Message != "":
		return rowWarning
	}
	return rowOK
}

// xlsxSheet is one streamed sheet; when it reaches Excel's row limit the
// writer continues in a new sheet named "<base> (n)".
type xlsxSheet struct {
	base string
	part int
	name string
	sw   *excelize.StreamWriter
	row  int // last row written
}

// pendingRow is a row held back until the column widths are known: excelize
// streams need widths before the first row.
type pendingRow struct {
	cells []string
	kind  rowKind
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
	cells    []string // reused per row once widths are fixed
	vals     []any    // reused per row
	maxRows  int      // rows per sheet, header included; tests lower it
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
	w.header = Header(original)
	for i := range w.header {
		w.header[i] = neutralise(w.header[i])
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
	w.vals = make([]any, len(w.header))
	return w, nil
}

func fillStyle(color string) *excelize.Style {
	return &excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}}
}

// openSheet creates (unless it exists) and starts streaming sheet part n of
// base. When the widths are already known it also writes the sheet's layout
// and header.
func (w *xlsxWriter) openSheet(base string, part int, create bool) (*xlsxSheet, error) {
	name := base
	if part > 1 {
		name = base + " (" + strconv.Itoa(part) + ")"
	}
	if create {
		if _, err := w.f.NewSheet(name); err != nil {
			return nil, fmt.Errorf("xlsx report %s: add sheet %q: %w", w.af.target, name, err)
		}
	}
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("xlsx report %s: stream sheet %q: %w", w.af.target, name, err)
	}
	s := &xlsxSheet{base: base, part: part, name: name, sw: sw}
	if w.widths != nil {
		if err := w.startSheet(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// startSheet writes what must precede the rows: widths, the frozen header
// pane, the bold header.
func (w *xlsxWriter) startSheet(s *xlsxSheet) error {
	for i, width := range w.widths {
		if err := s.sw.SetColWidth(i+1, i+1, float64(width)); err != nil {
			return fmt.Errorf("xlsx report %s: width of column %d: %w", w.af.target, i+1, err)
		}
	}
	panes := &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}
	if err := s.sw.SetPanes(panes); err != nil {
		return fmt.Errorf("xlsx report %s: freeze header: %w", w.af.target, err)
	}
	return w.setRow(s, w.header, w.bold)
}

func (w *xlsxWriter) setRow(s *xlsxSheet, cells []string, style int) error {
	for i, c := range cells {
		w.vals[i] = c // strings only: excelize writes them as text, no guessing
	}
	s.row++
	if err := s.sw.SetRow("A"+strconv.Itoa(s.row), w.vals, excelize.RowOpts{StyleID: style}); err != nil {
		return fmt.Errorf("xlsx report %s: sheet %q row %d: %w", w.af.target, s.name, s.row, err)
	}
	return nil
}

// endSheet adds the autofilter over the used range and ends the stream.
func (w *xlsxWriter) endSheet(s *xlsxSheet) error {
	last, err := excelize.CoordinatesToCellName(len(w.header), max(s.row, 1))
	if err != nil {
		return fmt.Errorf("xlsx report %s: %w", w.af.target, err)
	}
	// AutoFilter updates the worksheet the stream writer holds; Flush then
	// writes it after the rows, so it must come first.
	if err := w.f.AutoFilter(s.name, "A1:"+last, nil); err != nil {
		return fmt.Errorf("xlsx report %s: autofilter on %q: %w", w.af.target, s.name, err)
	}
	if err := s.sw.Flush(); err != nil {
		return fmt.Errorf("xlsx report %s: finish sheet %q: %w", w.af.target, s.name, err)
	}
	return nil
}

// writeTo appends a data row, continuing in a new sheet at the row limit.
// New sheets go last: MoveSheet and SetActiveSheet would make excelize load
// every finished stream back into memory, so sheets stay in creation order
// and the Report sheet stays active by being first.
func (w *xlsxWriter) writeTo(s *xlsxSheet, cells []string, style int) (*xlsxSheet, error) {
	if s.row >= w.maxRows {
		if err := w.endSheet(s); err != nil {
			return nil, err
		}
		next, err := w.openSheet(s.base, s.part+1, true)
		if err != nil {
			return nil, err
		}
		s = next
	}
	return s, w.setRow(s, cells, style)
}

func (w *xlsxWriter) writeRow(cells []string, kind rowKind) error {
	style := 0
	switch kind {
	case rowWarning:
		style = w.warn
	case rowProblem:
		style = w.bad
	}
	var err error
	if w.report, err = w.writeTo(w.report, cells, style); err != nil {
		return err
	}
	if kind == rowProblem {
		if w.problems, err = w.writeTo(w.problems, cells, style); err != nil {
			return err
		}
	}
	return nil
}

// fixWidths ends sampling: it sets the widths, starts both sheets and writes
// the rows held back.
func (w *xlsxWriter) fixWidths() error {
	w.widths = make([]int, len(w.measure))
	for i, m := range w.measure {
		w.widths[i] = min(max(m+1, minColumnWidth), maxColumnWidth)
	}
	w.measure = nil
	for _, s := range []*xlsxSheet{w.report, w.problems} {
		if err := w.startSheet(s); err != nil {
			return err
		}
	}
	for _, p := range w.pending {
		if err := w.writeRow(p.cells, p.kind); err != nil {
			return err
		}
	}
	w.pending = nil
	w.cells = make([]string, len(w.header))
	return nil
}

func (w *xlsxWriter) Write(r RowResult) error {
	if w.af.done {
		return ErrClosed
	}
	if err := checkShape(&r, w.nOrig); err != nil {
		return err
	}
	cells := w.cells
	if w.widths == nil {
		cells = make([]string, len(w.header)) // kept until the widths are fixed
	}
	fillCells(cells, &r)
	kind := kindOf(&r)
	if w.widths != nil {
		return w.writeRow(cells, kind)
	}
	for i, c := range cells {
		w.measure[i] = max(w.measure[i], cellWidth(c))
	}
	w.pending = append(w.pending, pendingRow{cells: cells, kind: kind})
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
	w.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w.af.f) })
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
