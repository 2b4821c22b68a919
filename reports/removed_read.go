package reports

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"

	"github.com/gocarina/gocsv"
)

// RemovedLeads streams the removed-leads list at path, one lead at a time,
// through gocsv's channel API: a long list is never held whole. Cells lose
// the ' the writer put before formula-like values. Columns are found by name
// (case-insensitively, in any order; others are ignored), and a list
// lacking one fails with ErrNotRemovedList. An error ends the sequence,
// naming the file and line. Stopping early, or ctx being cancelled, stops
// the reading.
func RemovedLeads(ctx context.Context, path string) iter.Seq2[RemovedLead, error] {
	return func(yield func(RemovedLead, error) bool) {
		f, err := os.Open(path)
		if err != nil {
			yield(RemovedLead{}, fmt.Errorf("removed list: %w", err))
			return
		}
		defer f.Close()
		r := csv.NewReader(bufio.NewReaderSize(f, 64<<10))
		dec := &removedDecoder{ctx: ctx, r: r, stop: make(chan struct{})}
		rows := make(chan removedRow)
		errc := make(chan error, 1)
		go func() { errc <- gocsv.UnmarshalDecoderToChan(dec, rows) }()
		for row := range rows {
			if !yield(row.lead(), nil) {
				close(dec.stop)
				for range rows { // at most the row gocsv already read
				}
				<-errc
				return
			}
		}
		if err := <-errc; err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.StartLine == 0 {
				// gocsv's conversion errors leave StartLine unset, which
				// would print as "record on line 0".
				pe.StartLine = pe.Line
			}
			yield(RemovedLead{}, fmt.Errorf("removed list %s: %w", path, err))
		}
	}
}

// ReadRemoved reads the whole removed-leads list at path (see RemovedLeads).
func ReadRemoved(ctx context.Context, path string) ([]RemovedLead, error) {
	var out []RemovedLead
	for l, err := range RemovedLeads(ctx, path) {
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// errStopped ends gocsv's reading when the consumer stopped early.
var errStopped = errors.New("reading stopped")

// removedDecoder feeds gocsv the records: it checks and normalises the
// header, and stops on cancellation or when the consumer stopped.
type removedDecoder struct {
	ctx    context.Context
	r      *csv.Reader
	stop   chan struct{}
	header bool // read
}

// GetCSVRow implements gocsv.SimpleDecoder.
func (d *removedDecoder) GetCSVRow() ([]string, error) {
	select {
	case <-d.stop:
		return nil, errStopped
	default:
	}
	if err := d.ctx.Err(); err != nil {
		return nil, err
	}
	rec, err := d.r.Read()
	if d.header {
		return rec, err
	}
	d.header = true
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: the file is empty (a list has at least its header line)", ErrNotRemovedList)
	}
	if err != nil {
		return nil, err
	}
	return normaliseRemovedHeader(rec)
}

// GetCSVRows implements gocsv.SimpleDecoder; gocsv's streaming never calls it.
func (d *removedDecoder) GetCSVRows() ([][]string, error) {
	var all [][]string
	for {
		rec, err := d.GetCSVRow()
		if errors.Is(err, io.EOF) {
			return all, nil
		}
		if err != nil {
			return nil, err
		}
		all = append(all, rec)
	}
}

// normaliseRemovedHeader trims and lower-cases the header (and drops a byte
// order mark) so gocsv's exact tag matching finds the columns of a list
// saved again by a spreadsheet, and checks that every column is there.
func normaliseRemovedHeader(rec []string) ([]string, error) {
	found := map[string]bool{}
	for i, h := range rec {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		rec[i] = strings.ToLower(strings.TrimSpace(h))
		found[rec[i]] = true
	}
	var missing []string
	for _, c := range RemovedColumns() {
		if !found[c] {
			missing = append(missing, c)
		}
	}
	if missing != nil {
		return nil, fmt.Errorf("%w: missing column(s) %s (found: %s; expected: %s)", ErrNotRemovedList,
			strings.Join(missing, ", "), strings.Join(rec, ", "), strings.Join(RemovedColumns(), ", "))
	}
	return rec, nil
}
