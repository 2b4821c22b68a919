package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
)

// Footers: after a blank row, up to maxFooterRows rows with one non-empty
// cell each are held back; if the file ends before any other row, they are
// footer lines (a report's "Copyright …", "Confidential …"), not data.
const (
	maxFooterRows = 20
	footerMessage = "footer line after the data, not a lead"
)

// layout is what differs between formats once rows are rows.
type layout struct {
	// ragged: rows may stop before the header's last column (XLSX stores no
	// trailing empty cells), so short rows are padded; the header loses its
	// trailing empty cells; a value beyond the header's last column is a
	// Problem naming the columns by letter. Otherwise (CSV) a row whose cell
	// count differs from the header's is a Problem, after dropping trailing
	// empty extra cells (a spreadsheet's ",,,").
	ragged bool
}

// openTable is the generic layer over a format's rows: it finds the header,
// shapes each row against it, and marks footer lines. It takes ownership of
// rr and closes it when it fails. Plugging a format in is this one call.
func openTable(ctx context.Context, name string, rr rowReader, lay layout, o Options) (Source, error) {
	t := &table{name: name, rr: rr, layout: lay}
	if err := t.findHeader(ctx, o); err != nil {
		return nil, errors.Join(err, rr.Close())
	}
	t.footers = nonEmpty(t.header) >= 2 // in a one-column file every row has one cell
	return t, nil
}

// table is a Source over a rowReader.
type table struct {
	name      string
	rr        rowReader
	layout    layout
	header    []string
	headerRow int
	warnings  []string
	footers   bool

	ahead    []rawRow // rows read while looking for the header, not yet handed out
	aheadErr error    // the error that stopped that read, due after them
	back     *pulled  // one row pushed back after a footer run turned out to be data
	prev     int      // Num of the last row pulled (or of the header)
	queue    []Record // records ready to hand out (a resolved footer run)
	qpos     int
	err      error // io.EOF or the fatal error, once met
}

// pulled is a non-blank row and whether blank rows came before it.
type pulled struct {
	row rawRow
	gap bool
}

func (t *table) Name() string     { return t.name }
func (t *table) Header() []string { return slices.Clone(t.header) }
func (t *table) HeaderRow() int   { return t.headerRow }

// Sheet is the sheet read, "" for delimited text.
func (t *table) Sheet() string {
	if s, ok := t.rr.(interface{ Sheet() string }); ok {
		return s.Sheet()
	}
	return ""
}
func (t *table) Progress() (done, total int64) { return t.rr.Progress() }
func (t *table) Close() error                  { return t.rr.Close() }

func (t *table) Warnings() []string {
	return slices.Concat(t.rr.Warnings(), t.warnings)
}

// findHeader reads up to the header (see Options.HeaderRow, HeaderColumns,
// DetectHeaderRow) and keeps the rows read past it for Next.
func (t *table) findHeader(ctx context.Context, o Options) error {
	if o.HeaderRow > 0 {
		return t.pinnedHeader(ctx, o.HeaderRow)
	}
	var rows []rawRow
	for len(rows) <= headerSearchRows {
		r, err := t.rr.ReadRow(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.aheadErr = err // due once the rows before it are handed out
			break
		}
		if r.blank() {
			continue
		}
		rows = append(rows, r)
		if len(o.HeaderColumns) == 0 && len(rows) == 1 && nonEmpty(r.Cells) >= 2 {
			break // the usual file: nothing to look ahead for
		}
		if len(o.HeaderColumns) > 0 && r.Problem == "" && holdsAll(r.Cells, o.HeaderColumns) {
			break
		}
	}
	if len(rows) == 0 {
		if t.aheadErr != nil {
			return t.aheadErr
		}
		return &ReadError{File: t.name, Err: ErrNoHeader}
	}
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = r.Cells
	}
	idx := FindHeaderRow(cells, o.HeaderColumns)
	if idx < 0 {
		idx = max(DetectHeaderRow(cells), 0)
	}
	if err := t.setHeader(rows[idx]); err != nil {
		return err
	}
	if idx > 0 {
		t.warnings = append(t.warnings, fmt.Sprintf("%s: the header is row %d; the rows above it are not data", t.name, rows[idx].Num))
	}
	t.ahead = rows[idx+1:]
	return nil
}

// pinnedHeader reads up to row n and takes it as the header.
func (t *table) pinnedHeader(ctx context.Context, n int) error {
	for {
		r, err := t.rr.ReadRow(ctx)
		if errors.Is(err, io.EOF) {
			return &ReadError{File: t.name, Row: n, Err: fmt.Errorf("header row %d is past the end of the file: %w", n, ErrNoHeader)}
		}
		if err != nil {
			return err
		}
		switch {
		case r.Num < n:
			continue
		case r.Num > n || r.blank():
			return &ReadError{File: t.name, Row: n, Err: fmt.Errorf("header row %d is empty: %w", n, ErrNoHeader)}
		}
		return t.setHeader(r)
	}
}

func (t *table) setHeader(r rawRow) error {
	if r.Problem != "" {
		return &ReadError{File: t.name, Row: r.Num, Err: fmt.Errorf("header: %s", r.Problem)}
	}
	h := r.Cells
	if t.layout.ragged {
		h = h[:lastFilled(h)]
	}
	t.header, t.headerRow, t.prev = h, r.Num, r.Num
	if r.Warning != "" {
		t.warnings = append(t.warnings, fmt.Sprintf("%s: header (row %d): %s", t.name, r.Num, r.Warning))
	}
	return nil
}

// Next returns the next data row (or footer line); io.EOF at the end.
func (t *table) Next(ctx context.Context) (Record, error) {
	if err := ctx.Err(); err != nil {
		return Record{}, err
	}
	if t.qpos < len(t.queue) || t.err != nil || t.back != nil || len(t.ahead) > 0 || t.aheadErr != nil {
		return t.nextHeld(ctx)
	}
	// The hot path: straight from the format's reader.
	for {
		r, err := t.rr.ReadRow(ctx)
		if err != nil {
			t.err = err
			return Record{}, err
		}
		if r.Problem == "" && allEmpty(r.Cells) {
			continue
		}
		gap := r.Num > t.prev+1
		t.prev = r.Num
		if gap && t.footers && t.footerCandidate(&r) {
			return t.footerRun(ctx, r)
		}
		return t.shape(&r), nil
	}
}

// nextHeld is Next while rows are held: read ahead for the header, pushed
// back, or queued after a footer run.
func (t *table) nextHeld(ctx context.Context) (Record, error) {
	if t.qpos < len(t.queue) {
		rec := t.queue[t.qpos]
		t.qpos++
		return rec, nil
	}
	t.queue, t.qpos = t.queue[:0], 0
	if t.err != nil {
		return Record{}, t.err
	}
	r, gap, err := t.pull(ctx)
	if err != nil {
		t.err = err
		return Record{}, err
	}
	if gap && t.footers && t.footerCandidate(&r) {
		return t.footerRun(ctx, r)
	}
	return t.shape(&r), nil
}

// footerRun holds back one-cell rows after a blank row, starting with
// first: up to the end of the file they are footers; anything else first
// makes them ordinary rows.
func (t *table) footerRun(ctx context.Context, first rawRow) (Record, error) {
	run := []rawRow{first}
	for {
		r, gap, err := t.pull(ctx)
		switch {
		case errors.Is(err, io.EOF):
			for _, r := range run {
				t.queue = append(t.queue, Record{Row: r.Num, Cells: r.Cells, Warning: r.Warning, Skip: footerMessage})
			}
			t.err = err
			return t.Next(ctx)
		case err == nil && t.footerCandidate(&r) && len(run) < maxFooterRows:
			run = append(run, r)
			continue
		case err != nil:
			t.err = err
		default:
			t.back = &pulled{row: r, gap: gap}
		}
		for i := range run {
			t.queue = append(t.queue, t.shape(&run[i]))
		}
		return t.Next(ctx)
	}
}

func (t *table) footerCandidate(r *rawRow) bool {
	return r.Problem == "" && nonEmpty(r.Cells) == 1
}

// pull returns the next non-blank row, saying whether blank rows came
// before it.
func (t *table) pull(ctx context.Context) (r rawRow, gap bool, err error) {
	if t.back != nil {
		r, gap = t.back.row, t.back.gap
		t.back = nil
		return r, gap, nil
	}
	for {
		switch {
		case len(t.ahead) > 0:
			r, t.ahead = t.ahead[0], t.ahead[1:]
		case t.aheadErr != nil:
			err, t.aheadErr = t.aheadErr, nil
			return r, false, err
		default:
			if r, err = t.rr.ReadRow(ctx); err != nil {
				return r, false, err
			}
		}
		if r.Problem == "" && allEmpty(r.Cells) {
			continue
		}
		gap = r.Num > t.prev+1
		t.prev = r.Num
		return r, gap, nil
	}
}

// shape checks a row's width against the header's (see layout).
func (t *table) shape(r *rawRow) Record {
	rec := Record{Row: r.Num, Cells: r.Cells, Problem: r.Problem, Warning: r.Warning}
	h := len(t.header)
	if t.layout.ragged {
		// A sheet's problems are about cells (one too large), not the
		// row's structure: the row is still laid out under the header.
		last := lastFilled(r.Cells)
		switch {
		case last > h:
			rec.Cells = r.Cells[:last]
			beyond := fmt.Sprintf("row has a value in column %s, beyond the header's last column %s", columnLetters(last), columnLetters(h))
			if rec.Problem != "" {
				beyond = rec.Problem + "; " + beyond
			}
			rec.Problem = beyond
		case len(r.Cells) >= h:
			rec.Cells = r.Cells[:h:h]
		default:
			rec.Cells = append(r.Cells, make([]string, h-len(r.Cells))...)
		}
		return rec
	}
	if r.Problem != "" {
		return rec
	}
	if len(rec.Cells) > h && allEmpty(rec.Cells[h:]) {
		rec.Cells = rec.Cells[:h:h]
	}
	if len(rec.Cells) != h {
		rec.Problem = fmt.Sprintf("row has %d cells, the header has %d", len(rec.Cells), h)
	}
	return rec
}

// lastFilled is 1 + the index of the last non-empty cell, 0 if none.
func lastFilled(cells []string) int {
	for i := len(cells) - 1; i >= 0; i-- {
		if nonEmpty(cells[i:i+1]) > 0 {
			return i + 1
		}
	}
	return 0
}

// columnLetters names a 1-based column as a spreadsheet does (1 → A, 27 → AA).
func columnLetters(n int) string {
	var b []byte
	for ; n > 0; n = (n - 1) / 26 {
		b = append(b, byte('A'+(n-1)%26))
	}
	slices.Reverse(b)
	return string(b)
}
