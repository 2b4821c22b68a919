package reports

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"

	"github.com/gocarina/gocsv"
)

// RemovedWriter writes a removed-leads list: a CSV file with the columns
// RemovedColumns, written with gocsv from a channel so a long list is never
// held whole, atomically and with mode 0600 like a report. Like a report
// Writer it is used from one goroutine: Write each lead, then Finish (or
// Abort, safe to defer).
type RemovedWriter struct {
	af     *atomicFile
	buf    *bufio.Writer
	rows   chan any
	done   chan struct{} // closed when the marshalling goroutine has its result
	err    error         // that result; read only after done is closed
	closed bool
}

// removedQueue lets the marshalling goroutine run a little behind Write.
const removedQueue = 256

// CreateRemoved starts a removed-leads list at path (see RemovedListPath),
// writing its header at once, so a run with no removed lead still leaves a
// list with just the header. A missing directory is created.
func CreateRemoved(path string) (*RemovedWriter, error) {
	af, err := createAtomic(path, reportPerm)
	if err != nil {
		return nil, err
	}
	w := &RemovedWriter{af: af, buf: bufio.NewWriterSize(af, 64<<10),
		rows: make(chan any, removedQueue), done: make(chan struct{})}
	// The default gocsv writer reads the package's global separator: build
	// ours.
	cw := gocsv.NewSafeCSVWriter(csv.NewWriter(w.buf))
	// gocsv writes a header only before a first row; an empty slice gives
	// the header alone, from the same struct tags.
	if err := gocsv.MarshalCSV([]removedRow{}, cw); err != nil {
		_ = af.abort()
		return nil, fmt.Errorf("removed list %s: header: %w", path, err)
	}
	go func() {
		err := gocsv.MarshalChanWithoutHeaders(w.rows, cw)
		if errors.Is(err, gocsv.ErrChannelIsClosed) { // no row at all
			err = nil
		}
		w.err = err
		close(w.done)
		if err != nil {
			// gocsv stopped reading: drain, so a Write racing with the
			// failure returns instead of blocking, until rows is closed.
			for range w.rows {
			}
		}
	}()
	return w, nil
}

// Write appends one lead.
func (w *RemovedWriter) Write(l RemovedLead) error {
	if w.closed {
		return ErrClosed
	}
	select {
	case <-w.done: // before Finish, only an error ends the goroutine
		return w.fail()
	default:
	}
	w.rows <- toRemovedRow(l)
	return nil
}

// fail ends the writer after the marshalling goroutine stopped on an error.
func (w *RemovedWriter) fail() error {
	w.closed = true
	close(w.rows)
	<-w.done
	_ = w.af.abort()
	return fmt.Errorf("removed list %s: %w", w.af.target, w.err)
}

// Finish writes what is left and moves the list into place.
func (w *RemovedWriter) Finish() error {
	if w.closed {
		return ErrClosed
	}
	w.closed = true
	close(w.rows)
	<-w.done
	if w.err != nil {
		_ = w.af.abort()
		return fmt.Errorf("removed list %s: %w", w.af.target, w.err)
	}
	if err := w.buf.Flush(); err != nil {
		_ = w.af.abort()
		return fmt.Errorf("removed list %s: %w", w.af.target, err)
	}
	return w.af.commit()
}

// Abort removes the temporary file; a list already at the path is left as
// it was. After Finish it does nothing.
func (w *RemovedWriter) Abort() error {
	if !w.closed {
		w.closed = true
		close(w.rows)
		<-w.done
	}
	return w.af.abort()
}
