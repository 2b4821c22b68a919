package source

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// csvParser reads records exactly as encoding/csv's Reader does with
// FieldsPerRecord -1, LazyQuotes false, no comment character and no
// trimming: the same fields, the same *csv.ParseError (ErrQuote,
// ErrBareQuote) with the same lines, the same partial record before an
// error, the same line numbers and input offset. FuzzCSVParserMatchesEncodingCSV
// holds it to encoding/csv byte for byte.
//
// What differs is the cost, on the hot path of every delimited file: a line
// without a quote (almost every line) is turned into one string and cut at
// its delimiters, with no copy into a record buffer first, and the cells of
// many records share one allocation (cellSlab). Records with quotes take
// encoding/csv's own algorithm, transcribed below. On the million-row
// benchmark file this halved the reading goroutine's CPU.
type csvParser struct {
	r     *bufio.Reader
	comma rune

	numLine int   // lines read so far
	offset  int64 // bytes read so far

	rawBuffer    []byte   // a line longer than the bufio buffer
	recordBuffer []byte   // the unquoted text of a record with quotes
	fieldIndexes []int    // where each field ends in recordBuffer
	fieldLines   []int    // the line each field of the last record starts on
	plain        bool     // the last record was one line without quotes: fieldLines is not kept
	slab         []string // cells of records to come (see cellSlab)
}

// cellSlab is how many cells are allocated at once for the records to come.
// A record's Cells is its own window of the slab (capacity capped, so an
// append cannot reach a neighbour); a caller that keeps a record long after
// reading it should copy the slice, or it keeps the slab's other records
// alive with it.
const cellSlab = 4096

func newCSVParser(r io.Reader, comma rune) *csvParser {
	return &csvParser{r: bufio.NewReader(r), comma: comma}
}

// InputOffset is the number of bytes consumed so far, as csv.Reader's.
func (p *csvParser) InputOffset() int64 { return p.offset }

// FieldLine is the line field i of the last record starts on (csv.Reader's
// FieldPos without the column).
func (p *csvParser) FieldLine(i int) int {
	if p.plain {
		return p.numLine
	}
	return p.fieldLines[i]
}

// readLine is csv.Reader's readLine.
func (p *csvParser) readLine() ([]byte, error) {
	line, err := p.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		p.rawBuffer = append(p.rawBuffer[:0], line...)
		for errors.Is(err, bufio.ErrBufferFull) {
			line, err = p.r.ReadSlice('\n')
			p.rawBuffer = append(p.rawBuffer, line...)
		}
		line = p.rawBuffer
	}
	readSize := len(line)
	if readSize > 0 && errors.Is(err, io.EOF) {
		err = nil
		// For backwards compatibility, drop trailing \r before EOF.
		if line[readSize-1] == '\r' {
			line = line[:readSize-1]
		}
	}
	p.numLine++
	p.offset += int64(readSize)
	// Normalize \r\n to \n on all input lines.
	if n := len(line); n >= 2 && line[n-2] == '\r' && line[n-1] == '\n' {
		line[n-2] = '\n'
		line = line[:n-1]
	}
	return line, err
}

func lengthNL(b []byte) int {
	if len(b) > 0 && b[len(b)-1] == '\n' {
		return 1
	}
	return 0
}

func nextRune(b []byte) rune {
	r, _ := utf8.DecodeRune(b)
	return r
}

// cells returns a window of n cells of the slab (nil for none, as
// encoding/csv returns a record without fields).
func (p *csvParser) cells(n int) []string {
	if n == 0 {
		return nil
	}
	if len(p.slab) < n {
		p.slab = make([]string, max(n, cellSlab))
	}
	c := p.slab[:n:n]
	p.slab = p.slab[n:]
	return c
}

// Read reads one record: csv.Reader's Read.
func (p *csvParser) Read() ([]string, error) {
	// Read line (automatically skipping past empty lines).
	var line []byte
	var errRead error
	for errRead == nil {
		line, errRead = p.readLine()
		if errRead == nil && len(line) == lengthNL(line) {
			line = nil
			continue // Skip empty lines
		}
		break
	}
	if errors.Is(errRead, io.EOF) {
		return nil, errRead
	}
	if errRead == nil && p.comma < utf8.RuneSelf && bytes.IndexByte(line, '"') < 0 {
		return p.plainRecord(line), nil
	}
	return p.quotedRecord(line, errRead)
}

// plainRecord cuts a whole line holding no quote at its delimiters: one
// string for the record, its cells slices of it. This is what
// quotedRecord makes of such a line, without its copy into recordBuffer.
func (p *csvParser) plainRecord(line []byte) []string {
	comma := byte(p.comma)
	str := string(line[:len(line)-lengthNL(line)])
	dst := p.cells(1 + strings.Count(str, string(comma)))
	p.plain = true
	for k := 0; ; k++ {
		i := strings.IndexByte(str, comma)
		if i < 0 {
			dst[k] = str
			return dst
		}
		dst[k] = str[:i]
		str = str[i+1:]
	}
}

// quotedRecord parses a record holding quotes, or any record when the
// delimiter is not ASCII: csv.Reader's readRecord from its first line on.
func (p *csvParser) quotedRecord(line []byte, errRead error) ([]string, error) {
	var err error
	const quoteLen = len(`"`)
	commaLen := utf8.RuneLen(p.comma)
	recLine := p.numLine // Starting line for record
	p.recordBuffer = p.recordBuffer[:0]
	p.fieldIndexes = p.fieldIndexes[:0]
	p.fieldLines = p.fieldLines[:0]
	p.plain = false
	pos := struct{ line, col int }{line: p.numLine, col: 1}
parseField:
	for {
		if len(line) == 0 || line[0] != '"' {
			// Non-quoted string field
			i := bytes.IndexRune(line, p.comma)
			field := line
			if i >= 0 {
				field = field[:i]
			} else {
				field = field[:len(field)-lengthNL(field)]
			}
			// Check to make sure a quote does not appear in field.
			if j := bytes.IndexByte(field, '"'); j >= 0 {
				col := pos.col + j
				err = &csv.ParseError{StartLine: recLine, Line: p.numLine, Column: col, Err: csv.ErrBareQuote}
				break parseField
			}
			p.recordBuffer = append(p.recordBuffer, field...)
			p.fieldIndexes = append(p.fieldIndexes, len(p.recordBuffer))
			p.fieldLines = append(p.fieldLines, pos.line)
			if i >= 0 {
				line = line[i+commaLen:]
				pos.col += i + commaLen
				continue parseField
			}
			break parseField
		}
		// Quoted string field
		fieldLine := pos.line
		line = line[quoteLen:]
		pos.col += quoteLen
		for {
			i := bytes.IndexByte(line, '"')
			switch {
			case i >= 0:
				// Hit next quote.
				p.recordBuffer = append(p.recordBuffer, line[:i]...)
				line = line[i+quoteLen:]
				pos.col += i + quoteLen
				switch rn := nextRune(line); {
				case rn == '"':
					// `""` sequence (append quote).
					p.recordBuffer = append(p.recordBuffer, '"')
					line = line[quoteLen:]
					pos.col += quoteLen
				case rn == p.comma:
					// `",` sequence (end of field).
					line = line[commaLen:]
					pos.col += commaLen
					p.fieldIndexes = append(p.fieldIndexes, len(p.recordBuffer))
					p.fieldLines = append(p.fieldLines, fieldLine)
					continue parseField
				case lengthNL(line) == len(line):
					// `"\n` sequence (end of line).
					p.fieldIndexes = append(p.fieldIndexes, len(p.recordBuffer))
					p.fieldLines = append(p.fieldLines, fieldLine)
					break parseField
				default:
					// `"*` sequence (invalid non-escaped quote).
					err = &csv.ParseError{StartLine: recLine, Line: p.numLine, Column: pos.col - quoteLen, Err: csv.ErrQuote}
					break parseField
				}
			case len(line) > 0:
				// Hit end of line (copy all data so far).
				p.recordBuffer = append(p.recordBuffer, line...)
				if errRead != nil {
					break parseField
				}
				pos.col += len(line)
				line, errRead = p.readLine()
				if len(line) > 0 {
					pos.line++
					pos.col = 1
				}
				if errors.Is(errRead, io.EOF) {
					errRead = nil
				}
			default:
				// Abrupt end of file (EOF or error).
				if errRead == nil {
					err = &csv.ParseError{StartLine: recLine, Line: pos.line, Column: pos.col, Err: csv.ErrQuote}
					break parseField
				}
				p.fieldIndexes = append(p.fieldIndexes, len(p.recordBuffer))
				p.fieldLines = append(p.fieldLines, fieldLine)
				break parseField
			}
		}
	}
	if err == nil {
		err = errRead
	}

	// Create a single string and create slices out of it.
	str := string(p.recordBuffer)
	dst := p.cells(len(p.fieldIndexes))
	var preIdx int
	for i, idx := range p.fieldIndexes {
		dst[i] = str[preIdx:idx]
		preIdx = idx
	}
	return dst, err
}
