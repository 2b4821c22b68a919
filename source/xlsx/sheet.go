package xlsx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/xonvo/xonvo-import/internal/slab"
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
	tok     *tokenizer
	cur     *batch // the batch being resolved
	next    int    // its next row
	lastRow int
	done    atomic.Int64
	total   int64 // the last row from <dimension>; 0 if unknown
	merges  mergeFill
	err     error // a fatal error, returned from then on

	// The row being resolved: each column's text is rowBuf[spans[c].start:spans[c].end].
	spans    []span
	rowBuf   []byte
	problems []error
	rowFull  bool // the row's text passed its limit: later cells are dropped

	// cells hands out the rows' Cells: one allocation per 4096 cells, where
	// one a row was 0.25 s of the million-row sheet's read.
	cells slab.Slab[string]
}

type span struct{ start, end int32 }

func openSheetReader(ctx context.Context, w *Workbook, e sheetEntry, merges []mergeRange) (_ *SheetReader, err error) {
	rc, err := w.a.open(e.part, true)
	if err != nil {
		return nil, &Error{Sheet: e.Name, Err: err}
	}
	r := &SheetReader{wb: w, name: e.Name, rc: rc, merges: mergeFill{ranges: merges}}
	s := newScanner(rc, e.part)
	s.buf = make([]byte, 256<<10)
	r.tok = &tokenizer{r: r, s: s, limit: w.opts.MaxCellBytes}
	if err := r.seekSheetData(ctx); err != nil {
		_ = rc.Close()
		return nil, r.fail(err)
	}
	r.tok.start()
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
func (r *SheetReader) Close() error {
	r.tok.close()
	err := r.rc.Close() // unblocks the tokenizer if it waits on the part
	r.tok.wg.Wait()
	return err
}

func (r *SheetReader) fail(err error) error {
	return &Error{Sheet: r.name, Row: r.lastRow, Err: err}
}

// seekSheetData reads up to <sheetData>, noting the sheet's size from <dimension>.
func (r *SheetReader) seekSheetData(ctx context.Context) error {
	s := r.tok.s
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
			r.tok.depth = s.depth
			r.tok.eof = s.kind == tagSelfClose
			return nil
		}
	}
}

// Next returns the next row with a value or a Problem; io.EOF after the last. Rows
// with no value are skipped (Row.Num says where a row was). Any other error is fatal
// for the sheet.
func (r *SheetReader) Next(ctx context.Context) (Row, error) {
	for {
		if err := ctx.Err(); err != nil {
			return Row{}, err
		}
		if r.err != nil {
			return Row{}, r.err
		}
		if r.cur == nil || r.next == len(r.cur.rows) {
			if err := r.nextBatch(ctx); err != nil {
				return Row{}, err
			}
			continue
		}
		raw := &r.cur.rows[r.next]
		r.next++
		num := raw.num
		r.lastRow = num
		r.done.Store(int64(num))
		r.rowBuf, r.spans, r.rowFull = r.rowBuf[:0], r.spans[:0], false
		r.problems = append(r.problems[:0], raw.problems...)
		for _, c := range r.cur.cells[raw.first:raw.last] {
			if err := r.resolve(c, r.cur.text[c.start:c.end], num); err != nil {
				r.err = r.fail(err)
				return Row{}, r.err
			}
		}
		if row, ok := r.finishRow(num); ok {
			return row, nil
		}
	}
}

// nextBatch hands the batch resolved back to the tokenizer and waits for the next. The
// last batch's error (io.EOF at the end) is kept for every later call.
func (r *SheetReader) nextBatch(ctx context.Context) error {
	if r.cur != nil {
		if r.cur.err != nil {
			r.lastRow = r.cur.errRow
			r.err = io.EOF
			if !errors.Is(r.cur.err, io.EOF) {
				r.err = r.fail(r.cur.err)
			}
			return r.err
		}
		select {
		case r.tok.free <- r.cur:
		default:
		}
		r.cur = nil
	}
	select {
	case b, ok := <-r.tok.out:
		if !ok {
			r.err = r.fail(fmt.Errorf("%w: the sheet reader is closed", ErrNotXLSX))
			return r.err
		}
		r.cur, r.next = b, 0
		return nil
	case <-ctx.Done():
		return ctx.Err()
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
	cells := r.cells.Make(last)
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

// problemErr is why a cell was dropped from its row.
// It is called from the tokenizer's goroutine too: it reads only r.name.
func (r *SheetReader) problemErr(col, num int, kind error, msg string) error {
	return &Error{Sheet: r.name, Row: num, Cell: cellName(col, num), Err: problemError{msg, kind}}
}

// problemError is a row problem's message, wrapping its kind (ErrCellTooLarge, ErrBadCell).
type problemError struct {
	msg  string
	kind error
}

func (e problemError) Error() string { return e.msg }
func (e problemError) Unwrap() error { return e.kind }
