package wire

import (
	"encoding/binary"
	"slices"
	"unsafe"

	"github.com/xonvo/xonvo-import/internal/jsonstr"
)

// AppendLeadJSON appends l as JSON, byte for byte what json.Marshal writes
// for a Lead (field order, omitempty, escaping, sorted attribute keys). The
// profile of an import showed reflection-based encoding at about a sixth of
// the importer's CPU; walking the field table costs a fraction of that.
func AppendLeadJSON(b []byte, l *Lead) []byte {
	b = appendLeadFields(b, l)
	if len(l.Attributes) > 0 {
		b = appendAttributes(b, l.Attributes)
	}
	return append(b, '}')
}

// AppendLeadJSONAttrs is AppendLeadJSON for a lead whose attributes the
// caller holds as keys, sorted and without repeats, and values beside them
// ("" for a key left out): a mapping.Result's Attributes. They are written
// in place of l.Attributes, which is not read: looking each key up in the
// map cost as much as iterating it (cold maps filled on another core), and
// both were a fifth of encoding a lead with two attributes. The bytes are
// json.Marshal's for l when the pairs are l.Attributes; keys that are not
// strictly sorted fall back to sorting them.
func AppendLeadJSONAttrs(b []byte, l *Lead, keys, values []string) []byte {
	b = appendLeadFields(b, l)
	for i, k := range keys {
		if i > 0 && keys[i-1] >= k {
			return append(appendAttributes(b, pairs(keys, values)), '}')
		}
	}
	first := true
	for i, v := range values[:len(keys)] {
		if v == "" {
			continue
		}
		if first {
			b = appendAttributesKey(b)
		} else {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, keys[i])
		b = append(b, ':')
		b = appendString(b, v)
	}
	if !first {
		b = append(b, '}')
	}
	return append(b, '}')
}

// pairs is keys and values as a map, without the empty values.
func pairs(keys, values []string) map[string]string {
	m := make(map[string]string, len(keys))
	for i, k := range keys {
		if values[i] != "" {
			m[k] = values[i]
		}
	}
	return m
}

// appendLeadFields appends the opening brace and l's string fields. A
// field's value ends in a quote, so the last byte tells whether a comma is
// due, here and in appendAttributesKey.
func appendLeadFields(b []byte, l *Lead) []byte {
	b = append(b, '{')
	for i := range fieldSpecs {
		spec := &fieldSpecs[i]
		v := *spec.ptr(l)
		if v == "" && spec.omitEmpty {
			continue
		}
		if len(b) > 0 && b[len(b)-1] != '{' {
			b = append(b, ',')
		}
		b = append(b, spec.key...)
		b = appendString(b, v)
	}
	return b
}

// appendAttributesKey appends the attributes' key, after a comma unless the
// object is empty so far.
func appendAttributesKey(b []byte) []byte {
	if b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	return append(b, `"attributes":{`...)
}

// appendAttributes appends the attributes' key and object, its pairs
// sorted by key (none when attrs is empty).
func appendAttributes(b []byte, attrs map[string]string) []byte {
	if len(attrs) == 0 {
		return b
	}
	b = appendAttributesKey(b)
	var few [8]string // the usual lead's keys, sorted without an allocation
	keys := few[:0]
	for k := range attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = appendString(b, attrs[k])
	}
	return append(b, '}')
}

// jsonPlain marks the bytes that encoding/json writes as they are inside a
// string (escaping HTML, as json.Marshal does): printable ASCII but for
// " \ < > &. It is read-only.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	t[0x7f] = true
	return t
}()

// appendString appends s as a JSON string. Most values are plain ASCII:
// that is decided eight bytes at a time (a byte at a time was a third of an
// import's encoding), and the value is copied whole; anything else goes
// through jsonstr.Append.
func appendString(b []byte, s string) []byte {
	if !plainString(s) {
		return jsonstr.Append(b, s, true)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// Bit patterns for testing eight bytes at once (one in each byte).
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainString reports whether every byte of s is jsonPlain. Loads that
// overlap cover a tail shorter than eight bytes, and strings of four to
// seven: most of a lead's values are that short, and a byte loop over them
// cost as much as the words before.
func plainString(s string) bool {
	p := unsafe.Slice(unsafe.StringData(s), len(s))
	n := len(p)
	switch {
	case n >= 8:
		for i := 0; i+8 <= n; i += 8 {
			if !plain8(binary.LittleEndian.Uint64(p[i:])) {
				return false
			}
		}
		return n%8 == 0 || plain8(binary.LittleEndian.Uint64(p[n-8:]))
	case n >= 4:
		return plain8(uint64(binary.LittleEndian.Uint32(p)) | uint64(binary.LittleEndian.Uint32(p[n-4:]))<<32)
	case n > 0:
		return jsonPlain[p[0]] && jsonPlain[p[n/2]] && jsonPlain[p[n-1]]
	}
	return true
}

// plain8 reports whether each of the eight bytes in x is jsonPlain. A byte
// with its high bit set fails at once; with none set, the tests for a byte
// below 0x20 and for each escaped character are exact.
func plain8(x uint64) bool {
	below := (x - 0x20*ones) &^ x // a high bit for a byte below 0x20
	eq := func(c uint64) uint64 { v := x ^ c*ones; return (v - ones) &^ v }
	return (x|below|eq('"')|eq('\\')|eq('<')|eq('>')|eq('&'))&highs == 0
}
