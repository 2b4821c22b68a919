package reports

import (
	"bufio"
	"fmt"
	"strconv"

	"github.com/xonvo/xonvo-import/internal/jsonstr"
)

// jsonlWriter writes one JSON object per row. It encodes by hand, with keys
// in a fixed order and the original columns in input order (a Go map would
// sort them), reusing one line buffer.
type jsonlWriter struct {
	af    *atomicFile
	buf   *bufio.Writer
	keys  [][]byte // `"header":` for each original column, precomputed
	line  []byte
	nOrig int
}

func newJSONLWriter(path string, original []string) (*jsonlWriter, error) {
	af, err := createAtomic(path, reportPerm)
	if err != nil {
		return nil, err
	}
	w := &jsonlWriter{af: af, buf: bufio.NewWriterSize(af, reportBufferSize), nOrig: len(original)}
	for _, h := range uniqueKeys(original) {
		w.keys = append(w.keys, append(appendJSONString(nil, h), ':'))
	}
	return w, nil
}

// uniqueKeys makes the headers usable as JSON object keys: a header seen
// before gets " (2)", " (3)", … so no value is hidden by a duplicate key.
func uniqueKeys(headers []string) []string {
	seen := make(map[string]bool, len(headers))
	out := make([]string, len(headers))
	for i, h := range headers {
		k := h
		for n := 2; seen[k]; n++ {
			k = h + " (" + strconv.Itoa(n) + ")"
		}
		seen[k] = true
		out[i] = k
	}
	return out
}

func (w *jsonlWriter) Write(r RowResult) error {
	if w.af.done {
		return ErrClosed
	}
	if err := checkShape(&r, w.nOrig); err != nil {
		return err
	}
	b := w.line[:0]
	b = append(b, `{"file":`...)
	b = appendJSONString(b, r.File)
	b = append(b, `,"row":`...)
	b = strconv.AppendInt(b, int64(r.Row), 10)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, string(r.Status))
	b = append(b, `,"message":`...)
	b = appendJSONString(b, r.Message)
	b = append(b, `,"account_id":`...)
	b = appendJSONString(b, r.AccountID)
	b = append(b, `,"external_id":`...)
	b = appendJSONString(b, r.ExternalID)
	b = append(b, `,"phone":`...)
	b = appendJSONString(b, r.Phone)
	b = append(b, `,"http_status":`...)
	b = strconv.AppendInt(b, int64(r.HTTPStatus), 10)
	b = append(b, `,"attempts":`...)
	b = strconv.AppendInt(b, int64(r.Attempts), 10)
	b = append(b, `,"original":{`...)
	for i, k := range w.keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, k...)
		v := ""
		if i < len(r.Original) {
			v = r.Original[i]
		}
		b = appendJSONString(b, v)
	}
	b = append(b, "}}\n"...)
	w.line = b
	if _, err := w.buf.Write(b); err != nil {
		return fmt.Errorf("write report row %d to %s: %w", r.Row, w.af.target, err)
	}
	return nil
}

// Finish flushes and moves the file into place. Every line is a row, so the
// summary is not written into a JSONL report.
func (w *jsonlWriter) Finish(Summary) error {
	if w.af.done {
		return ErrClosed
	}
	if err := w.buf.Flush(); err != nil {
		_ = w.af.abort()
		return fmt.Errorf("flush report %s: %w", w.af.target, err)
	}
	return w.af.commit()
}

func (w *jsonlWriter) Abort() error { return w.af.abort() }

// appendJSONString leaves HTML characters alone: a report is never embedded
// in a page.
func appendJSONString(b []byte, s string) []byte { return jsonstr.Append(b, s, false) }
