package xlsx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
)

// Row is one row of a sheet that has at least one value or a Problem.
type Row struct {
	Num     int      // the sheet's row number (1-based), as a spreadsheet shows it
	Cells   []string // by column (A = 0), up to the last non-empty cell; owned by the caller
	Problem string   // what is wrong with the row (a cell dropped as too large, a bad reference); "" if nothing
	Err     error    // the same as errors (each an *Error naming the cell), for errors.Is/As; nil if nothing
}

// SheetReader streams the rows of one worksheet.
type SheetReader struct {
	wb      *Workbook
	name    string
	rc      io.ReadCloser
	s       *scanner
	depth   int // of <sheetData>
	lastRow int
	done    atomic.Int64
	total   int64 // the last row from <dimension>; 0 if unknown
	eof     bool
	merges  mergeFill

	// The row being read: each column's text is rowBuf[spans[c].start:spans[c].end].
	spans    []span
	rowBuf   []byte
	problems []error
	rowFull  bool // the row's text passed its limit: later cells are dropped
	val      textSink
	item     itemReader
}

type span struct{ start, end int32 }

func openSheetReader(ctx context.Context, w *Workbook, e sheetEntry, merges []mergeRange) (_ *SheetReader, err error) {
	rc, err := w.a.open(e.part, true)
	if err != nil {
		return nil, &Error{Sheet: e.Name, Err: err}
	}
	r := &SheetReader{wb: w, name: e.Name, rc: rc, s: newScanner(rc, e.part), merges: mergeFill{ranges: merges}}
	r.s.buf = make([]byte, 256<<10)
	if err := r.seekSheetData(ctx); err != nil {
		_ = rc.Close()
		return nil, r.fail(err)
	}
	return r, nil
}

// Name is the sheet's name.
func (r *SheetReader) Name() string { return r.name }

// Progress is rows done (the last row number read) of the total the sheet declares in
// its <dimension>; total is 0 when unknown, or when the rows went past it (writers
// often leave a stale "A1"). Safe to call from another goroutine.
func (r *SheetReader) Progress() (done, total int64) {
	done = r.done.Load()
	if done > r.total {
		return done, 0
	}
	return done, r.total
}

// Close releases the sheet's part. The Workbook stays open.
func (r *SheetReader) Close() error { return r.rc.Close() }

func (r *SheetReader) fail(err error) error {
	return &Error{Sheet: r.name, Row: r.lastRow, Err: err}
}

// seekSheetData reads up to <sheetData>, noting the sheet's size from <dimension>.
func (r *SheetReader) seekSheetData(ctx context.Context) error {
	s := r.s
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := s.next(); err != nil {
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("%w: the sheet has no <sheetData>", ErrNotXLSX)
			}
			return err
		}
		switch {
		case s.is("dimension"):
			if ref, ok := attr(s.attrs, "ref", false); ok {
				if i := bytes.LastIndexByte(ref, ':'); i >= 0 {
					if _, row, ok := splitCellRef(ref[i+1:]); ok {
						r.total = int64(row)
					}
				}
			}
		case s.is("sheetData"):
			r.depth = s.depth
			r.eof = s.kind == tagSelfClose
			return nil
		}
	}
}

// Next returns the next row with a value or a Problem; io.EOF after the last. Rows
// with no value are skipped (Row.Num says where a row was). Any other error is fatal
// for the sheet.
func (r *SheetReader) Next(ctx context.Context) (Row, error) {
	s := r.s
	for {
		if err := ctx.Err(); err != nil {
			return Row{}, err
		}
		if r.eof {
			return Row{}, io.EOF
		}
		ok, err := s.child(r.depth)
		if err != nil {
			return Row{}, r.fail(err)
		}
		if !ok {
			r.eof = true
			continue
		}
		if s.kind == tagClose {
			continue
		}
		if !s.is("row") {
			if err := s.skip(); err != nil {
				return Row{}, r.fail(err)
			}
			continue
		}
		num := r.lastRow + 1
		if v, ok := attr(s.attrs, "r", false); ok {
			if n, ok := parseUint(bytes.TrimSpace(v)); ok && n > 0 {
				num = n
			}
		}
		if num > maxRows {
			return Row{}, r.fail(fmt.Errorf("%w: row number %d is past the last row a sheet can have (%d)", ErrNotXLSX, num, maxRows))
		}
		r.lastRow = num
		r.done.Store(int64(num))
		r.rowBuf, r.problems, r.spans, r.rowFull = r.rowBuf[:0], r.problems[:0], r.spans[:0], false
		if s.kind == tagOpen {
			if err := r.readCells(num); err != nil {
				return Row{}, r.fail(err)
			}
		}
		if row, ok := r.finishRow(num); ok {
			return row, nil
		}
	}
}

// finishRow applies the merged ranges and makes the row, unless it has neither a
// value nor a problem.
func (r *SheetReader) finishRow(num int) (Row, bool) {
	last := r.lastValue()
	if len(r.merges.ranges) > 0 {
		top := func(col int) string {
			if col <= len(r.spans) {
				sp := r.spans[col-1]
				return string(r.rowBuf[sp.start:sp.end])
			}
			return ""
		}
		var fill func(int, string)
		if last > 0 {
			fill = func(col int, val string) { r.set(col, []byte(val)) }
		}
		r.merges.row(num, top, fill)
		last = r.lastValue()
	}
	if last == 0 && len(r.problems) == 0 {
		return Row{}, false
	}
	text := string(r.rowBuf)
	cells := make([]string, last)
	for i, sp := range r.spans[:last] {
		cells[i] = text[sp.start:sp.end]
	}
	row := Row{Num: num, Cells: cells}
	if len(r.problems) > 0 {
		msgs := make([]string, len(r.problems))
		for i, p := range r.problems {
			msgs[i] = p.(*Error).Err.Error()
		}
		row.Problem, row.Err = strings.Join(msgs, "; "), errors.Join(r.problems...)
	}
	return row, true
}

func (r *SheetReader) lastValue() int {
	for i := len(r.spans) - 1; i >= 0; i-- {
		if r.spans[i].end > r.spans[i].start {
			return i + 1
		}
	}
	return 0
}

// set makes v the text of column col (1-based).
func (r *SheetReader) set(col int, v []byte) {
	start := len(r.rowBuf)
	r.rowBuf = append(r.rowBuf, v...)
	r.setSpan(col, start)
}

// setSpan makes rowBuf[start:] the text of column col (1-based).
func (r *SheetReader) setSpan(col, start int) {
	for len(r.spans) < col {
		r.spans = append(r.spans, span{})
	}
	r.spans[col-1] = span{int32(start), int32(len(r.rowBuf))}
}

// problem notes why a cell was dropped from the row.
func (r *SheetReader) problem(cell string, kind error, msg string) {
	r.problems = append(r.problems, &Error{Sheet: r.name, Row: r.lastRow, Cell: cell, Err: problemError{msg, kind}})
}

// problemError is a row problem's message, wrapping its kind (ErrCellTooLarge, ErrBadCell).
type problemError struct {
	msg  string
	kind error
}

func (e problemError) Error() string { return e.msg }
func (e problemError) Unwrap() error { return e.kind }
