package source

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

const (
	// peekSize is how much decoded text is looked at to detect the delimiter and line endings.
	peekSize = 64 << 10
)

// delimiterCandidates are the delimiters detection chooses from, in tie-break order.
const delimiterCandidates = ",;\t|"

// csvSource reads delimited text with encoding/csv.
type csvSource struct {
	name     string
	file     *os.File
	read     *atomic.Int64 // raw bytes read from the file
	size     int64
	budget   *budgetReader
	csv      *csv.Reader
	maxBytes int64
	header   []string
	row      int
	warnings []string
}

func openCSV(ctx context.Context, path, ext string, opts Options) (_ Source, err error) {
	if opts.Delimiter != 0 && !validDelimiter(opts.Delimiter) {
		return nil, &ReadError{File: path, Err: fmt.Errorf("%q: %w", opts.Delimiter, ErrBadDelimiter)}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &ReadError{File: path, Err: err}
	}
	defer func() {
		if err != nil {
			_ = f.Close()
		}
	}()
	st, err := f.Stat()
	if err != nil {
		return nil, &ReadError{File: path, Err: err}
	}
	head, err := readHead(f, 4)
	if err != nil {
		return nil, &ReadError{File: path, Err: err}
	}
	enc, warning, err := resolveEncoding(ctx, opts.Encoding, head, func(ctx context.Context) (bool, error) {
		return validUTF8File(ctx, f)
	})
	if err != nil {
		return nil, &ReadError{File: path, Err: err}
	}
	s := &csvSource{name: path, file: f, read: new(atomic.Int64), size: st.Size(), maxBytes: int64(opts.maxFieldBytes())}
	if warning != "" {
		s.warnings = append(s.warnings, path+": "+warning)
	}
	decoded, err := enc.reader(&countingReader{r: f, n: s.read})
	if err != nil {
		return nil, &ReadError{File: path, Err: err}
	}
	// The budget sits under the one bufio.Reader that encoding/csv reuses as its own (it
	// does not wrap a *bufio.Reader that is large enough), so the hot path copies once.
	s.budget = &budgetReader{r: decoded, limitAt: peekSize + s.maxBytes}
	br := bufio.NewReaderSize(s.budget, peekSize)
	peek, err := br.Peek(peekSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, &ReadError{File: path, Err: fmt.Errorf("read: %w", err)}
	}
	comma := opts.Delimiter
	if comma == 0 {
		comma = detectDelimiter(peek, ext == ".tsv")
	}
	var in io.Reader = br
	if crOnlyLineEnds(peek, len(peek) < peekSize) {
		in = &crToLF{r: br}
	}
	s.csv = csv.NewReader(in)
	s.csv.Comma = comma
	s.csv.FieldsPerRecord = -1 // row width is checked against the header here, as a row Problem
	s.csv.LazyQuotes = false

	header, problem, err := s.readRecord()
	switch {
	case errors.Is(err, io.EOF):
		return nil, &ReadError{File: path, Err: ErrNoHeader}
	case err != nil:
		return nil, err
	case problem != "":
		return nil, &ReadError{File: path, Row: 1, Err: fmt.Errorf("header: %s", problem)}
	case allEmpty(header):
		return nil, &ReadError{File: path, Row: 1, Err: fmt.Errorf("the first row is empty: %w", ErrNoHeader)}
	}
	s.row = 1
	s.header = header
	return s, nil
}

func (s *csvSource) Name() string       { return s.name }
func (s *csvSource) Header() []string   { return slices.Clone(s.header) }
func (s *csvSource) Warnings() []string { return slices.Clone(s.warnings) }
func (s *csvSource) Close() error       { return s.file.Close() }

func (s *csvSource) Progress() (done, total int64) { return s.read.Load(), s.size }

// Next returns the next non-blank record. Records whose cells are all empty (",,,,") are
// skipped but keep their number, since they are records.
func (s *csvSource) Next(ctx context.Context) (Record, error) {
	for {
		if err := ctx.Err(); err != nil {
			return Record{}, err
		}
		cells, problem, err := s.readRecord()
		if err != nil {
			return Record{}, err
		}
		s.row++
		if problem != "" {
			return Record{Row: s.row, Cells: cells, Problem: problem}, nil
		}
		if allEmpty(cells) {
			continue
		}
		return s.shape(cells), nil
	}
}

// shape compares a record's width with the header's. Extra cells that are all empty (a
// spreadsheet's trailing ",,,") are dropped rather than reported.
func (s *csvSource) shape(cells []string) Record {
	h := len(s.header)
	if len(cells) > h && allEmpty(cells[h:]) {
		cells = cells[:h:h]
	}
	if len(cells) != h {
		return Record{Row: s.row, Cells: cells, Problem: fmt.Sprintf("row has %d cells, the header has %d", len(cells), h)}
	}
	return Record{Row: s.row, Cells: cells}
}

// readRecord reads one record. Quoting mistakes that encoding/csv recovers from at the next
// line come back as a problem; an unclosed quote or an oversized record is a fatal *ReadError
// naming the row where the record began.
func (s *csvSource) readRecord() ([]string, string, error) {
	start := s.csv.InputOffset()
	s.budget.limitAt = start + s.maxBytes + peekSize // the buffer reads ahead up to peekSize
	cells, err := s.csv.Read()
	row := s.row + 1
	if err == nil {
		if s.csv.InputOffset()-start > s.maxBytes {
			return nil, "", &ReadError{File: s.name, Row: row, Err: ErrRecordTooLarge}
		}
		return cells, "", nil
	}
	if errors.Is(err, io.EOF) {
		return nil, "", io.EOF
	}
	col := len(cells) + 1 // the cell being read when it went wrong
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrQuote) && s.budget.eof && s.csv.InputOffset() == s.budget.n:
			return nil, "", &ReadError{File: s.name, Row: row, Column: col,
				Err: fmt.Errorf("%w (it opens on line %d of the file)", ErrUnclosedQuote, pe.StartLine)}
		case errors.Is(pe.Err, csv.ErrQuote):
			return cells, fmt.Sprintf(`cell %d has text after its closing quote (")`, col), nil
		case errors.Is(pe.Err, csv.ErrBareQuote):
			return cells, fmt.Sprintf(`cell %d has a quote (") inside an unquoted value`, col), nil
		}
	}
	if errors.Is(err, ErrRecordTooLarge) {
		return nil, "", &ReadError{File: s.name, Row: row, Column: col,
			Err: fmt.Errorf("%w: over %d bytes", ErrRecordTooLarge, s.maxBytes)}
	}
	return nil, "", &ReadError{File: s.name, Row: row, Err: err}
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func validDelimiter(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && utf8.ValidRune(r) && r != utf8.RuneError
}

// detectDelimiter picks the candidate seen most often on the first line, outside quotes.
// Ties go to the earlier candidate; with none seen the file has one column.
func detectDelimiter(head []byte, preferTab bool) rune {
	var counts [len(delimiterCandidates)]int
	inQuote := false
scan:
	for _, c := range head {
		switch {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '\n' || c == '\r':
			break scan
		default:
			if i := strings.IndexByte(delimiterCandidates, c); i >= 0 {
				counts[i]++
			}
		}
	}
	tab := strings.IndexByte(delimiterCandidates, '\t')
	if preferTab && counts[tab] > 0 {
		return '\t'
	}
	best := -1
	for i, n := range counts {
		if n > 0 && (best < 0 || n > counts[best]) {
			best = i
		}
	}
	switch {
	case best >= 0:
		return rune(delimiterCandidates[best])
	case preferTab:
		return '\t'
	default:
		return ','
	}
}

// crOnlyLineEnds reports whether the first line ending outside quotes is a lone CR (old Mac
// files); atEOF says head is the whole file.
func crOnlyLineEnds(head []byte, atEOF bool) bool {
	inQuote := false
	for i, c := range head {
		switch {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '\n':
			return false
		case c == '\r':
			if i+1 < len(head) {
				return head[i+1] != '\n'
			}
			return atEOF
		}
	}
	return false
}

// countingReader counts the bytes read through it, for progress.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// budgetReader refuses to hand out more than limitAt bytes in total, so that one record (an
// unclosed quote swallowing the rest of the file) cannot grow without bound.
type budgetReader struct {
	r       io.Reader
	n       int64 // bytes handed out
	limitAt int64
	eof     bool
}

func (b *budgetReader) Read(p []byte) (int, error) {
	room := b.limitAt - b.n
	if room <= 0 {
		return 0, ErrRecordTooLarge
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	n, err := b.r.Read(p)
	b.n += int64(n)
	if errors.Is(err, io.EOF) {
		b.eof = true
	}
	return n, err
}

// crToLF turns lone CRs outside quotes into LFs so that encoding/csv sees lines; CRs inside
// quoted fields are data and CRLF pairs are left for encoding/csv.
type crToLF struct {
	r       *bufio.Reader
	inQuote bool
}

func (c *crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := 0; i < n; i++ {
		switch p[i] {
		case '"':
			c.inQuote = !c.inQuote
		case '\r':
			if c.inQuote {
				continue
			}
			var next byte
			if i+1 < n {
				next = p[i+1]
			} else if b, perr := c.r.Peek(1); perr == nil {
				next = b[0]
			}
			if next != '\n' {
				p[i] = '\n'
			}
		}
	}
	return n, err
}
