package reports

import (
	"bytes"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// The CSV report's cells are appended straight into the writer's buffer,
// byte for byte what encoding/csv's Writer (comma ",", "\n" line ends)
// writes for the neutralised cell. encoding/csv wants a []string per row, so
// every formula-like cell (each E.164 phone) cost a string allocation for
// its ' and every number an Itoa; the profile of a million-row dry run had
// the report at a quarter of the CPU. TestAppendCSVMatchesEncodingCSV holds
// the two to the same bytes.

// Eight copies of each byte that makes encoding/csv quote a field, and the
// constants of the zero-byte test, for indexCSVSpecial.
const (
	lanes1    = 0x0101010101010101
	lanes80   = 0x8080808080808080
	lanesLF   = '\n' * lanes1
	lanesCR   = '\r' * lanes1
	lanesQ    = '"' * lanes1
	lanesComa = ',' * lanes1
)

// indexCSVSpecial returns the index of the first comma, quote, CR or LF in
// s, or -1. Cells are scanned eight bytes at a time: a report writes every
// input cell again, and a byte loop was most of the writer's time.
func indexCSVSpecial(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if zeroLane(x^lanesLF)|zeroLane(x^lanesCR)|zeroLane(x^lanesQ)|zeroLane(x^lanesComa) != 0 {
			break // the byte loop below finds which one
		}
	}
	for ; i < len(s); i++ {
		switch s[i] {
		case '\n', '\r', '"', ',':
			return i
		}
	}
	return -1
}

// zeroLane is non-zero when one of x's bytes is zero (the classic test: it
// can flag a 0x01 byte above a zero one, never a word without a zero).
func zeroLane(x uint64) uint64 { return (x - lanes1) &^ x & lanes80 }

// appendCSVRow appends r as one report line: the fixed columns, then the
// original cells, padded to nOrig with empty cells. Most rows need no
// quotes at all, so the row is first written plain and checked once as a
// whole (SIMD searches over the line, where a search a cell was most of the
// writer's time); a row that needs quotes is written again cell by cell.
func appendCSVRow(b []byte, r *RowResult, nOrig int) []byte {
	start := len(b)
	if b, ok := appendRow(b, r, nOrig, true); ok {
		line := b[start:]
		if bytes.IndexByte(line, '"') < 0 && bytes.IndexByte(line, '\n') < 0 && bytes.IndexByte(line, '\r') < 0 &&
			bytes.Count(line, []byte{','}) == nFixed+nOrig-1 {
			return append(b, '\n')
		}
	}
	b, _ = appendRow(b[:start], r, nOrig, false)
	return append(b, '\n')
}

// appendRow lays r out, each text cell through appendText; ok is false when
// a plain row cannot be written plain. The line end is left to the caller.
func appendRow(b []byte, r *RowResult, nOrig int, plain bool) (_ []byte, ok bool) {
	b, ok = appendText(b, r.File, plain)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Row), 10)
	b = append(b, ',')
	b, ok2 := appendText(b, string(r.Status), plain)
	ok = ok && ok2
	b = append(b, ',')
	b, ok2 = appendText(b, r.Message, plain)
	ok = ok && ok2
	b = append(b, ',')
	b, ok2 = appendText(b, r.AccountID, plain)
	ok = ok && ok2
	b = append(b, ',')
	b, ok2 = appendText(b, r.ExternalID, plain)
	ok = ok && ok2
	b = append(b, ',')
	b, ok2 = appendText(b, r.Phone, plain)
	ok = ok && ok2
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.HTTPStatus), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Attempts), 10)
	for _, c := range r.Original {
		b = append(b, ',')
		b, ok2 = appendText(b, c, plain)
		ok = ok && ok2
	}
	for range nOrig - len(r.Original) {
		b = append(b, ',')
	}
	return b, ok
}

// appendText appends neutralise(s): plain, unquoted, reporting false when
// its start alone asks for quotes (see quoteUnspecial; quotes, line breaks
// and commas inside are the caller's to look for, in the whole line), or
// else quoted as encoding/csv quotes it.
func appendText(b []byte, s string, plain bool) ([]byte, bool) {
	if !plain {
		return appendCSVCell(b, s), true
	}
	if s == "" {
		return b, true
	}
	if neutralisePrefix(s) {
		b = append(b, '\'')
	} else if quoteUnspecial(s) {
		return b, false
	}
	return append(b, s...), true
}

// appendCSVCell appends neutralise(s) as encoding/csv writes a field.
func appendCSVCell(b []byte, s string) []byte {
	prefix := neutralisePrefix(s)
	special := indexCSVSpecial(s)
	if special < 0 && (prefix || !quoteUnspecial(s)) {
		if prefix {
			b = append(b, '\'')
		}
		return append(b, s...)
	}
	b = append(b, '"')
	if prefix {
		b = append(b, '\'')
	}
	if special < 0 {
		b = append(b, s...)
		return append(b, '"')
	}
	// Only quotes change inside quotes: "\r" and "\n" are written as they
	// are (encoding/csv without UseCRLF).
	b = append(b, s[:special]...)
	for i := special; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// quoteUnspecial is encoding/csv's quoting rule for a field with no comma,
// quote or line break: `\.` (a PostgreSQL end-of-data marker) and a field
// starting with a space are quoted.
func quoteUnspecial(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	if s[0] < utf8.RuneSelf {
		return asciiSpace(s[0])
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

func asciiSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// neutralisePrefix reports whether neutralise puts a ' before s.
func neutralisePrefix(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	if c == '\'' {
		i := 1
		for i < len(s) && s[i] == '\'' {
			i++
		}
		if i == len(s) {
			return false
		}
		c = s[i]
	}
	switch c {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}
