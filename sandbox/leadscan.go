package sandbox

import (
	"encoding/json"
	"fmt"
	"strings"
)

// leadView holds the fields of one lead that validation and storage need,
// as substrings of the lead's raw JSON: scanning a lead allocates nothing
// unless a value carries escapes.
type leadView struct {
	firstName, lastName, phone, timestamp string
	state, city, zip                      string
	jornayaLeadID, trustedFormID          string
	externalID                            string
}

// leadFieldNames are the JSON names of client.Lead, in its order. A test
// keeps this list in step with the struct's tags.
func leadFieldNames() []string {
	return []string{"firstName", "lastName", "phone", "state", "city", "zip", "timestamp", "ipAddress",
		"sourceId", "jornayaLeadId", "trustedFormId", "email", "street", "agentExternalId", "externalId", "attributes"}
}

// scanLead reads one lead object. raw has already been through the
// json.Decoder, so it is one syntactically valid JSON value; scanLead checks
// the shape: an object of known fields holding strings (or null), with
// attributes an object of strings. Field names match case-insensitively when
// they do not match exactly, as encoding/json does. at names the lead in
// messages.
func scanLead(raw string, at place) (leadView, error) {
	var v leadView
	sc := scanner{s: raw}
	if c := sc.peek(); c != '{' {
		return v, badRequest("%s: expected an object, got %s", at.body(), describeByte(c))
	}
	err := sc.object(func(key string) error {
		name, ok := canonicalLeadField(key)
		if !ok {
			return badRequest("%s: unknown field %q", at.body(), key)
		}
		if name == "attributes" {
			return sc.attributes(at)
		}
		val, err := sc.stringOrNull(at, name)
		if err != nil {
			return err
		}
		switch name {
		case "firstName":
			v.firstName = val
		case "lastName":
			v.lastName = val
		case "phone":
			v.phone = val
		case "timestamp":
			v.timestamp = val
		case "state":
			v.state = val
		case "city":
			v.city = val
		case "zip":
			v.zip = val
		case "jornayaLeadId":
			v.jornayaLeadID = val
		case "trustedFormId":
			v.trustedFormID = val
		case "externalId":
			v.externalID = val
		}
		return nil
	})
	return v, err
}

// canonicalLeadField maps a key to the lead field it sets.
func canonicalLeadField(key string) (string, bool) {
	switch key {
	case "firstName", "lastName", "phone", "state", "city", "zip", "timestamp", "ipAddress",
		"sourceId", "jornayaLeadId", "trustedFormId", "email", "street", "agentExternalId", "externalId", "attributes":
		return key, true
	}
	for _, name := range leadFieldNames() {
		if strings.EqualFold(key, name) {
			return name, true
		}
	}
	return "", false
}

// place says where a lead is in a request body. Its text is built only
// when a message needs it, so that valid leads cost no formatting.
type place struct {
	single  bool // the body of POST /lead (or of an agent or account)
	account string
	index   int
}

// lead is the lead's path: leadsByAccountId["18"][3], or "" for a body.
func (p place) lead() string {
	if p.single {
		return ""
	}
	return fmt.Sprintf("leadsByAccountId[%q][%d]", p.account, p.index)
}

// body is the lead's path, or "body".
func (p place) body() string {
	if p.single {
		return "body"
	}
	return p.lead()
}

// at is the path of one of the lead's fields.
func (p place) at(field string) string {
	if p.single {
		return field
	}
	return p.lead() + "." + field
}

// scanner walks a syntactically valid JSON value.
type scanner struct {
	s string
	i int
}

func (sc *scanner) skipSpace() {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return
		}
	}
}

// peek returns the next significant byte, 0 at the end.
func (sc *scanner) peek() byte {
	sc.skipSpace()
	if sc.i >= len(sc.s) {
		return 0
	}
	return sc.s[sc.i]
}

// object calls member for each key, with the scanner on the key's value;
// member must consume the value.
func (sc *scanner) object(member func(key string) error) error {
	sc.i++ // '{'
	for {
		switch sc.peek() {
		case '}':
			sc.i++
			return nil
		case ',':
			sc.i++
			continue
		}
		key, err := sc.str()
		if err != nil {
			return err
		}
		sc.peek()
		sc.i++ // ':'
		sc.peek()
		if err := member(key); err != nil {
			return err
		}
	}
}

// stringOrNull reads the string value of field; null reads as "".
func (sc *scanner) stringOrNull(at place, field string) (string, error) {
	switch c := sc.peek(); c {
	case '"':
		return sc.str()
	case 'n':
		sc.i += len("null")
		return "", nil
	default:
		return "", badRequest("%s: expected a string, got %s", at.at(field), describeByte(c))
	}
}

// attributes reads an object of strings, or null.
func (sc *scanner) attributes(at place) error {
	switch c := sc.peek(); c {
	case 'n':
		sc.i += len("null")
		return nil
	case '{':
	default:
		return badRequest("%s: expected an object of strings, got %s", at.at("attributes"), describeByte(c))
	}
	return sc.object(func(key string) error {
		_, err := sc.stringOrNull(at, fmt.Sprintf("attributes[%q]", key))
		return err
	})
}

// str reads a string at the scanner. Without escapes the result is a
// substring of the input; with them it is decoded by encoding/json.
func (sc *scanner) str() (string, error) {
	start := sc.i // the opening quote
	escaped := false
	j := start + 1
	for j < len(sc.s) {
		c := sc.s[j]
		if c == '\\' {
			escaped = true
			j += 2
			continue
		}
		if c == '"' {
			break
		}
		j++
	}
	sc.i = j + 1
	if !escaped {
		return sc.s[start+1 : j], nil
	}
	var out string
	if err := json.Unmarshal([]byte(sc.s[start:j+1]), &out); err != nil {
		return "", fmt.Errorf("sandbox: decode string: %w", err)
	}
	return out, nil
}

// describeByte names a JSON value's type by its first byte.
func describeByte(c byte) string {
	switch c {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}
