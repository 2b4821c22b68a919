package mapping

import (
	"errors"
	"fmt"
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
func joinOr(s []string) string { return joinList(s, " or ") }

// joinList writes "a", "a<last>b", "a, b<last>c".
func joinList(s []string, last string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + last + s[len(s)-1]
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
