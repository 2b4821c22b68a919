package mapping

import (
	"sort"
	"strings"

	"github.com/xonvo/xonvo-import/wire"
)

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
	reject   bool     // invalid: reject
	fallback []string // columns read when column's cell is empty
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
	for _, k := range sortedKeys(c.Fields) {
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
			d.addAt("account", "value: %s", accountProblem(a.Value, ""))
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
	fp := fieldPlan{set: true, column: s.Column, fallback: s.Fallback}
	for _, col := range s.Fallback {
		if strings.TrimSpace(col) == "" {
			d.addAt(where, "fallback: a column name is blank")
		}
	}
	if len(s.Fallback) > 0 && s.Value != "" {
		d.addAt(where, "fallback applies to a column, not to a constant value")
	}
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
	switch s.Invalid {
	case "", InvalidDrop:
		if s.Invalid == InvalidDrop && alwaysRequired(f) {
			d.addAt(where, "invalid: drop is not possible: %s is required, so a row with an invalid one is always rejected", f)
		}
	case InvalidReject:
		fp.reject = true
	default:
		d.addAt(where, "invalid: %q is not an option (valid: drop, reject)", s.Invalid)
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
		out, problem := transform(f, &fp, clean(s.Value), "", &r)
		if problem != "" {
			d.addAt(where, "value: %s", problem)
		}
		fp.constant = out
		p.constWarns = append(p.constWarns, r.Warnings...)
	}
	return fp
}

// alwaysRequired reports whether every lead needs f, so that an invalid
// value can never be left out.
func alwaysRequired(f wire.Field) bool {
	switch f {
	case wire.FirstName, wire.LastName, wire.Phone, wire.Timestamp:
		return true
	}
	return false
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
