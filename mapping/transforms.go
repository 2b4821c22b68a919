package mapping

import (
	"net/mail"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"
)

// clean trims a cell and undoes the formula neutralising our own CSV/XLSX
// reports apply: an apostrophe placed before = + - @ (or tab/CR, which the
// trim then removes). That way a report fed back in maps to the same values.
func clean(s string) string {
	if !plainEnds(s) {
		s = strings.TrimSpace(s)
	}
	if len(s) > 1 && s[0] == '\'' {
		switch s[1] {
		case '=', '+', '-', '@', '\t', '\r':
			s = strings.TrimSpace(s[1:])
		}
	}
	return s
}

// plainEnds reports whether s starts and ends with a printable ASCII
// character, so that TrimSpace would return it as it is: the usual cell,
// checked without a call.
func plainEnds(s string) bool {
	return len(s) > 0 && s[0] > ' ' && s[0] < 0x7f && s[len(s)-1] > ' ' && s[len(s)-1] < 0x7f
}

// maxAccountDigits bounds account ids: the API returns them as JSON numbers
// (`{"id": 18}`), and an int64 has at most 19 digits.
const maxAccountDigits = 19

// normalizeAccount checks an account id and returns its canonical form.
// Account ids are numbers on the API side (POST /accounts answers {"id": 18})
// even though bulk bodies key them as strings, so a non-numeric value is a
// mapping mistake (e.g. the account name column) and is rejected; leading
// zeros are dropped so "018" and "18" batch together.
func normalizeAccount(s string) (string, bool) {
	if s == "" || len(s) > maxAccountDigits+8 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
	}
	i := 0
	for i < len(s)-1 && s[i] == '0' {
		i++
	}
	s = s[i:]
	if len(s) > maxAccountDigits {
		return "", false
	}
	return s, true
}

// accountProblem is the message for an account id normalizeAccount refused;
// column is "" for a constant.
func accountProblem(raw, column string) string {
	return accountValue(raw, column) + " is not a number"
}

// accountValue names an account id and its column for messages.
func accountValue(raw, column string) string {
	s := "account id " + strconv.Quote(raw)
	if column != "" {
		s += " in column " + strconv.Quote(column)
	}
	return s
}

// validEmail reports whether s is an email address as net/mail reads it,
// with nothing else around it, and with a dot in the domain. The common
// plain form (dot-atom local part, host name domain) is checked by hand,
// because net/mail allocates; anything else goes through net/mail.
func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return false
	}
	if plainEmail(s, at) {
		return true
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s {
		return false
	}
	domain := s[at+1:]
	return strings.IndexByte(domain, '.') > 0 && domain[len(domain)-1] != '.'
}

// plainEmail accepts local@domain where local is an RFC 5322 dot-atom and
// domain is dot-separated labels of letters, digits and hyphens with at
// least one dot: a strict subset of what validEmail's net/mail path accepts.
func plainEmail(s string, at int) bool {
	local, domain := s[:at], s[at+1:]
	if !dotAtom(local, false) {
		return false
	}
	if strings.IndexByte(domain, '.') < 0 {
		return false
	}
	return dotAtom(domain, true)
}

// dotAtom reports whether s is non-empty runs of atext (or, for host, host
// name) bytes joined by single dots. A flag rather than a func parameter
// keeps the check inlined on the hot path.
func dotAtom(s string, host bool) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if s[i-1] == '.' {
				return false
			}
		case isAlnum(c), c == '-':
		case host || !isAtext(c):
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isAtext is RFC 5322 atext restricted to ASCII.
func isAtext(c byte) bool {
	if isAlnum(c) {
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

// zipResult is what normalizeZip decided about a value.
type zipResult int

const (
	zipOK     zipResult = iota
	zipPadded           // three or four digits: a spreadsheet dropped leading zeros
	zipBad
)

// lowestZip is the smallest ZIP in use (Holtsville, NY): a 3-digit value
// below it cannot be a ZIP that lost its zeros.
const lowestZip = "501"

// normalizeZip accepts a 5-digit ZIP or ZIP+4, keeping leading zeros, and
// pads a 4-digit value, or a 3-digit one from 501 up (Puerto Rico's 006xx,
// 007xx, New York's 00501), that lost its zeros to a spreadsheet.
func normalizeZip(s string) (string, zipResult) {
	switch len(s) {
	case 5:
		if allDigits(s) {
			return s, zipOK
		}
	case 10:
		if s[5] == '-' && allDigits(s[:5]) && allDigits(s[6:]) {
			return s, zipOK
		}
	case 4:
		if allDigits(s) {
			return "0" + s, zipPadded
		}
	case 3:
		if allDigits(s) && s >= lowestZip {
			return "00" + s, zipPadded
		}
	}
	return s, zipBad
}

// hasLetter reports whether s has a letter (any non-ASCII byte counts, so
// "Zürich" and "東京" do): a city or state without one ("-", "0", "98101")
// is a placeholder or a value from the wrong column.
func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}

// hasAlnum reports whether s has a letter or a digit: a street needs one.
func hasAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || isAlnum(c) {
			return true
		}
	}
	return false
}

// validIP reports whether s is an IPv4 or IPv6 address without a zone or
// port; netip parses without allocating.
func validIP(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Zone() == ""
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// tooLong reports whether s has more than max runes, counting only when the
// byte length says it might.
func tooLong(s string, max int) bool {
	return len(s) > max && utf8.RuneCountInString(s) > max
}
