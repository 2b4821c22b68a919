package mapping

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/xonvo/xonvo-import/wire"
)

// ErrInvalidConfig is wrapped by every error Load, Parse and Bind return for
// a mapping problem (as opposed to an I/O error), so callers can tell a bad
// mapping from an unreadable file with errors.Is.
var ErrInvalidConfig = errors.New("invalid mapping")

// Config is a mapping file: which input columns feed which API fields, and
// how. Its shape is the YAML of CONTRACT.md.
type Config struct {
	Version    int                  `yaml:"version"`
	Source     SourceConfig         `yaml:"source,omitempty"`
	Account    ValueSpec            `yaml:"account,omitempty"`
	Fields     map[string]FieldSpec `yaml:"fields,omitempty"`
	Attributes map[string]string    `yaml:"attributes,omitempty"` // attribute key -> column header
	Rules      Rules                `yaml:"rules,omitempty"`

	name  string         // file name, for messages
	lines map[string]int // where each element was in the file
}

// SourceConfig holds the input-reading hints. The importer interprets them;
// this package only carries them.
type SourceConfig struct {
	Sheet     string `yaml:"sheet,omitempty"`
	Delimiter string `yaml:"delimiter,omitempty"`
	Encoding  string `yaml:"encoding,omitempty"`
}

// ValueSpec is a column header or a constant value; exactly one is set.
// In YAML either `{column: Account}`, `{value: "18"}`, or a plain string
// (a column header).
type ValueSpec struct {
	Column string `yaml:"column,omitempty"`
	Value  string `yaml:"value,omitempty"`
}

// FieldSpec says where one API field comes from and how it is transformed.
// In YAML a plain string is a column header; an object sets the options.
type FieldSpec struct {
	Column   string   `yaml:"column,omitempty"`
	Value    string   `yaml:"value,omitempty"`    // a constant instead of a column
	Region   string   `yaml:"region,omitempty"`   // phone only: default region, CLDR code (US)
	Formats  []string `yaml:"formats,omitempty"`  // timestamp only: accepted input formats
	Timezone string   `yaml:"timezone,omitempty"` // timestamp only: IANA zone of the inputs (UTC)
}

// Rules sets how the API's either/or requirements are enforced: each is
// RuleError, RuleWarn or RuleOff; empty means the default (RuleWarn, or
// RuleError for a single POST /lead, see BindOptions.SingleLead).
type Rules struct {
	Location string `yaml:"location,omitempty"` // state and city, or zip
	Consent  string `yaml:"consent,omitempty"`  // jornayaLeadId or trustedFormId
}

// Rule levels.
const (
	RuleError = "error"
	RuleWarn  = "warn"
	RuleOff   = "off"
)

// Load reads and parses a mapping file; errors name the file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read mapping: %w", err)
	}
	return Parse(data, path)
}

// Parse decodes a mapping file's YAML and checks everything that can be
// checked without the input's header: version 1, API field names, rule
// levels, phone regions, timezones, date formats and constant values. name
// is used in messages. Every problem found is reported, not only the first.
func Parse(data []byte, name string) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("mapping %s: %w: %w", name, ErrInvalidConfig, err)
	}
	c := &Config{name: name, lines: map[string]int{}}
	d := &decoder{lines: c.lines}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		d.add(nil, "the file is empty; expected at least version: 1 and fields:")
		return nil, d.err(name)
	}
	d.config(resolve(doc.Content[0]), c)
	// The static checks run even after decoding problems, so one pass over
	// the file reports everything; the version was checked while decoding.
	c.check(d, false)
	if err := d.err(name); err != nil {
		return nil, err
	}
	return c, nil
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
			d.pairs(v, "source", []string{"sheet", "delimiter", "encoding"}, func(k string, _, v *yaml.Node) {
				s := d.scalar(v, "source."+k)
				switch k {
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
	d.pairs(n, where, []string{"column", "value", "region", "formats", "timezone"}, func(k string, _, v *yaml.Node) {
		switch k {
		case "column":
			s.Column = d.scalar(v, where+".column")
		case "value":
			s.Value = d.scalar(v, where+".value")
		case "region":
			s.Region = d.scalar(v, where+".region")
		case "timezone":
			s.Timezone = d.scalar(v, where+".timezone")
		case "formats":
			if v.Kind == yaml.ScalarNode {
				if f := d.scalar(v, where+".formats"); f != "" {
					s.Formats = []string{f}
				}
				return
			}
			if v.Kind != yaml.SequenceNode {
				d.add(v, "%s.formats: expected a list of formats", where)
				return
			}
			for _, e := range v.Content {
				s.Formats = append(s.Formats, d.scalar(resolve(e), where+".formats"))
			}
		}
	})
	return s
}

// plan is a Config checked and compiled: everything Bind needs except the
// header. Constants are transformed here, once.
type plan struct {
	fields     [wire.NumFields]fieldPlan
	account    fieldPlan
	attrs      []attrPlan // sorted by key, for stable output
	location   string     // rule level, "" = default
	consent    string
	constWarns []string // warnings about constant values, repeated on every row
}

type fieldPlan struct {
	set      bool
	column   string // header name; "" for a constant
	constant string // transformed constant value
	region   string // phone
	dates    *dateParser
}

type attrPlan struct {
	key, column string
}

// compile checks c and turns it into a plan. Problems are collected and
// returned together.
func (c *Config) compile() (*plan, error) {
	d := &decoder{lines: c.lines}
	p := c.check(d, true)
	if err := d.err(c.name); err != nil {
		return nil, err
	}
	return p, nil
}

// check validates c into d and builds the plan.
func (c *Config) check(d *decoder, checkVersion bool) *plan {
	p := &plan{}
	if checkVersion && c.Version != 1 {
		d.add(nil, "version: %d is not supported; expected 1", c.Version)
	}
	names := make([]string, 0, len(c.Fields))
	for k := range c.Fields {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		f, ok := wire.FieldByName(k)
		if !ok {
			all := wire.FieldNames()
			d.add(nil, "fields: unknown API field %q (valid: %s)", k, strings.Join(all, ", "))
			continue
		}
		p.fields[f] = d.fieldPlan(f, c.Fields[k], p)
	}
	// Defaults for options that apply even when the field's spec omits them.
	if fp := &p.fields[wire.Phone]; fp.set && fp.region == "" {
		fp.region = "US"
	}
	if a := c.Account; a.Column != "" || a.Value != "" {
		p.account = d.accountPlan(a)
	}
	for k, col := range c.Attributes {
		switch {
		case strings.TrimSpace(k) == "":
			d.add(nil, "attributes: empty attribute key")
		case strings.TrimSpace(col) == "":
			d.addAt("attributes."+k, "no column given")
		default:
			p.attrs = append(p.attrs, attrPlan{key: k, column: col})
		}
	}
	sort.Slice(p.attrs, func(i, j int) bool { return p.attrs[i].key < p.attrs[j].key })
	for _, r := range []struct{ name, v string }{{"location", c.Rules.Location}, {"consent", c.Rules.Consent}} {
		switch r.v {
		case "", RuleError, RuleWarn, RuleOff:
		default:
			d.addAt("rules."+r.name, "%q is not a level (valid: error, warn, off)", r.v)
		}
	}
	p.location, p.consent = c.Rules.Location, c.Rules.Consent
	return p
}

func (d *decoder) accountPlan(a ValueSpec) fieldPlan {
	switch {
	case a.Column != "" && a.Value != "":
		d.addAt("account", "give column or value, not both")
	case a.Value != "":
		v, ok := normalizeAccount(clean(a.Value))
		if !ok {
			d.addAt("account", "value: %s", accountProblem(a.Value))
		}
		return fieldPlan{set: true, constant: v}
	case strings.TrimSpace(a.Column) == "":
		d.addAt("account", "no column given")
	}
	return fieldPlan{set: true, column: a.Column}
}

func (d *decoder) fieldPlan(f wire.Field, s FieldSpec, p *plan) fieldPlan {
	where := "fields." + f.String()
	before := len(d.problems)
	fp := fieldPlan{set: true, column: s.Column}
	switch {
	case s.Column != "" && s.Value != "":
		d.addAt(where, "give column or value, not both")
	case s.Column == "" && s.Value == "":
		d.addAt(where, "no column or value given")
	case s.Value == "" && strings.TrimSpace(s.Column) == "":
		d.addAt(where, "the column name is blank")
	}
	if s.Region != "" {
		fp.region = strings.ToUpper(strings.TrimSpace(s.Region))
		if f != wire.Phone {
			d.addAt(where, "region applies to phone only")
		} else if !validRegion(fp.region) {
			d.addAt(where, "unknown region %q (use a two-letter country code such as US, CA, GB)", s.Region)
		}
	}
	if f == wire.Timestamp {
		dp, err := newDateParser(s.Formats, strings.TrimSpace(s.Timezone))
		for _, e := range splitJoined(err) {
			d.addAt(where, "%v", e)
		}
		fp.dates = dp
	} else if len(s.Formats) > 0 || s.Timezone != "" {
		d.addAt(where, "formats and timezone apply to timestamp only")
	}
	if s.Value != "" && len(d.problems) == before {
		fp.column = ""
		if f == wire.Phone && fp.region == "" {
			fp.region = "US"
		}
		var r Result
		fp.constant = transform(f, &fp, clean(s.Value), &r)
		for _, e := range r.Errors {
			d.addAt(where, "value: %s", e)
		}
		p.constWarns = append(p.constWarns, r.Warnings...)
	}
	return fp
}

// splitJoined lists the errors inside an errors.Join result.
func splitJoined(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
