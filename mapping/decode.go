package mapping

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/xonvo/xonvo-import/wire"
)

// parseYAML decodes data into its top node; nil for an empty document.
func parseYAML(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, nil
	}
	return resolve(doc.Content[0]), nil
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// problemsError lists every problem of one mapping file.
type problemsError struct {
	file     string
	problems []string
}

func (e *problemsError) Error() string {
	if len(e.problems) == 1 {
		return "mapping " + e.file + ": " + e.problems[0]
	}
	return "mapping " + e.file + ":\n  " + strings.Join(e.problems, "\n  ")
}

func (e *problemsError) Is(target error) bool { return target == ErrInvalidConfig }

// decoder walks the YAML tree by hand, so that messages carry line numbers
// and speak in the file's own terms rather than Go type names.
type decoder struct {
	problems []string
	lines    map[string]int // "fields.phone" -> line, to place later checks
}

// addAt reports a problem about the element where (e.g. "fields.phone"),
// with its line when the file gave one.
func (d *decoder) addAt(where, format string, args ...any) {
	msg := where + ": " + fmt.Sprintf(format, args...)
	if line := d.lines[where]; line > 0 {
		msg = "line " + strconv.Itoa(line) + ": " + msg
	}
	d.problems = append(d.problems, msg)
}

func (d *decoder) add(n *yaml.Node, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if n != nil && n.Line > 0 {
		msg = "line " + strconv.Itoa(n.Line) + ": " + msg
	}
	d.problems = append(d.problems, msg)
}

func (d *decoder) err(file string) error {
	if len(d.problems) == 0 {
		return nil
	}
	return &problemsError{file: file, problems: d.problems}
}

// resolve follows aliases.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// pairs calls fn for each key/value of a mapping node, refusing duplicate
// keys and keys outside known (when known is non-nil).
func (d *decoder) pairs(n *yaml.Node, where string, known []string, fn func(k string, kn, v *yaml.Node)) {
	n = resolve(n)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.add(n, "%s: expected a mapping (key: value lines)", nonEmpty(where, "the file"))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		k := kn.Value
		if seen[k] {
			d.add(kn, "%s: %q given twice", nonEmpty(where, "mapping"), k)
			continue
		}
		seen[k] = true
		if known != nil && !contains(known, k) {
			d.add(kn, "%s: unknown key %q (valid: %s)", nonEmpty(where, "mapping"), k, strings.Join(known, ", "))
			continue
		}
		if d.lines != nil {
			if where == "" {
				d.lines[k] = kn.Line
			} else {
				d.lines[where+"."+k] = kn.Line
			}
		}
		fn(k, kn, v)
	}
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scalar returns a scalar's text; null is "".
func (d *decoder) scalar(n *yaml.Node, where string) string {
	if n.Kind != yaml.ScalarNode {
		d.add(n, "%s: expected a single value", where)
		return ""
	}
	if n.Tag == "!!null" {
		return ""
	}
	return n.Value
}

func (d *decoder) config(n *yaml.Node, c *Config) {
	top := []string{"version", "source", "account", "fields", "attributes", "rules"}
	gotVersion := false
	d.pairs(n, "", top, func(k string, kn, v *yaml.Node) {
		switch k {
		case "version":
			gotVersion = true
			s := d.scalar(v, "version")
			if s != "1" {
				d.add(v, "version: %q is not supported; expected 1", s)
			}
			c.Version, _ = strconv.Atoi(s)
		case "source":
			d.pairs(v, "source", []string{"sheet", "delimiter", "encoding", "header_row"}, func(k string, _, v *yaml.Node) {
				s := d.scalar(v, "source."+k)
				switch k {
				case "header_row":
					n, err := strconv.Atoi(strings.TrimSpace(s))
					if err != nil || n < 1 {
						d.add(v, "source.header_row: %q is not a row number (1 is the first row of the sheet)", s)
					}
					c.Source.HeaderRow = n
				case "sheet":
					c.Source.Sheet = s
				case "delimiter":
					c.Source.Delimiter = s
				case "encoding":
					c.Source.Encoding = s
				}
			})
		case "account":
			c.Account = d.valueSpec(v)
		case "fields":
			c.Fields = map[string]FieldSpec{}
			d.pairs(v, "fields", nil, func(k string, kn, v *yaml.Node) {
				if _, ok := wire.FieldByName(k); !ok {
					names := wire.FieldNames()
					d.add(kn, "fields: unknown API field %q (valid: %s; attributes go under attributes:)", k, strings.Join(names, ", "))
					return
				}
				c.Fields[k] = d.fieldSpec(v, "fields."+k)
			})
		case "attributes":
			c.Attributes = map[string]string{}
			d.pairs(v, "attributes", nil, func(k string, kn, v *yaml.Node) {
				c.Attributes[k] = d.scalar(v, "attributes."+k)
			})
		case "rules":
			d.pairs(v, "rules", []string{"location", "consent"}, func(k string, _, v *yaml.Node) {
				s := d.scalar(v, "rules."+k)
				switch k {
				case "location":
					c.Rules.Location = s
				case "consent":
					c.Rules.Consent = s
				}
			})
		}
	})
	if !gotVersion && len(d.problems) == 0 {
		d.add(nil, "version: missing; expected version: 1")
	}
}

func (d *decoder) valueSpec(n *yaml.Node) ValueSpec {
	if n.Kind == yaml.ScalarNode {
		return ValueSpec{Column: d.scalar(n, "account")}
	}
	var s ValueSpec
	d.pairs(n, "account", []string{"column", "value"}, func(k string, _, v *yaml.Node) {
		if k == "column" {
			s.Column = d.scalar(v, "account.column")
		} else {
			s.Value = d.scalar(v, "account.value")
		}
	})
	return s
}

func (d *decoder) fieldSpec(n *yaml.Node, where string) FieldSpec {
	if n.Kind == yaml.ScalarNode {
		return FieldSpec{Column: d.scalar(n, where)}
	}
	var s FieldSpec
	d.pairs(n, where, []string{"column", "value", "fallback", "region", "formats", "timezone", "invalid"}, func(k string, _, v *yaml.Node) {
		switch k {
		case "fallback":
			s.Fallback = d.list(v, where+".fallback", "columns")
		case "invalid":
			s.Invalid = d.scalar(v, where+".invalid")
		case "column":
			s.Column = d.scalar(v, where+".column")
		case "value":
			s.Value = d.scalar(v, where+".value")
		case "region":
			s.Region = d.scalar(v, where+".region")
		case "timezone":
			s.Timezone = d.scalar(v, where+".timezone")
		case "formats":
			s.Formats = d.list(v, where+".formats", "formats")
		}
	})
	return s
}

// list reads a list of strings, or one string as a list of one.
func (d *decoder) list(v *yaml.Node, where, what string) []string {
	if v.Kind == yaml.ScalarNode {
		if s := d.scalar(v, where); s != "" {
			return []string{s}
		}
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		d.add(v, "%s: expected a list of %s", where, what)
		return nil
	}
	var out []string
	for _, e := range v.Content {
		out = append(out, d.scalar(resolve(e), where))
	}
	return out
}
