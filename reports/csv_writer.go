package reports

import (
	"bufio"
	"encoding/csv"
	"fmt"
)

// csvBufferSize is large enough that a row never forces a write on its own.
const csvBufferSize = 256 << 10

// csvWriter writes a CSV report through encoding/csv.
type csvWriter struct {
	af     *atomicFile
	buf    *bufio.Writer
	cw     *csv.Writer
	record []string // reused for every row
	nOrig  int
}

// utf8BOM is what Excel looks for to read a CSV file as UTF-8.
const utf8BOM = "\ufeff"

func newCSVWriter(path string, original []string, bom bool) (*csvWriter, error) {
	af, err := createAtomic(path, reportPerm)
	if err != nil {
		return nil, err
	}
	buf := bufio.NewWriterSize(af.f, csvBufferSize)
	if bom {
		_, _ = buf.WriteString(utf8BOM) // a bufio error sticks; Flush reports it
	}
	// csv.NewWriter reuses a *bufio.Writer that is already big enough, so
	// there is one buffer, not two.
	w := &csvWriter{af: af, buf: buf, cw: csv.NewWriter(buf), nOrig: len(original)}
	header := Header(original)
	for i := range header {
		header[i] = neutralise(header[i])
	}
	if err := w.cw.Write(header); err != nil {
		_ = af.abort()
		return nil, fmt.Errorf("write report header to %s: %w", path, err)
	}
	w.record = make([]string, len(header))
	return w, nil
}

func (w *csvWriter) Write(r RowResult) error {
	if w.af.done {
		return ErrClosed
	}
	if err := checkShape(&r, w.nOrig); err != nil {
		return err
	}
	rec := w.record
	fillCSV(rec, &r)
	if err := w.cw.Write(rec); err != nil {
		return fmt.Errorf("write report row %d to %s: %w", r.Row, w.af.target, err)
	}
	return nil
}

// Finish flushes and moves the file into place. A CSV report has no room for
// the summary, so s is not written.
func (w *csvWriter) Finish(Summary) error {
	if w.af.done {
		return ErrClosed
	}
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		_ = w.af.abort()
		return fmt.Errorf("flush report %s: %w", w.af.target, err)
	}
	return w.af.commit()
}

func (w *csvWriter) Abort() error { return w.af.abort() }
