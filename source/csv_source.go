package source

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/xonvo/xonvo-import/internal/slab"
)

// peekSize is how much decoded text is looked at to detect the delimiter and line endings.
const peekSize = 64 << 10

// csvRows reads delimited text with encoding/csv and numbers rows as a
// spreadsheet does: encoding/csv counts physical lines (FieldPos), so a
// blank line keeps its number, and the line breaks inside quoted cells are
// taken back out (extra) because such a record is one spreadsheet row.
type csvRows struct {
	name     string
	c        *content
	budget   *budgetReader
	fix      *utf8Fixer // nil unless the text is UTF-8
	csv      *csv.Reader
	maxBytes int64
	extra    int // line breaks inside the quoted cells of the records read so far
	endLine  int // the physical line the last record ended on
	warnings []string
	// cells hands out the rows' cell slices: one allocation per block of
	// 4096 cells instead of encoding/csv's one per record (ReuseRecord on).
	cells slab.Slab[string]
}

// openCSV reads delimited text from c and finds its header.
func openCSV(ctx context.Context, c *content, opts Options) (_ Source, err error) {
	if opts.Delimiter != 0 && !validDelimiter(opts.Delimiter) {
		return nil, &ReadError{File: c.name, Err: fmt.Errorf("%q: %w", opts.Delimiter, ErrBadDelimiter)}
	}
	enc, warning, err := resolveEncoding(ctx, opts.Encoding, c.head, c.scan)
	if err != nil {
		return nil, &ReadError{File: c.name, Err: err}
	}
	s := &csvRows{name: c.name, c: c, maxBytes: int64(opts.maxFieldBytes())}
	if warning != "" {
		s.warnings = append(s.warnings, c.name+": "+warning)
	}
	decoded, fix, err := enc.reader(c.r)
	if err != nil {
		return nil, &ReadError{File: c.name, Err: err}
	}
	s.fix = fix
	// The budget sits under the one bufio.Reader that encoding/csv reuses as its own (it
	// does not wrap a *bufio.Reader that is large enough), so the hot path copies once.
	s.budget = &budgetReader{r: decoded, limitAt: peekSize + s.maxBytes}
	br := bufio.NewReaderSize(s.budget, peekSize)
	peek, err := br.Peek(peekSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, &ReadError{File: c.name, Err: fmt.Errorf("read: %w", err)}
	}
	comma := opts.Delimiter
	if comma == 0 {
		comma = detectDelimiter(peek, c.ext == ".tsv", opts.HeaderRow)
	}
	var in io.Reader = br
	if crOnlyLineEnds(peek, len(peek) < peekSize) {
		in = &crToLF{r: br}
	}
	s.csv = csv.NewReader(in)
	s.csv.Comma = comma
	s.csv.FieldsPerRecord = -1 // row width is checked against the header, as a row Problem
	s.csv.LazyQuotes = false
	s.csv.ReuseRecord = true // ReadRow copies the cells into s.cells
	return openTable(ctx, c.name, s, layout{}, opts)
}

func (s *csvRows) Warnings() []string { return slices.Clone(s.warnings) }
func (s *csvRows) Close() error       { return s.c.Close() }

func (s *csvRows) Progress() (done, total int64) { return s.c.read.Load(), s.c.size }

// ReadRow reads one record. Quoting mistakes that encoding/csv recovers from
// at the next line come back as a Problem; an unclosed quote or an oversized
// record is a fatal *ReadError naming the row where the record began.
func (s *csvRows) ReadRow(context.Context) (rawRow, error) {
	start := s.csv.InputOffset()
	s.budget.limitAt = start + s.maxBytes + peekSize // the buffer reads ahead up to peekSize
	cells, err := s.csv.Read()
	cells = s.cells.Copy(cells)
	if err == nil {
		line, _ := s.csv.FieldPos(0)
		row := line - s.extra
		last := len(cells) - 1
		lastLine, _ := s.csv.FieldPos(last)
		nl := strings.Count(cells[last], "\n")
		s.extra += lastLine - line + nl
		s.endLine = lastLine + nl
		if s.csv.InputOffset()-start > s.maxBytes {
			return rawRow{}, &ReadError{File: s.name, Row: row, Err: ErrRecordTooLarge}
		}
		r := rawRow{Num: row, Cells: cells}
		if s.fix != nil && len(s.fix.bad) > 0 {
			r.Warning = s.fix.warningBefore(s.csv.InputOffset())
		}
		return r, nil
	}
	if errors.Is(err, io.EOF) {
		return rawRow{}, io.EOF
	}
	row := s.endLine + 1 - s.extra // where the next record starts, short of blank lines
	col := len(cells) + 1          // the cell being read when it went wrong
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		row = pe.StartLine - s.extra
		s.extra += pe.Line - pe.StartLine
		s.endLine = pe.Line
		r := rawRow{Num: row, Cells: cells}
		if s.fix != nil && len(s.fix.bad) > 0 {
			r.Warning = s.fix.warningBefore(s.csv.InputOffset())
		}
		switch {
		case errors.Is(pe.Err, csv.ErrQuote) && s.budget.eof && s.csv.InputOffset() == s.budget.n:
			return rawRow{}, &ReadError{File: s.name, Row: row, Column: col,
				Err: fmt.Errorf("%w (it opens on line %d of the file)", ErrUnclosedQuote, pe.StartLine)}
		case errors.Is(pe.Err, csv.ErrQuote):
			r.Problem = fmt.Sprintf(`cell %d has text after its closing quote (")`, col)
			return r, nil
		case errors.Is(pe.Err, csv.ErrBareQuote):
			r.Problem = fmt.Sprintf(`cell %d has a quote (") inside an unquoted value`, col)
			return r, nil
		}
	}
	if errors.Is(err, ErrRecordTooLarge) {
		return rawRow{}, &ReadError{File: s.name, Row: row, Column: col,
			Err: fmt.Errorf("%w: over %d bytes", ErrRecordTooLarge, s.maxBytes)}
	}
	return rawRow{}, &ReadError{File: s.name, Row: row, Err: err}
}

func validDelimiter(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && utf8.ValidRune(r) && r != utf8.RuneError
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
