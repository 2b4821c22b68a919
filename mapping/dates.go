package mapping

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xonvo/xonvo-import/wire"
)

// Names of the non-pattern formats a mapping may list.
const (
	FormatExcel   = "excel"   // a spreadsheet serial number, 1900 date system
	FormatISO8601 = "iso8601" // RFC 3339-style, with an offset or Z
)

// readerFormat is how the XLSX reader writes a date cell: wall time, no
// zone. It is always accepted, after the API's own format, whatever the
// mapping lists, so a real date cell reads without a formats entry.
const readerFormat = "yyyy-MM-dd'T'HH:mm:ss"

// dateKind tells how one format reads a value.
type dateKind int

const (
	datePattern dateKind = iota
	dateExcel
	dateISO
)

// tokKind is one element of a compiled date pattern.
type tokKind int

const (
	tokLiteral tokKind = iota
	tokYear4
	tokYear2
	tokMonth   // M: 1-2 digits
	tokMonth2  // MM: 2 digits
	tokMonthAb // MMM: Jan
	tokMonthFl // MMMM: January
	tokDay
	tokDay2
	tokHour // H: 0-23, 1-2 digits
	tokHour2
	tokHour12 // h: 1-12, 1-2 digits
	tokHour12x2
	tokMinute
	tokMinute2
	tokSecond
	tokSecond2
	tokFraction // S...: exactly as many digits as letters
	tokAMPM
)

type dateTok struct {
	kind  tokKind
	lit   string // tokLiteral
	width int    // tokFraction
}

// dateFormat is one compiled entry of a field's formats list.
type dateFormat struct {
	name string
	kind dateKind
	toks []dateTok
}

// dateParser reads a timestamp cell with a field's formats, tried in order
// with the API's own format last, and writes it as wire.TimestampFormat.
type dateParser struct {
	formats []dateFormat
	loc     *time.Location
	expect  string // "A, B or C", for messages
}

// newDateParser compiles formats (an empty list means the API's format) for
// the IANA timezone tz ("" means UTC).
func newDateParser(formats []string, tz string) (*dateParser, error) {
	var errs []error
	loc := time.UTC
	if tz != "" {
		l, err := time.LoadLocation(tz)
		if err != nil {
			// LoadLocation's own text only repeats the name.
			errs = append(errs, fmt.Errorf("unknown timezone %q (use an IANA name such as America/New_York)", tz))
		}
		loc = l
	}
	p := &dateParser{loc: loc}
	seen := map[string]bool{}
	names := make([]string, 0, len(formats)+1)
	all := append(append([]string(nil), formats...), wire.TimestampFormat, readerFormat)
	for i, f := range all {
		f = strings.TrimSpace(f)
		key := strings.ToLower(f)
		if f == "" {
			errs = append(errs, errors.New("empty date format"))
			continue
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		df, err := compileDateFormat(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p.formats = append(p.formats, df)
		if i < len(all)-1 {
			// The reader's own layout is not something users write, so
			// messages leave it out.
			names = append(names, df.name)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	p.expect = joinOr(names)
	return p, nil
}

// joinOr writes "a", "a or b", "a, b or c".
func joinOr(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// compileDateFormat turns a format as the API writes its own (Java
// SimpleDateFormat letters) into tokens. Letters outside the supported set
// are refused rather than treated as text, so a typo fails at load time.
func compileDateFormat(f string) (dateFormat, error) {
	switch strings.ToLower(f) {
	case FormatExcel:
		return dateFormat{name: FormatExcel, kind: dateExcel}, nil
	case FormatISO8601:
		return dateFormat{name: FormatISO8601, kind: dateISO}, nil
	}
	df := dateFormat{name: f, kind: datePattern}
	var have [tokAMPM + 1]bool
	addLit := func(s string) {
		if n := len(df.toks); n > 0 && df.toks[n-1].kind == tokLiteral {
			df.toks[n-1].lit += s
			return
		}
		df.toks = append(df.toks, dateTok{kind: tokLiteral, lit: s})
	}
	for i := 0; i < len(f); {
		c := f[i]
		if c == '\'' { // quoted text; '' is an apostrophe
			j := strings.IndexByte(f[i+1:], '\'')
			if j < 0 {
				return df, fmt.Errorf("date format %q: unterminated quote", f)
			}
			if j == 0 {
				addLit("'")
			} else {
				addLit(f[i+1 : i+1+j])
			}
			i += j + 2
			continue
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			addLit(f[i : i+1])
			i++
			continue
		}
		n := 1
		for i+n < len(f) && f[i+n] == c {
			n++
		}
		run := f[i : i+n]
		i += n
		var k tokKind
		switch {
		case c == 'y' && n == 2:
			k = tokYear2
		case c == 'y' && n != 2:
			k = tokYear4
		case c == 'M' && n == 1:
			k = tokMonth
		case c == 'M' && n == 2:
			k = tokMonth2
		case c == 'M' && n == 3:
			k = tokMonthAb
		case c == 'M' && n == 4:
			k = tokMonthFl
		case c == 'd' && n == 1:
			k = tokDay
		case c == 'd' && n == 2:
			k = tokDay2
		case c == 'H' && n == 1:
			k = tokHour
		case c == 'H' && n == 2:
			k = tokHour2
		case c == 'h' && n == 1:
			k = tokHour12
		case c == 'h' && n == 2:
			k = tokHour12x2
		case c == 'm' && n == 1:
			k = tokMinute
		case c == 'm' && n == 2:
			k = tokMinute2
		case c == 's' && n == 1:
			k = tokSecond
		case c == 's' && n == 2:
			k = tokSecond2
		case c == 'S' && n <= 9:
			k = tokFraction
		case c == 'a' && n == 1:
			k = tokAMPM
		default:
			return df, fmt.Errorf("date format %q: unknown token %q (known: yyyy yy M MM MMM MMMM d dd H HH h hh m mm s ss S.. a, 'text', %s, %s)",
				f, run, FormatExcel, FormatISO8601)
		}
		if have[group(k)] {
			return df, fmt.Errorf("date format %q: %q given twice", f, run)
		}
		have[group(k)] = true
		df.toks = append(df.toks, dateTok{kind: k, width: n})
	}
	switch {
	case !have[tokYear4] || !have[tokMonth] || !have[tokDay]:
		return df, fmt.Errorf("date format %q: needs a year, a month and a day", f)
	case have[tokHour12] != have[tokAMPM]:
		return df, fmt.Errorf("date format %q: h (1-12) and a (AM/PM) go together; use H for 0-23", f)
	case have[tokHour12] && have[tokHour]:
		return df, fmt.Errorf("date format %q: both H and h", f)
	}
	return df, nil
}

// group folds the variants of one calendar element together so that a
// format naming it twice is refused.
func group(k tokKind) tokKind {
	switch k {
	case tokYear2:
		return tokYear4
	case tokMonth2, tokMonthAb, tokMonthFl:
		return tokMonth
	case tokDay2:
		return tokDay
	case tokHour2:
		return tokHour
	case tokHour12x2:
		return tokHour12
	case tokMinute2:
		return tokMinute
	case tokSecond2:
		return tokSecond
	}
	return k
}

// civil is a wall-clock time read from a cell.
type civil struct {
	year, month, day, hour, min, sec int
}

// parse reads s with the formats in order and returns it as wire.TimestampFormat.
func (p *dateParser) parse(s string) (string, bool) {
	for i := range p.formats {
		f := &p.formats[i]
		var c civil
		var ok bool
		switch f.kind {
		case datePattern:
			c, ok = f.parsePattern(s)
		case dateExcel:
			c, ok = parseExcel(s)
		case dateISO:
			c, ok = parseISO(s, p.loc)
		}
		if ok {
			return c.format(), true
		}
	}
	return "", false
}

// parsePattern reads s against a compiled pattern, then checks the ranges
// (no month 13, no 31 April, no 29 February outside leap years).
func (f *dateFormat) parsePattern(s string) (civil, bool) {
	var c civil
	pm, ampm := false, false
	pos := 0
	for _, t := range f.toks {
		var v, n int
		switch t.kind {
		case tokLiteral:
			if !strings.HasPrefix(s[pos:], t.lit) {
				return c, false
			}
			pos += len(t.lit)
			continue
		case tokMonthAb, tokMonthFl:
			m, w := monthName(s[pos:], t.kind == tokMonthFl)
			if m == 0 {
				return c, false
			}
			c.month = m
			pos += w
			continue
		case tokAMPM:
			if len(s)-pos < 2 || lower(s[pos+1]) != 'm' {
				return c, false
			}
			switch lower(s[pos]) {
			case 'a':
			case 'p':
				pm = true
			default:
				return c, false
			}
			ampm = true
			pos += 2
			continue
		case tokYear4:
			v, n = digits(s, pos, 4, 4)
		case tokYear2:
			v, n = digits(s, pos, 2, 2)
			// Go's pivot (as time.Parse): 69-99 are 1900s, 00-68 are 2000s.
			if v >= 69 {
				v += 1900
			} else {
				v += 2000
			}
		case tokFraction:
			_, n = digits(s, pos, t.width, t.width)
		case tokMonth, tokDay, tokHour, tokHour12, tokMinute, tokSecond:
			v, n = digits(s, pos, 1, 2)
		default: // the two-digit forms
			v, n = digits(s, pos, 2, 2)
		}
		if n == 0 {
			return c, false
		}
		pos += n
		switch group(t.kind) {
		case tokYear4:
			c.year = v
		case tokMonth:
			c.month = v
		case tokDay:
			c.day = v
		case tokHour, tokHour12:
			c.hour = v
		case tokMinute:
			c.min = v
		case tokSecond:
			c.sec = v
		}
	}
	if pos != len(s) {
		return c, false
	}
	if ampm {
		if c.hour < 1 || c.hour > 12 {
			return c, false
		}
		c.hour %= 12
		if pm {
			c.hour += 12
		}
	}
	return c, c.valid()
}

// digits reads between min and max ASCII digits at s[pos:]; n is 0 when
// fewer than min are there.
func digits(s string, pos, min, max int) (v, n int) {
	for n < max && pos+n < len(s) && s[pos+n] >= '0' && s[pos+n] <= '9' {
		v = v*10 + int(s[pos+n]-'0')
		n++
	}
	if n < min {
		return 0, 0
	}
	return v, n
}

// monthName reads an English month name (full or three-letter, any case)
// at the start of s and returns its number and width.
func monthName(s string, full bool) (int, int) {
	for m := time.January; m <= time.December; m++ {
		name := m.String()
		if !full {
			name = name[:3]
		}
		if len(s) >= len(name) && strings.EqualFold(s[:len(name)], name) {
			return int(m), len(name)
		}
	}
	return 0, 0
}

func (c civil) valid() bool {
	if c.year < 1 || c.year > 9999 || c.month < 1 || c.month > 12 || c.day < 1 ||
		c.hour > 23 || c.min > 59 || c.sec > 59 {
		return false
	}
	return c.day <= daysIn(c.year, c.month)
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// format writes c as wire.TimestampFormat (MM-dd-yyyy HH:mm:ss).
func (c civil) format() string {
	var b [19]byte
	put2 := func(i, v int) { b[i], b[i+1] = byte('0'+v/10), byte('0'+v%10) }
	put2(0, c.month)
	b[2] = '-'
	put2(3, c.day)
	b[5] = '-'
	put2(6, c.year/100)
	put2(8, c.year%100)
	b[10] = ' '
	put2(11, c.hour)
	b[13] = ':'
	put2(14, c.min)
	b[16] = ':'
	put2(17, c.sec)
	return string(b[:])
}

// Excel's 1900 date system: serial 1 is 1 January 1900, and serial 60 is the
// 29 February 1900 that never was (kept by Excel for Lotus 1-2-3), so from
// serial 61 on the days count from 30 December 1899.
const (
	excelMaxSerial = 2958466 // 1 January 10000
	secondsPerDay  = 86400
)

// parseExcel reads a serial number (days, fraction = time of day) and rounds
// it to the nearest second. The result is wall-clock time in the mapping's
// timezone, as the spreadsheet showed it.
func parseExcel(s string) (civil, bool) {
	if s == "" || !(s[0] >= '0' && s[0] <= '9') {
		return civil{}, false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
			return civil{}, false
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 1 || v >= excelMaxSerial {
		return civil{}, false
	}
	secs := int64(math.Round(v * secondsPerDay))
	day := secs / secondsPerDay
	if day == 60 {
		return civil{}, false
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if day < 60 {
		base = base.AddDate(0, 0, 1)
	}
	t := base.Add(time.Duration(secs) * time.Second)
	return civilOf(t), true
}

// isoLayouts are the RFC 3339-like shapes iso8601 accepts; time.Parse also
// takes fractional seconds after the seconds of any of them.
func isoLayouts() [6]string {
	return [6]string{
		"2006-01-02T15:04:05Z07:00",
		"2006-01-02T15:04:05Z0700",
		"2006-01-02T15:04Z07:00",
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02 15:04:05Z0700",
		"2006-01-02T15:04:05Z07",
	}
}

// parseISO reads an ISO 8601 time that carries an offset (or Z) and returns
// its wall-clock time in loc. Without an offset the instant is unknown, so
// such values are refused: list a pattern format for them instead.
func parseISO(s string, loc *time.Location) (civil, bool) {
	if len(s) < 16 || s[4] != '-' {
		return civil{}, false
	}
	for _, l := range isoLayouts() {
		if t, err := time.Parse(l, s); err == nil {
			return civilOf(t.In(loc)), true
		}
	}
	return civil{}, false
}

func civilOf(t time.Time) civil {
	y, mo, d := t.Date()
	h, mi, se := t.Clock()
	return civil{year: y, month: int(mo), day: d, hour: h, min: mi, sec: se}
}
