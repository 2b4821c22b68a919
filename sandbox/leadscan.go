package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/xonvo/xonvo-import/wire"
)

// scanLead reads one lead object. raw is one syntactically valid JSON value
// (the json.Decoder has seen it); scanLead checks the shape: an object of
// known fields holding strings (or null), with attributes an object of
// strings. at names the lead in messages.
func scanLead(raw string, at place) (wire.Lead, error) {
	sc := scanner{s: raw}
	return scanLeadAt(&sc, at)
}

// scanLeadAt reads the lead value at the scanner and leaves the scanner just
// past it. Field names match case-insensitively when they do not match
// exactly, as encoding/json does. Text that is not JSON is errSyntax, which
// only the bulk fast path can meet: it did not check the body beforehand.
func scanLeadAt(sc *scanner, at place) (wire.Lead, error) {
	var v wire.Lead
	if c := sc.peek(); c != '{' {
		return v, badRequest("%s: expected an object, got %s", at.body(), describeByte(c))
	}
	// The importer and json.Marshal write the fields in struct order: the
	// names from the one after the last field read are tried first, quoted,
	// which spares decoding the key and searching for it.
	from := wire.Field(0)
	for more := sc.open('}'); more; more = sc.next('}') {
		f, attrs, ok := sc.knownKey(from)
		if !ok {
			key, err := sc.key()
			if err != nil {
				return v, err
			}
			if f, attrs, ok = lookupLeadField(key); !ok {
				return v, badRequest("%s: unknown field %q", at.body(), key)
			}
		}
		if sc.err != nil {
			return v, sc.err
		}
		if attrs {
			if err := sc.attributes(at); err != nil {
				return v, err
			}
			continue
		}
		from = f + 1
		val, ok, err := sc.stringOrNull()
		if err != nil {
			return v, err
		}
		if !ok {
			return v, badRequest("%s: expected a string, got %s", at.at(f.Name()), describeByte(sc.peek()))
		}
		v.Set(f, val)
	}
	return v, sc.err
}

// knownKey steps over the key at the scanner and its colon when the key is
// exactly the name of a field from "from" on, or attributes, quoted without
// escapes (names have none); ok is false, the scanner unmoved, otherwise.
func (sc *scanner) knownKey(from wire.Field) (f wire.Field, attrs, ok bool) {
	if sc.peek() != '"' {
		return 0, false, false
	}
	for f = from; f < wire.NumFields; f++ {
		if sc.quoted(f.Name()) {
			return f, false, true
		}
	}
	return 0, true, sc.quoted(wire.AttributesName)
}

// quoted steps over "name" and the colon after it when they are next.
func (sc *scanner) quoted(name string) bool {
	end := sc.i + 1 + len(name)
	if end >= len(sc.s) || sc.s[end] != '"' || sc.s[sc.i+1:end] != name {
		return false
	}
	sc.i = end + 1
	sc.colon()
	return true
}

// lookupLeadField maps a key to the lead field it sets, or to the
// attributes. An exact name wins; otherwise names match case-insensitively,
// as encoding/json does.
func lookupLeadField(key string) (f wire.Field, attrs, ok bool) {
	if f, ok := wire.FieldByName(key); ok {
		return f, false, true
	}
	if strings.EqualFold(key, wire.AttributesName) {
		return 0, true, true
	}
	for _, f := range wire.Fields() {
		if strings.EqualFold(key, f.Name()) {
			return f, false, true
		}
	}
	return 0, false, false
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

// errSyntax is what the scanner reports for text that is not JSON. It never
// reaches a caller of the API: the bulk path answers such a body through
// json.Decoder, which places the error precisely.
var errSyntax = errors.New("sandbox: malformed JSON")

// scanner walks JSON text, checking its syntax as strictly as encoding/json
// does in the parts it reads: structure, strings (escapes, control
// characters) and null. Other values (numbers, booleans) are never part of a
// valid lead, so it only names them by their first byte. The first syntax
// error stops the walk: err is set and every loop ends.
type scanner struct {
	s   string
	i   int
	err error
}

// fail records a syntax error and moves to the end, so that loops stop.
func (sc *scanner) fail() {
	if sc.err == nil {
		sc.err = errSyntax
	}
	sc.i = len(sc.s)
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
	if sc.i < len(sc.s) && sc.s[sc.i] > ' ' { // compact JSON: no space to skip
		return sc.s[sc.i]
	}
	sc.skipSpace()
	if sc.i >= len(sc.s) {
		return 0
	}
	return sc.s[sc.i]
}

// open enters the object or array at the scanner (on its '{' or '[') and
// reports whether it has a first member or element; an empty one is
// consumed whole. closer is '}' or ']'.
func (sc *scanner) open(closer byte) bool {
	sc.i++
	if sc.peek() == closer {
		sc.i++
		return false
	}
	return true
}

// next steps over the comma after a member or element and reports true, or
// over the closer and reports false. Anything else is a syntax error.
func (sc *scanner) next(closer byte) bool {
	switch sc.peek() {
	case ',':
		sc.i++
		if c := sc.peek(); c == '}' || c == ']' {
			sc.fail() // a trailing comma
			return false
		}
		return true
	case closer:
		sc.i++
		return false
	}
	sc.fail()
	return false
}

// key reads a member's key and its colon, leaving the scanner on the value.
func (sc *scanner) key() (string, error) {
	if sc.peek() != '"' {
		sc.fail()
		return "", sc.err
	}
	k, err := sc.str()
	if err != nil {
		return "", err
	}
	sc.colon()
	return k, sc.err
}

func (sc *scanner) colon() {
	if sc.peek() != ':' {
		sc.fail()
		return
	}
	sc.i++
	sc.skipSpace()
}

// null steps over a null at the scanner.
func (sc *scanner) null() {
	if !strings.HasPrefix(sc.s[sc.i:], "null") {
		sc.fail()
		return
	}
	sc.i += len("null")
}

// stringOrNull reads a string value; null reads as "". ok is false, with
// the scanner left on the value, when the value is of another type.
func (sc *scanner) stringOrNull() (val string, ok bool, err error) {
	switch sc.peek() {
	case '"':
		val, err = sc.str()
		return val, true, err
	case 'n':
		sc.null()
		return "", true, sc.err
	}
	return "", false, nil
}

// attributes checks an object of strings, or null. Its keys and values are
// not kept, so they are only stepped over; a key is decoded, and the path
// attributes["K"] formatted, only for a message.
func (sc *scanner) attributes(at place) error {
	switch c := sc.peek(); c {
	case 'n':
		sc.null()
		return sc.err
	case '{':
	default:
		return badRequest("%s: expected an object of strings, got %s", at.at("attributes"), describeByte(c))
	}
	for more := sc.open('}'); more; more = sc.next('}') {
		keyAt := sc.i
		if sc.peek() != '"' {
			sc.fail()
			break
		}
		sc.skipStr()
		sc.colon()
		switch c := sc.peek(); c {
		case '"':
			sc.skipStr()
		case 'n':
			sc.null()
		default:
			if sc.err != nil {
				return sc.err
			}
			ks := scanner{s: sc.s, i: keyAt}
			key, err := ks.str()
			if err != nil {
				return err
			}
			return badRequest("%s: expected a string, got %s", at.at(fmt.Sprintf("attributes[%q]", key)), describeByte(c))
		}
	}
	return sc.err
}

// strEnd checks the string whose opening quote is at sc.i and returns the
// index of its closing quote and whether it holds escapes; ok is false for
// a string encoding/json would refuse.
func (sc *scanner) strEnd() (end int, escaped, ok bool) {
	s := sc.s
	for j := sc.i + 1; j < len(s); j++ {
		c := s[j]
		if c == '"' {
			return j, escaped, true
		}
		if c < 0x20 {
			return 0, false, false
		}
		if c != '\\' {
			continue
		}
		escaped = true
		if j+1 >= len(s) {
			return 0, false, false
		}
		switch s[j+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			j++
		case 'u':
			if j+5 >= len(s) || !isHex(s[j+2]) || !isHex(s[j+3]) || !isHex(s[j+4]) || !isHex(s[j+5]) {
				return 0, false, false
			}
			j += 5
		default:
			return 0, false, false
		}
	}
	return 0, false, false // no closing quote
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

// skipStr steps over the string at the scanner.
func (sc *scanner) skipStr() {
	end, _, ok := sc.strEnd()
	if !ok {
		sc.fail()
		return
	}
	sc.i = end + 1
}

// str reads the string at the scanner. Without escapes the result is a
// substring of the input; with them it is decoded by encoding/json.
func (sc *scanner) str() (string, error) {
	start := sc.i // the opening quote
	end, escaped, ok := sc.strEnd()
	if !ok {
		sc.fail()
		return "", sc.err
	}
	sc.i = end + 1
	if !escaped {
		return sc.s[start+1 : end], nil
	}
	var out string
	if err := json.Unmarshal([]byte(sc.s[start:end+1]), &out); err != nil {
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
