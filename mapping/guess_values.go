package mapping

import (
	"strconv"
	"strings"
	"time"
)

// valueKind is something a column's values can look like.
type valueKind int

const (
	kindNone valueKind = iota
	kindEmail
	kindJornaya
	kindTrustedForm
	kindIP
	kindPhone
	kindDate
	kindState
	kindZip
	kindAccount
	numKinds
)

// kindOf is the value kind that confirms a target, kindNone for targets
// whose values say nothing (names, cities, ids). States are judged only for
// North America: elsewhere a region's own names are right, and the import
// sends them as given.
func kindOf(target, region string) valueKind {
	switch target {
	case "email":
		return kindEmail
	case "jornayaLeadId":
		return kindJornaya
	case "trustedFormId":
		return kindTrustedForm
	case "ipAddress":
		return kindIP
	case "phone":
		return kindPhone
	case "timestamp":
		return kindDate
	case "state":
		if region == "US" || region == "CA" {
			return kindState
		}
	case "zip":
		return kindZip
	case targetAccount:
		return kindAccount
	}
	return kindNone
}

// target is the field (or account) a value kind stands for.
func (k valueKind) target() string {
	return [...]string{"", "email", "jornayaLeadId", "trustedFormId", "ipAddress", "phone", "timestamp", "state", "zip", targetAccount}[k]
}

// describe names the kind in a comment: "values look like US states".
func (k valueKind) describe(region string) string {
	switch k {
	case kindPhone:
		if region == "US" || region == "CA" {
			return "US phone numbers"
		}
		return "phone numbers (region " + region + ")"
	case kindEmail:
		return "email addresses"
	case kindJornaya:
		return "Jornaya LeadiD tokens"
	case kindTrustedForm:
		return "TrustedForm certificate URLs"
	case kindIP:
		return "IP addresses"
	case kindDate:
		return "dates"
	case kindState:
		return "US states"
	case kindZip:
		return "US ZIP codes"
	case kindAccount:
		return "account ids"
	}
	return "values"
}

// maxProfiled bounds the values looked at per column: enough to judge,
// and the phone check costs microseconds for numbers outside North America.
const maxProfiled = 200

// Thresholds: a guess from values is made when at least sureShare of at
// least minSure values fit; a share from maybeShare up is only suggested.
const (
	sureShare  = 0.9
	minSure    = 3
	maybeShare = 0.5
)

// profile counts what a column's sample values look like.
type profile struct {
	n    int // non-empty values looked at
	hits [numKinds]int
	// Evidence that separates real phones, ZIPs and states from other
	// numbers and codes.
	formattedPhone bool // a phone with +, spaces, dashes or parentheses
	zipEvidence    bool // a leading zero, a ZIP+4 or a padded float
	stateName      bool // a state written as a name
	distinct       int
	wholeAddress   int // values with two spaces in a row: Mailchimp's joined address
}

// share is the part of the non-empty values that fit k.
func (p *profile) share(k valueKind) float64 {
	if p.n == 0 {
		return 0
	}
	return float64(p.hits[k]) / float64(p.n)
}

// ofN says how many of how many values fit k: "98 of 100".
func (p *profile) ofN(k valueKind) string {
	return strconv.Itoa(p.hits[k]) + " of " + strconv.Itoa(p.n)
}

// profileColumn looks at a column's sample values.
func profileColumn(values []string, region string, dates *dateMatcher) profile {
	var p profile
	seen := map[string]bool{}
	for _, v := range values {
		if p.n == maxProfiled {
			break
		}
		if isSheetError(v) {
			continue
		}
		p.n++
		if !seen[v] {
			seen[v] = true
			p.distinct++
		}
		if strings.Contains(v, "  ") {
			p.wholeAddress++
		}
		n, form := plainNumber(v)
		switch {
		case validEmail(v):
			p.hits[kindEmail]++
		case isUpperUUID(v):
			p.hits[kindJornaya]++
		case strings.HasPrefix(v, "https://cert.trustedform.com/") || strings.HasPrefix(v, "http://cert.trustedform.com/"):
			p.hits[kindTrustedForm]++
		case strings.ContainsAny(v, ".:") && validIP(v):
			p.hits[kindIP]++
		}
		if looksLikePhone(n, region) {
			p.hits[kindPhone]++
			if form == numAsIs && strings.ContainsAny(v, "+ -()") {
				p.formattedPhone = true
			}
		}
		if dates.match(v) {
			p.hits[kindDate]++
		}
		if hasLetter(v) {
			if _, ok := stateCode(v); ok {
				p.hits[kindState]++
				p.stateName = p.stateName || len(v) > 2
			}
		}
		// A plain 3- or 4-digit number is a count or a year far more often
		// than a ZIP; from a float it is pandas' ZIP that lost its zeros.
		if z, res := normalizeZip(n); res == zipOK || res == zipPadded && form == numIntegral {
			p.hits[kindZip]++
			if res == zipPadded || z[0] == '0' || len(z) == 10 {
				p.zipEvidence = true
			}
		}
		if form != numLost && allDigits(n) && len(n) <= maxAccountDigits {
			p.hits[kindAccount]++
		}
	}
	return p
}

// looksLikePhone reports whether a value is a possible phone number long
// enough not to be a count or a code: nine digits at least, or a +.
func looksLikePhone(v, region string) bool {
	if len(v) > 2 && v[0] == 'p' && v[1] == ':' {
		v = v[2:]
	}
	digits := 0
	for i := 0; i < len(v); i++ {
		if isDigit(v[i]) {
			digits++
		}
	}
	if digits < 9 && !strings.HasPrefix(v, "+") {
		return false
	}
	return normalizePhone(v, region).OK
}

// isUpperUUID reports whether v is 8-4-4-4-12 hex in upper case, as
// Jornaya writes LeadiD tokens; CRMs write their GUIDs in lower case.
func isUpperUUID(v string) bool {
	return isUUID(v) && strings.ToUpper(v) == v && strings.IndexFunc(v, func(r rune) bool { return r >= 'A' && r <= 'F' }) >= 0
}

// isUUID reports whether v is 8-4-4-4-12 hex digits.
func isUUID(v string) bool {
	if len(v) != 36 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// allMatch reports whether there are values and all satisfy ok.
func allMatch(values []string, ok func(string) bool) bool {
	for _, v := range values {
		if !ok(v) {
			return false
		}
	}
	return len(values) > 0
}

// dateMatcher tells whether a value is a date in any format mapping init
// knows, except excel: a serial number is just a number until a header
// says it is a date.
type dateMatcher struct {
	formats []dateFormat
}

func newDateMatcher() *dateMatcher {
	m := &dateMatcher{}
	for _, f := range dateCandidates() {
		if f == FormatExcel {
			continue
		}
		if df, err := compileDateFormat(f); err == nil {
			m.formats = append(m.formats, df)
		}
	}
	return m
}

func (m *dateMatcher) match(v string) bool {
	if len(v) < 6 || !strings.ContainsAny(v, "0123456789") {
		return false
	}
	p := dateParser{formats: m.formats, loc: time.UTC}
	_, ok := p.parse(v)
	return ok
}
