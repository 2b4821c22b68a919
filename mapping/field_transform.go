package mapping

import (
	"strconv"

	"github.com/xonvo/xonvo-import/wire"
)

// Name-length limits of the API.
const maxNameRunes = 250

// Message tails shared by the number-like fields.
const (
	lostDigits     = " lost its digits to scientific notation in a spreadsheet: format the column as text and export again"
	scientificRead = " is in scientific notation; read as "
)

// transform applies field f's transform to a non-empty cleaned cell v read
// from column ("" for a constant). It returns the value to send, or a
// problem that makes v invalid (the caller rejects the row or drops the
// value); warnings go straight to r. Messages name the field, the value
// and the column.
func transform(f wire.Field, fp *fieldPlan, v, column string, r *Result) (string, string) {
	switch f {
	case wire.FirstName, wire.LastName:
		if tooLong(v, maxNameRunes) {
			return v, f.String() + inColumn(column) + " is longer than " + strconv.Itoa(maxNameRunes) + " characters"
		}
	case wire.Phone:
		n, ok := number(f, v, column, r)
		if !ok {
			return v, n
		}
		// Facebook Lead Ads exports write "p:+12065550100" to keep the
		// number text.
		if len(n) > 2 && n[0] == 'p' && n[1] == ':' {
			n = n[2:]
		}
		p := normalizePhone(n, fp.region)
		if !p.OK {
			return v, phoneProblem(v, column, fp.region)
		}
		if p.Extension != "" {
			r.addWarn(extensionWarning(v, column, p.Extension))
		}
		if len(p.E164) > maxPhoneLen { // E.164 is at most 16; kept for the API's documented limit
			return v, describe(f, v, column) + " is longer than " + strconv.Itoa(maxPhoneLen) + " characters"
		}
		return p.E164, ""
	case wire.Timestamp:
		out, ok := fp.dates.parse(v)
		if !ok {
			return v, describe(f, v, column) + " does not match " + fp.dates.expect
		}
		return out, ""
	case wire.State:
		if !hasLetter(v) {
			return v, describe(f, v, column) + " has no letters"
		}
		code, ok := stateCode(v)
		if !ok {
			r.addWarn(describe(f, v, column) + " is not a US state, territory or USPS code; sent as given")
			return v, ""
		}
		return code, ""
	case wire.City:
		if !hasLetter(v) {
			return v, describe(f, v, column) + " has no letters"
		}
	case wire.Street:
		if !hasAlnum(v) {
			return v, describe(f, v, column) + " has no letters or digits"
		}
	case wire.IPAddress:
		if !validIP(v) {
			return v, describe(f, v, column) + " is not an IPv4 or IPv6 address"
		}
	case wire.Email:
		if !validEmail(v) {
			return v, describe(f, v, column) + " is not a valid email address"
		}
	case wire.Zip:
		n, ok := number(f, v, column, r)
		if !ok {
			return v, n
		}
		out, res := normalizeZip(n)
		switch res {
		case zipPadded:
			r.addWarn(describe(f, v, column) + " has " + strconv.Itoa(len(n)) + " digits, padded to " + strconv.Quote(out) +
				" (a spreadsheet probably dropped the leading " + plural(5-len(n), "zero") + ")")
		case zipBad:
			return v, describe(f, v, column) + " is not a 5-digit ZIP or ZIP+4 (12345-6789)"
		}
		return out, ""
	case wire.ExternalID, wire.AgentExternalID:
		n, ok := number(f, v, column, r)
		if !ok {
			return v, n
		}
		return n, ""
	}
	return v, ""
}

// number reads a number-like field's cell through plainNumber. ok false
// means the digits are lost, and the string is then the problem.
func number(f wire.Field, v, column string, r *Result) (string, bool) {
	n, form := plainNumber(v)
	switch form {
	case numLost:
		return describe(f, v, column) + lostDigits, false
	case numScientific:
		r.addWarn(describe(f, v, column) + scientificRead + n)
	}
	return n, true
}

// describe names a value for messages: `email "ann@" in column "E-mail"`.
// Constants have no column.
func describe(f wire.Field, v, column string) string {
	return f.String() + " " + strconv.Quote(v) + inColumn(column)
}

func inColumn(column string) string {
	if column == "" {
		return ""
	}
	return " in column " + strconv.Quote(column)
}

// plural writes "1 zero", "2 zeros".
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
