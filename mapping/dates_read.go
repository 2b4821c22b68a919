package mapping

import (
	"math"
	"strconv"
	"strings"
	"time"
)

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
			return c.formatLike(s), true
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

// formatLike writes c as wire.TimestampFormat (MM-dd-yyyy HH:mm:ss), or
// returns s itself when s already reads that way: most exports write the
// API's own format, and the cell's text then needs no copy.
func (c civil) formatLike(s string) string {
	b := c.layout()
	if string(b[:]) == s {
		return s
	}
	return string(b[:])
}

// layout lays c out as wire.TimestampFormat.
func (c civil) layout() [19]byte {
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
	return b
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
