package xlsx

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// DateTimeLayout is how date and time cells are delivered: ISO 8601 without a zone,
// to the second. A time without a date is on 1899-12-30, day 0 of the 1900 system.
const DateTimeLayout = "2006-01-02T15:04:05"

type fmtKind uint8

const (
	fmtGeneral fmtKind = iota // the shortest exact decimal
	fmtDate                   // a serial date/time
	fmtDigits                 // an integer shown through digit placeholders, e.g. 00000 or 000-00-0000
)

// cellFormat is what a cell style's number format means for the text we deliver.
type cellFormat struct {
	kind     fmtKind
	timeOnly bool      // fmtDate: a time of day or duration, no date part
	pattern  []patElem // fmtDigits: the first section
}

// patElem is a digit placeholder ('0', '#' or '?') or, when lit is set, literal text.
type patElem struct {
	ph  byte
	lit string
}

// builtinDate reports whether a built-in number format shows dates or times (ECMA-376
// 18.8.30, plus the East Asian and Thai ids Excel assigns to locale date formats), and
// whether it shows only a time.
func builtinDate(id int) (date, timeOnly bool) {
	switch {
	case id >= 18 && id <= 21, id >= 32 && id <= 35, id >= 45 && id <= 47, id == 55, id == 56:
		return true, true
	case id >= 14 && id <= 22, id >= 27 && id <= 36, id >= 50 && id <= 58, id >= 71 && id <= 81:
		return true, false
	}
	return false, false
}

// classifyNumFmt classifies number format id, looking first among the workbook's own codes.
func classifyNumFmt(id int, custom map[int]string) cellFormat {
	code, ok := custom[id]
	if !ok {
		if date, timeOnly := builtinDate(id); date {
			return cellFormat{kind: fmtDate, timeOnly: timeOnly}
		}
		return cellFormat{}
	}
	if date, timeOnly := dateCode(code); date {
		return cellFormat{kind: fmtDate, timeOnly: timeOnly}
	}
	if pat, ok := digitPattern(code); ok {
		return cellFormat{kind: fmtDigits, pattern: pat}
	}
	return cellFormat{}
}

// dateCode reports whether a format code shows a date or time: it has d, m, y, h or s
// outside quoted text, escapes, fill/space directives and [bracketed] parts other than
// elapsed-time ones ([h], [mm], [ss]). It shows only a time when it has h or s (or an
// elapsed part) and neither d nor y; a lone m is then minutes.
func dateCode(code string) (date, timeOnly bool) {
	var hasDate, hasTime, hasM bool
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return false, false
			}
			i += j + 1
		case '\\', '_', '*':
			i++ // the next character is literal, a width or a fill
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				return false, false
			}
			inner := strings.ToLower(code[i+1 : i+j])
			if inner != "" && strings.Trim(inner, "hms") == "" {
				hasTime = true
			}
			i += j
		case ';':
			i = len(code) // the first section decides
		default:
			switch c | 0x20 { // lower case
			case 'd', 'y':
				hasDate = true
			case 'h', 's':
				hasTime = true
			case 'm':
				hasM = true
			}
		}
	}
	switch {
	case hasDate:
		return true, false
	case hasTime:
		return true, true
	}
	return hasM, false
}

// digitPattern parses the first section of code when it is only digit placeholders and
// literal text (zip codes, SSNs, account numbers). Thousands separators, decimals, percent,
// exponents, fractions, conditions and text sections are not: those values stay plain.
func digitPattern(code string) ([]patElem, bool) {
	section, zeros := code, 0
	if i := sectionEnd(code); i >= 0 {
		section = code[:i]
	}
	var pat []patElem
	lit := func(s string) {
		if n := len(pat); n > 0 && pat[n-1].ph == 0 {
			pat[n-1].lit += s
			return
		}
		pat = append(pat, patElem{lit: s})
	}
	for i := 0; i < len(section); i++ {
		switch c := section[i]; c {
		case '0', '#', '?':
			if c == '0' {
				zeros++
			}
			pat = append(pat, patElem{ph: c})
		case '"':
			j := strings.IndexByte(section[i+1:], '"')
			if j < 0 {
				return nil, false
			}
			lit(section[i+1 : i+1+j])
			i += j + 1
		case '\\':
			if i+1 >= len(section) {
				return nil, false
			}
			lit(section[i+1 : i+2])
			i++
		case '[':
			j := strings.IndexByte(section[i:], ']')
			if j < 0 {
				return nil, false
			}
			inner := section[i+1 : i+j]
			// Colours and locale tags ([$-409]) change nothing here; currency symbols and
			// conditions would, so those formats are left alone.
			if strings.HasPrefix(inner, "$") && !strings.HasPrefix(inner, "$-") || strings.ContainsAny(inner[:min(1, len(inner))], "<>=") {
				return nil, false
			}
			i += j
		case '-', ' ', '(', ')', ':', '+':
			lit(string(c))
		default:
			return nil, false
		}
	}
	if zeros == 0 {
		return nil, false
	}
	return pat, true
}

// sectionEnd is the index of the first ';' outside quotes and escapes, or -1.
func sectionEnd(code string) int {
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return -1
			}
			i += j + 1
		case '\\':
			i++
		case ';':
			return i
		}
	}
	return -1
}

// appendDigits lays the digits of a non-negative integer into the pattern the way a
// spreadsheet does: from the right, the leftmost placeholder taking any extra digits.
func appendDigits(dst []byte, pat []patElem, digits []byte) []byte {
	first := -1
	for i, e := range pat {
		if e.ph != 0 {
			first = i
			break
		}
	}
	// Fill from the right into a scratch area past dst's end, then move it into place.
	var scratch [64]byte
	out := scratch[:0]
	di := len(digits)
	for i := len(pat) - 1; i >= 0; i-- {
		e := pat[i]
		switch {
		case e.ph == 0:
			for j := len(e.lit) - 1; j >= 0; j-- {
				out = append(out, e.lit[j])
			}
		case i == first && di > 0:
			for ; di > 0; di-- {
				out = append(out, digits[di-1])
			}
		case di > 0:
			out = append(out, digits[di-1])
			di--
		case e.ph == '0':
			out = append(out, '0')
		case e.ph == '?':
			out = append(out, ' ')
		}
	}
	for i := len(out) - 1; i >= 0; i-- {
		dst = append(dst, out[i])
	}
	return dst
}

// appendNumber appends what we deliver for a numeric cell's stored text.
func appendNumber(dst, v []byte, cf cellFormat, date1904 bool) []byte {
	if plainInteger(v) {
		switch cf.kind {
		case fmtGeneral:
			return append(dst, v...)
		case fmtDigits:
			return appendDigits(dst, cf.pattern, v)
		}
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		return append(dst, v...)
	}
	switch cf.kind {
	case fmtDate:
		if cf.timeOnly && f < 1 {
			date1904 = false // a time of day is on 1899-12-30 in either system
		}
		if t, ok := serialTime(f, date1904); ok {
			return appendDateTime(dst, t)
		}
	case fmtDigits:
		if f >= 0 && f < 1e15 && f == math.Trunc(f) {
			return appendDigits(dst, cf.pattern, strconv.AppendFloat(nil, f, 'f', -1, 64))
		}
	}
	return strconv.AppendFloat(dst, f, 'f', -1, 64)
}

// appendDateTime appends t as DateTimeLayout. time.Time.AppendFormat reads the
// layout again for every cell: 0.4 s of the million-row sheet's dates.
func appendDateTime(dst []byte, t time.Time) []byte {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	if y < 0 || y > 9999 {
		return t.AppendFormat(dst, DateTimeLayout)
	}
	two := func(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }
	dst = two(dst, y/100)
	dst = two(dst, y%100)
	dst = two(append(dst, '-'), int(mo))
	dst = two(append(dst, '-'), d)
	dst = two(append(dst, 'T'), h)
	dst = two(append(dst, ':'), mi)
	return two(append(dst, ':'), s)
}

// plainInteger reports whether v is digits only, short enough to be exact, no leading zero.
func plainInteger(v []byte) bool {
	if len(v) == 0 || len(v) > 15 || (v[0] == '0' && len(v) > 1) {
		return false
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// serialTime converts a spreadsheet serial date to a time, rounded to the nearest second
// (half a second rounds up). Rounding goes through whole milliseconds first so that the
// float error of the stored serial cannot turn 23.5 s into 23.4999 s. In the 1900 system
// day 0 (Excel's "1900-01-00", a time without a date) is 1899-12-30.
func serialTime(serial float64, date1904 bool) (time.Time, bool) {
	const maxSerial = 2958466 // 10000-01-01 in the 1900 system
	if serial < 0 || serial >= maxSerial || math.IsNaN(serial) {
		return time.Time{}, false
	}
	ms := int64(math.Round(serial * 86400000))
	secs := (ms + 500) / 1000
	days, rem := secs/86400, secs%86400
	var base time.Time
	switch {
	case date1904:
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	case days == 0:
		base = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	case days < 60:
		// Serials before Excel's phantom 1900-02-29 count from 1899-12-31.
		base = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	default:
		base = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	}
	return base.AddDate(0, 0, int(days)).Add(time.Duration(rem) * time.Second), true
}

// isoCellTime formats a t="d" cell (an ISO 8601 date/time) like a serial date.
func isoCellTime(v string) string {
	for _, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02", "15:04:05.999999999"} {
		if t, err := time.Parse(layout, v); err == nil {
			if layout == "15:04:05.999999999" {
				t = time.Date(1899, 12, 30, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
			}
			return t.Round(time.Second).Format(DateTimeLayout)
		}
	}
	return v
}
