package reports

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// xlsxSheet is one streamed sheet; when it reaches Excel's row limit the
// writer continues in a new sheet named "<base> (n)".
type xlsxSheet struct {
	base string
	part int
	name string
	sw   *excelize.StreamWriter
	row  int // last row written
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
	header := make([]any, len(w.header))
	for i, h := range w.header {
		header[i] = h
	}
	return w.setRow(s, header, w.bold)
}

// setRow streams one row. Strings become inline string cells, ints numbers:
// excelize guesses nothing from a string's content.
func (w *xlsxWriter) setRow(s *xlsxSheet, vals []any, style int) error {
	s.row++
	if err := s.sw.SetRow("A"+strconv.Itoa(s.row), vals, excelize.RowOpts{StyleID: style}); err != nil {
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
func (w *xlsxWriter) writeTo(s *xlsxSheet, vals []any, style int) (*xlsxSheet, error) {
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
	return s, w.setRow(s, vals, style)
}

func (w *xlsxWriter) writeRow(vals []any, kind rowKind) error {
	style := 0
	switch kind {
	case rowWarning:
		style = w.warn
	case rowProblem:
		style = w.bad
	}
	var err error
	if w.report, err = w.writeTo(w.report, vals, style); err != nil {
		return err
	}
	if kind == rowProblem {
		if w.problems, err = w.writeTo(w.problems, vals, style); err != nil {
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
		if err := w.writeRow(p.vals, p.kind); err != nil {
			return err
		}
	}
	w.pending = nil
	w.vals = make([]any, len(w.header))
	return nil
}
