package mapping

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xonvo/xonvo-import/wire"
)

// Kind says what the rows being mapped become, which decides the fields used
// and the checks made.
type Kind int

const (
	// KindLead rows are leads (POST /lead, /leads/bulk): every field.
	KindLead Kind = iota
	// KindAgent rows are agents (POST /agent): firstName, lastName, phone
	// and externalId, all required.
	KindAgent
	// KindKeys rows only identify leads (unsubscribe, stop, reset, stats):
	// account, phone and externalId, none required here; the command decides.
	KindKeys
)

// String names the kind for messages.
func (k Kind) String() string {
	switch k {
	case KindLead:
		return "lead"
	case KindAgent:
		return "agent"
	case KindKeys:
		return "keys"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// BindOptions tunes Bind.
type BindOptions struct {
	Kind Kind
	// SingleLead is set for POST /lead, where the API documents the either/or
	// requirements: the rules the file leaves unset then default to "error"
	// instead of "warn".
	SingleLead bool
	// File is the input file's name, for messages.
	File string
	// AttributesInOrderOnly leaves Lead.Attributes nil: a row's attributes
	// are then only in Result.Attributes, for a caller that encodes them
	// with wire.AppendLeadJSONAttrs and reads nothing else of them. Filling
	// the map was a tenth of mapping a row.
	AttributesInOrderOnly bool
}

// level is a compiled rule level.
type level int

const (
	levelOff level = iota
	levelWarn
	levelError
)

func ruleLevel(s string, singleLead bool) level {
	switch s {
	case RuleOff:
		return levelOff
	case RuleWarn:
		return levelWarn
	case RuleError:
		return levelError
	}
	if singleLead {
		return levelError
	}
	return levelWarn
}

// Mapper turns rows of one input (one header) into leads. It is read-only
// after Bind, so one Mapper may serve several goroutines.
type Mapper struct {
	kind       Kind
	used       [wire.NumFields]bool
	cols       [wire.NumFields]int // -1 for a constant
	fallbacks  [wire.NumFields][]int
	headers    [wire.NumFields]string
	plans      [wire.NumFields]fieldPlan
	required   [wire.NumFields]bool
	drop       [wire.NumFields]bool // an invalid value is left out, not an error
	account    boundValue
	attrs      []boundAttr
	attrKeys   []string // attrs' keys, sorted (as attrs is): Result.Attributes
	noAttrMap  bool     // BindOptions.AttributesInOrderOnly
	location   level
	consent    level
	constWarns []string
}

type boundValue struct {
	used     bool
	col      int // -1 for a constant
	header   string
	constant string
}

type boundAttr struct {
	key    string
	col    int
	header string // the mapping's name for the column, for messages
}

// Bind resolves the mapping's columns against an input header. An exact
// header match wins over one that is equal after trimming and ignoring case;
// a name matching two columns is an error naming both; a mapped column that
// is missing fails, naming it and listing the headers found. Bind also fails
// when a field the kind requires is not mapped at all (and, for leads, when
// no account is set), because then no row could be valid.
func (c *Config) Bind(header []string, opts BindOptions) (*Mapper, error) {
	p, err := c.compile()
	if err != nil {
		return nil, err
	}
	file := opts.File
	if file == "" {
		file = "the input"
	}
	m := &Mapper{kind: opts.Kind, noAttrMap: opts.AttributesInOrderOnly}
	b := &binder{header: header, file: file}

	var want []wire.Field
	switch opts.Kind {
	case KindLead:
		for f := wire.Field(0); f < wire.NumFields; f++ {
			want = append(want, f)
		}
		for _, f := range []wire.Field{wire.FirstName, wire.LastName, wire.Phone, wire.Timestamp} {
			m.required[f] = true
		}
		// POST /lead names no account (SingleLead): none is needed.
		if !opts.SingleLead && !p.account.set {
			b.problems = append(b.problems, `account: not set; add account: {column: <header>} or account: {value: "<id>"}`)
		}
	case KindAgent:
		want = []wire.Field{wire.FirstName, wire.LastName, wire.Phone, wire.ExternalID}
		for _, f := range want {
			m.required[f] = true
		}
	case KindKeys:
		want = []wire.Field{wire.Phone, wire.ExternalID}
	default:
		return nil, fmt.Errorf("mapping %s: %w: unknown kind %d", c.name, ErrInvalidConfig, int(opts.Kind))
	}
	for _, f := range want {
		fp := p.fields[f]
		if !fp.set {
			if m.required[f] {
				b.problems = append(b.problems, "fields."+f.String()+": required for "+opts.Kind.String()+"s but not mapped")
			}
			continue
		}
		m.used[f] = true
		m.plans[f] = fp
		// Only a lead's optional fields may be dropped: an agent's fields are
		// all required, and keys identify a lead, so a bad one must not
		// silently become no key.
		m.drop[f] = opts.Kind == KindLead && !m.required[f] && !fp.reject
		m.cols[f] = -1
		if fp.column != "" {
			m.cols[f] = b.find(fp.column, "fields."+f.String())
			m.headers[f] = fp.column
			for _, col := range fp.fallback {
				m.fallbacks[f] = append(m.fallbacks[f], b.find(col, "fields."+f.String()+".fallback"))
			}
		}
	}
	if p.account.set && opts.Kind != KindAgent {
		m.account = boundValue{used: true, col: -1, constant: p.account.constant, header: p.account.column}
		if p.account.column != "" {
			m.account.col = b.find(p.account.column, "account")
		}
	}
	if opts.Kind == KindLead {
		for _, a := range p.attrs {
			m.attrs = append(m.attrs, boundAttr{key: a.key, col: b.find(a.column, "attributes."+a.key), header: a.column})
			m.attrKeys = append(m.attrKeys, a.key)
		}
		m.location = ruleLevel(p.location, opts.SingleLead)
		m.consent = ruleLevel(p.consent, opts.SingleLead)
		m.constWarns = p.constWarns
	}
	if err := b.err(c.name); err != nil {
		return nil, err
	}
	return m, nil
}

// binder collects column-matching problems so that all are reported at once.
type binder struct {
	header   []string
	file     string
	problems []string
	missing  bool
}

// find returns the index of the column called name.
func (b *binder) find(name, where string) int {
	idx := -1
	var dup []int
	for i, h := range b.header {
		if h == name {
			if idx >= 0 {
				dup = append(dup, i)
				continue
			}
			idx = i
		}
	}
	if idx < 0 {
		want := strings.TrimSpace(name)
		for i, h := range b.header {
			if strings.EqualFold(strings.TrimSpace(h), want) {
				if idx >= 0 {
					dup = append(dup, i)
					continue
				}
				idx = i
			}
		}
	}
	switch {
	case idx < 0:
		b.missing = true
		b.problems = append(b.problems, where+": column "+strconv.Quote(name)+" not found in "+b.file)
	case len(dup) > 0:
		msg := where + ": column " + strconv.Quote(name) + " matches several columns of " + b.file + ": " + colName(b.header, idx)
		for _, i := range dup {
			msg += " and " + colName(b.header, i)
		}
		b.problems = append(b.problems, msg)
	}
	return idx
}

// colName names a column by header and 1-based position.
func colName(header []string, i int) string {
	return strconv.Quote(header[i]) + " (column " + strconv.Itoa(i+1) + ")"
}

func (b *binder) err(name string) error {
	if len(b.problems) == 0 {
		return nil
	}
	e := &problemsError{file: name, problems: b.problems}
	if e.file == "" {
		e.file = "(built in)"
	}
	if b.missing {
		q := make([]string, len(b.header))
		for i, h := range b.header {
			q[i] = strconv.Quote(h)
		}
		found := "headers found: " + strings.Join(q, ", ")
		if len(q) == 0 {
			found = "no headers found"
		}
		if len(e.problems) == 1 {
			e.problems[0] += "; " + found
		} else {
			e.problems = append(e.problems, found)
		}
	}
	return e
}
