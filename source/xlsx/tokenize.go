package xlsx

import (
	"fmt"
	"io"
	"sync"
)

// Reading a sheet is three stages on their own goroutines: one inflates the part
// (readAhead), one tokenizes the XML into batches of raw rows (this file), and Next
// resolves them: shared strings, number formats, merged ranges, the row's strings.
// Tokenizing and resolving cost about the same, so on two cores the split nearly
// halves the time to the last row; batches are recycled, so memory stays a few
// batches' worth.

const (
	batchRows  = 512
	batchText  = 1 << 20 // a batch is sent once its raw text passes this
	batchAhead = 4       // batches in flight
)

// rawCell is a cell as the tokenizer read it: its text still to be resolved.
type rawCell struct {
	col, style int32
	typ        cellType
	hasV       bool  // a <v> was read (a shared-string cell without one is empty)
	start, end int32 // the value's text in batch.text
}

// rawRow is a row as the tokenizer read it.
type rawRow struct {
	num         int
	first, last int     // its cells: batch.cells[first:last]
	problems    []error // cells the tokenizer dropped
}

// batch is rows read ahead. The last batch of a sheet carries err: io.EOF at the end,
// or why the sheet cannot be read on.
type batch struct {
	text   []byte
	cells  []rawCell
	rows   []rawRow
	err    error
	errRow int
}

// tokenizer reads the sheet XML into batches on its own goroutine.
type tokenizer struct {
	r       *SheetReader // for the scanner, limits and problem messages
	s       *scanner
	depth   int // of <sheetData>
	eof     bool
	lastRow int
	limit   int
	val     textSink
	item    itemReader

	out  chan *batch
	free chan *batch
	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

func (t *tokenizer) start() {
	t.out, t.free, t.stop = make(chan *batch, batchAhead), make(chan *batch, batchAhead+1), make(chan struct{})
	t.wg.Add(1)
	go t.run()
}

// close stops the goroutine; the caller then closes the part, which unblocks a read.
func (t *tokenizer) close() {
	t.once.Do(func() { close(t.stop) })
}

func (t *tokenizer) run() {
	defer t.wg.Done()
	defer close(t.out)
	for {
		var b *batch
		select {
		case b = <-t.free:
			b.text, b.cells, b.rows = b.text[:0], b.cells[:0], b.rows[:0]
		case <-t.stop:
			return
		default:
			b = &batch{}
		}
		for len(b.rows) < batchRows && len(b.text) < batchText && b.err == nil {
			if err := t.row(b); err != nil {
				b.err, b.errRow = err, t.lastRow
			}
		}
		select {
		case t.out <- b:
		case <-t.stop:
			return
		}
		if b.err != nil {
			return
		}
	}
}

// row reads the next <row> of <sheetData> into b, or returns io.EOF.
func (t *tokenizer) row(b *batch) error {
	s := t.s
	for {
		if t.eof {
			return io.EOF
		}
		ok, err := s.child(t.depth)
		if err != nil {
			return err
		}
		if !ok {
			t.eof = true
			continue
		}
		if s.kind == tagClose {
			continue
		}
		if !s.is("row") {
			if err := s.skip(); err != nil {
				return err
			}
			continue
		}
		num := t.lastRow + 1
		if v, ok := attr(s.attrs, "r", false); ok {
			if n, ok := parseUint(trimSpace(v)); ok && n > 0 {
				num = n
			}
		}
		if num > maxRows {
			return fmt.Errorf("%w: row number %d is past the last row a sheet can have (%d)", ErrNotXLSX, num, maxRows)
		}
		t.lastRow = num
		b.rows = append(b.rows, rawRow{num: num, first: len(b.cells)})
		row := &b.rows[len(b.rows)-1]
		if s.kind == tagOpen {
			if err := t.cells(b, row); err != nil {
				b.rows, b.cells = b.rows[:len(b.rows)-1], b.cells[:row.first] // a row read in part is not delivered
				return err
			}
		}
		row.last = len(b.cells)
		return nil
	}
}

// cells reads the <c> elements of the row just opened, through </row>.
func (t *tokenizer) cells(b *batch, row *rawRow) error {
	s := t.s
	d := s.depth
	col := 0
	rowStart := len(b.text)
	full := false
	for {
		// Nearly every cell tag is a plain <c ...>: read it directly, without the
		// general tag machinery.
		a, fast := s.fastCellTag()
		if !fast {
			ok, err := s.child(d)
			if err != nil || !ok {
				return err
			}
			if s.kind == tagClose {
				continue
			}
			if !s.is("c") {
				if err := s.skip(); err != nil {
					return err
				}
				continue
			}
			a = readCellAttrs(s.attrs)
		}
		col++
		c := rawCell{col: int32(col), style: -1, typ: parseCellType(a.typ)}
		if n, ok := parseUint(a.style); ok {
			c.style = int32(n)
		}
		ref := a.ref
		if ref != nil {
			cc, _, ok := splitCellRef(ref)
			if !ok {
				row.problems = append(row.problems, t.r.problemErr(col, row.num, ErrBadCell,
					fmt.Sprintf("a cell in column %s has the reference %q, which is not a cell", ColumnName(col), ref)))
				if err := s.skip(); err != nil {
					return err
				}
				continue
			}
			col, c.col = cc, int32(cc)
		}
		if s.kind == tagSelfClose {
			continue
		}
		start := len(b.text)
		size, err := t.cell(b, &c)
		if err != nil {
			return err
		}
		switch {
		case size > 0:
			row.problems = append(row.problems, t.r.tooLargeErr(col, row.num, size))
		case len(b.text)-rowStart > maxRowCells*t.limit:
			b.text = b.text[:start]
			if !full {
				full = true
				row.problems = append(row.problems, t.r.rowFullErr(col, row.num))
			}
		case c.hasV || len(b.text) > start:
			c.start, c.end = int32(start), int32(len(b.text))
			b.cells = append(b.cells, c)
		}
	}
}

// readCellAttrs picks r, s and t out of a cell tag's raw attributes.
func readCellAttrs(attrs []byte) cellAttrs {
	var a cellAttrs
	for len(attrs) > 0 {
		name, val, rest, ok := nextAttr(attrs)
		if !ok {
			break
		}
		attrs = rest
		if len(name) == 1 {
			a.set(name[0], val)
		}
	}
	return a
}

// cell reads the content of a cell through </c>, appending its value's text to b.text.
// It returns the value's size when that is over the limit (nothing is appended).
func (t *tokenizer) cell(b *batch, c *rawCell) (oversize int64, err error) {
	s := t.s
	if v, ok := s.fastText(fastV, fastVClose, t.limit); ok {
		c.hasV = true
		b.text = append(b.text, v...)
		return 0, nil
	}
	d := s.depth
	hasIS := false
	var inline []byte
	t.val.reset(t.limit)
	for {
		ok, err := s.child(d)
		if err != nil {
			return 0, err
		}
		if !ok {
			break
		}
		switch {
		case s.kind == tagClose:
		case s.is("v"):
			t.val.reset(t.limit)
			if err := s.elementText(&t.val); err != nil {
				return 0, err
			}
			c.hasV = true
		case s.is("is"):
			var size int64
			if inline, size, err = t.item.read(s, t.limit); err != nil {
				return 0, err
			}
			if c.typ == typeInline && size > 0 {
				oversize = size
			}
			hasIS = true
		default:
			if err := s.skip(); err != nil {
				return 0, err
			}
		}
	}
	switch {
	case oversize > 0:
		return oversize, nil
	case c.typ == typeInline && hasIS:
		c.typ = typeText
		b.text = append(b.text, inline...)
	case c.hasV && t.val.over():
		return t.val.size, nil
	default:
		b.text = append(b.text, t.val.buf...)
	}
	return 0, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isXMLSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isXMLSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}
