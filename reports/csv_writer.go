package reports

import (
	"fmt"
)

// reportBufferSize is how much of a CSV or JSONL report is gathered before
// one write to the file; a row never forces a write on its own.
const reportBufferSize = 256 << 10

// csvWriter writes a CSV report: each row is appended to one buffer as
// encoding/csv would write it (csv_encode.go) and the buffer goes to the
// file in large writes.
type csvWriter struct {
	af    *atomicFile
	buf   []byte
	err   error // the first write error; every later call returns it
	nOrig int
}

// utf8BOM is what Excel looks for to read a CSV file as UTF-8.
const utf8BOM = "\ufeff"

func newCSVWriter(path string, original []string, bom bool) (*csvWriter, error) {
	af, err := createAtomic(path, reportPerm)
	if err != nil {
		return nil, err
	}
	w := &csvWriter{af: af, buf: make([]byte, 0, reportBufferSize+64<<10), nOrig: len(original)}
	if bom {
		w.buf = append(w.buf, utf8BOM...)
	}
	for i, h := range Header(original) {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.buf = appendCSVCell(w.buf, h)
	}
	w.buf = append(w.buf, '\n')
	return w, nil
}

func (w *csvWriter) Write(r RowResult) error {
	if w.af.done {
		return ErrClosed
	}
	if err := checkShape(&r, w.nOrig); err != nil {
		return err
	}
	if w.err != nil {
		return fmt.Errorf("write report row %d to %s: %w", r.Row, w.af.target, w.err)
	}
	w.buf = appendCSVRow(w.buf, &r, w.nOrig)
	if len(w.buf) >= reportBufferSize {
		if err := w.flush(); err != nil {
			return fmt.Errorf("write report row %d to %s: %w", r.Row, w.af.target, err)
		}
	}
	return nil
}

// flush writes the buffer to the file; a failure sticks.
func (w *csvWriter) flush() error {
	if w.err != nil {
		return w.err
	}
	if _, err := w.af.Write(w.buf); err != nil {
		w.err = err
		return err
	}
	w.buf = w.buf[:0]
	return nil
}

// Finish flushes and moves the file into place. A CSV report has no room for
// the summary, so s is not written.
func (w *csvWriter) Finish(Summary) error {
	if w.af.done {
		return ErrClosed
	}
	if err := w.flush(); err != nil {
		_ = w.af.abort()
		return fmt.Errorf("flush report %s: %w", w.af.target, err)
	}
	return w.af.commit()
}

func (w *csvWriter) Abort() error { return w.af.abort() }
