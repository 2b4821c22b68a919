package mapping

import (
	"strconv"

	"github.com/nyaruka/phonenumbers"
)

// maxPhoneLen is the API's limit on phone (characters).
const maxPhoneLen = 100

// phoneResult is a normalised phone number, or why there is none.
type phoneResult struct {
	E164      string
	Extension string // dropped from E164; the caller warns about it
	OK        bool
}

// normalizePhone turns s into E.164 using region for numbers written without
// a country code. It checks the number is possible (its length fits the
// country's plan), not that it is assigned. North American numbers (region
// US/CA, or a +1 prefix) take a hand-written path; everything else goes
// through libphonenumber, which costs tens of microseconds.
func normalizePhone(s, region string) phoneResult {
	nanp := region == "US" || region == "CA" || len(s) > 1 && s[0] == '+' && s[1] == '1'
	if nanp {
		if r, ok := nanpFast(s); ok {
			return r
		}
	}
	return libraryPhone(s, region)
}

// nanpFast handles North American numbers made of digits and the usual
// punctuation, with an optional extension. ok is false when the input needs
// the library (letters, odd lengths, area codes starting 0/1, other
// countries), so that the fast path never says anything the library would
// not.
func nanpFast(s string) (phoneResult, bool) {
	var d [11]byte
	n := 0
	plus := false
	ext := ""
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(d) {
				return phoneResult{}, false
			}
			d[n] = c
			n++
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		case c == '+' && i == 0:
			plus = true
		default:
			e, ok := extension(s[i:])
			if !ok {
				return phoneResult{}, false
			}
			ext = e
			i = len(s)
		}
	}
	var out [12]byte
	out[0], out[1] = '+', '1'
	switch {
	case n == 10 && !plus && d[0] >= '2':
		copy(out[2:], d[:10])
	case n == 11 && d[0] == '1' && d[1] >= '2':
		copy(out[2:], d[1:11])
	default:
		return phoneResult{}, false
	}
	return phoneResult{E164: string(out[:]), Extension: ext, OK: true}, true
}

// extension reads an extension suffix: "x123", "ext. 123", "extension 123",
// "#123" (any case, optional spaces). It returns the digits.
func extension(s string) (string, bool) {
	i := 0
	switch {
	case hasPrefixFold(s, "extension"):
		i = len("extension")
	case hasPrefixFold(s, "ext"):
		i = len("ext")
	case s[0] == 'x' || s[0] == 'X' || s[0] == '#':
		i = 1
	default:
		return "", false
	}
	for i < len(s) && (s[i] == '.' || s[i] == ' ' || s[i] == ':') {
		i++
	}
	if !allDigits(s[i:]) {
		return "", false
	}
	return s[i:], true
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII case; prefix is lower-case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if lower(s[i]) != prefix[i] {
			return false
		}
	}
	return true
}

// libraryPhone parses with libphonenumber and keeps possible numbers. A
// number possible only for local dialling (seven US digits, no area code) is
// refused: nobody can reach it from the API's side, and its E.164 form
// would be wrong.
func libraryPhone(s, region string) phoneResult {
	num, err := phonenumbers.Parse(s, region)
	if err != nil || phonenumbers.IsPossibleNumberWithReason(num) != phonenumbers.IS_POSSIBLE {
		return phoneResult{}
	}
	return phoneResult{
		E164:      phonenumbers.Format(num, phonenumbers.E164),
		Extension: num.GetExtension(),
		OK:        true,
	}
}

// phoneProblem is the message for a phone normalizePhone refused; column
// is "" for a constant.
func phoneProblem(raw, column, region string) string {
	return "phone " + strconv.Quote(raw) + inColumn(column) + " is not a possible phone number (region " + region + ")"
}

// extensionWarning is the message for an extension that was dropped.
func extensionWarning(raw, column, ext string) string {
	return "phone " + strconv.Quote(raw) + inColumn(column) + ": extension " + ext + " dropped (the API takes no extensions)"
}

// validRegion reports whether libphonenumber knows region (upper-case CLDR).
func validRegion(region string) bool {
	return phonenumbers.GetSupportedRegions()[region]
}
