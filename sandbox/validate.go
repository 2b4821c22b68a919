package sandbox

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/wire"
)

// Documented field limits, in characters.
const (
	maxNameLen  = 250
	maxPhoneLen = 100
)

// validateLead applies the documented field rules. The either/or pairs
// (state and city, or zip; jornayaLeadId or trustedFormId) are checked only
// for POST /lead (at.single): the collection's own bulk examples do not satisfy
// them.
func validateLead(l *wire.Lead, at place) error {
	if err := checkText(at, "firstName", l.FirstName, maxNameLen); err != nil {
		return err
	}
	if err := checkText(at, "lastName", l.LastName, maxNameLen); err != nil {
		return err
	}
	if err := checkPhone(at, "phone", l.Phone); err != nil {
		return err
	}
	if err := checkTimestamp(at, "timestamp", l.Timestamp); err != nil {
		return err
	}
	if !at.single {
		return nil
	}
	const where = "lead"
	if !(present(l.State) && present(l.City)) && !present(l.Zip) {
		return badRequest("%s: either state and city, or zip, is required", where)
	}
	if !present(l.JornayaLeadID) && !present(l.TrustedFormID) {
		return badRequest("%s: either jornayaLeadId or trustedFormId is required", where)
	}
	return nil
}

// validateAgent applies the documented agent rules: all four fields required.
func validateAgent(a *wire.Agent) error {
	body := place{single: true}
	if err := checkText(body, "firstName", a.FirstName, maxNameLen); err != nil {
		return err
	}
	if err := checkText(body, "lastName", a.LastName, maxNameLen); err != nil {
		return err
	}
	if err := checkPhone(body, "phone", a.Phone); err != nil {
		return err
	}
	if !present(a.ExternalID) {
		return badRequest("externalId: required")
	}
	return nil
}

// validateAccount: the documentation names no required account field; the
// sandbox requires a name and a three-letter countryIso3 when one is given.
func validateAccount(a *client.Account) error {
	if err := checkText(place{single: true}, "name", a.Name, maxNameLen); err != nil {
		return err
	}
	if a.CountryIso3 != "" {
		ok := len(a.CountryIso3) == 3
		for i := 0; ok && i < 3; i++ {
			c := a.CountryIso3[i] | 0x20 // ASCII lower case
			ok = c >= 'a' && c <= 'z'
		}
		if !ok {
			return badRequest("countryIso3: %s is not a three-letter country code", quoteValue(a.CountryIso3))
		}
	}
	return nil
}

func present(s string) bool { return strings.TrimSpace(s) != "" }

func checkText(at place, field, v string, maxLen int) error {
	if !present(v) {
		return badRequest("%s: required", at.at(field))
	}
	// Bytes bound characters from above: count only when it may matter.
	if len(v) > maxLen {
		if n := utf8.RuneCountInString(v); n > maxLen {
			return badRequest("%s: longer than %d characters (%d)", at.at(field), maxLen, n)
		}
	}
	return nil
}

// checkPhone: required, at most 100 characters, and at least one digit, since
// leads without an externalId are keyed by their normalised phone.
func checkPhone(at place, field, v string) error {
	if err := checkText(at, field, v, maxPhoneLen); err != nil {
		return err
	}
	if !hasDigit(v) {
		return badRequest("%s: %s has no digits", at.at(field), quoteValue(v))
	}
	return nil
}

// hasDigit is strings.ContainsAny(v, "0123456789") without building its
// byte set on every call (2% of the sandbox's CPU on a bulk import).
func hasDigit(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] >= '0' && v[i] <= '9' {
			return true
		}
	}
	return false
}

// checkTimestamp parses MM-dd-yyyy HH:mm:ss strictly: exactly two digits for
// every part but the year, nothing before or after, and a real date and time.
func checkTimestamp(at place, field, v string) error {
	if !present(v) {
		return badRequest("%s: required", at.at(field))
	}
	if !timestampShape(v) {
		return badRequest("%s: %s does not match %s", at.at(field), quoteValue(v), wire.TimestampFormat)
	}
	if !realDateTime(v) {
		return badRequest("%s: %s is not a real date and time", at.at(field), quoteValue(v))
	}
	return nil
}

// realDateTime reports whether a value of timestampShape names a real date
// and time: what time.Parse(wire.TimestampLayout, v) accepts (a test holds the
// two together), without its cost on every lead of a bulk request.
func realDateTime(v string) bool {
	num := func(i int) int { return int(v[i]-'0')*10 + int(v[i+1]-'0') }
	month, day, hour, minute, second := num(0), num(3), num(11), num(14), num(17)
	year := num(6)*100 + num(8)
	if month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 {
		return false
	}
	return day >= 1 && day <= daysIn(time.Month(month), year)
}

// daysIn is the number of days in month of year (proleptic Gregorian).
func daysIn(month time.Month, year int) int {
	switch month {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

func timestampShape(v string) bool {
	const shape = "00-00-0000 00:00:00"
	if len(v) != len(shape) {
		return false
	}
	for i := range len(shape) {
		c := v[i]
		if shape[i] == '0' {
			if c < '0' || c > '9' {
				return false
			}
		} else if c != shape[i] {
			return false
		}
	}
	return true
}

// normalizePhone keeps only '+' and digits, so +1333-111-8888 and
// +13331118888 are the same phone. It does not allocate when v is already
// normalised.
func normalizePhone(v string) string {
	clean := true
	for i := 0; i < len(v); i++ {
		if c := v[i]; c != '+' && (c < '0' || c > '9') {
			clean = false
			break
		}
	}
	if clean {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		if c := v[i]; c == '+' || (c >= '0' && c <= '9') {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// quoteValue quotes a value for a message, cut short so that a huge value
// cannot flood the answer.
func quoteValue(v string) string {
	const maxShown = 60
	if utf8.RuneCountInString(v) > maxShown {
		r := []rune(v)
		v = string(r[:maxShown]) + "…"
	}
	return `"` + strings.ReplaceAll(strings.ReplaceAll(v, `\`, `\\`), `"`, `\"`) + `"`
}
