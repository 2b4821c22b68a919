package wire

import (
	"slices"

	"github.com/xonvo/xonvo-import/internal/jsonstr"
)

// AppendLeadJSON appends l as JSON, byte for byte what json.Marshal writes
// for a Lead (field order, omitempty, escaping, sorted attribute keys). The
// profile of an import showed reflection-based encoding at about a sixth of
// the importer's CPU; walking the field table costs a fraction of that.
func AppendLeadJSON(b []byte, l *Lead) []byte {
	b = append(b, '{')
	first := true
	for i := range fieldSpecs {
		spec := &fieldSpecs[i]
		v := *spec.ptr(l)
		if v == "" && spec.omitEmpty {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, spec.key...)
		b = jsonstr.Append(b, v, true)
	}
	if len(l.Attributes) > 0 {
		if !first {
			b = append(b, ',')
		}
		b = append(b, `"attributes":{`...)
		keys := make([]string, 0, len(l.Attributes))
		for k := range l.Attributes {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonstr.Append(b, k, true)
			b = append(b, ':')
			b = jsonstr.Append(b, l.Attributes[k], true)
		}
		b = append(b, '}')
	}
	return append(b, '}')
}
