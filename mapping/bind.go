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
}

// Name-length limits of the API.
const maxNameRunes = 250

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
	headers    [wire.NumFields]string
	plans      [wire.NumFields]fieldPlan
	required   [wire.NumFields]bool
	account    boundValue
	attrs      []boundAttr
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
	key string
	col int
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
	m := &Mapper{kind: opts.Kind}
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
		if !p.account.set {
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
		m.cols[f] = -1
		if fp.column != "" {
			m.cols[f] = b.find(fp.column, "fields."+f.String())
			m.headers[f] = fp.column
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
			m.attrs = append(m.attrs, boundAttr{key: a.key, col: b.find(a.column, "attributes."+a.key)})
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

// Result is one mapped row.
type Result struct {
	AccountID string
	// Lead holds the mapped values. KindAgent fills FirstName, LastName,
	// Phone and ExternalID; KindKeys fills Phone and ExternalID. A value that
	// failed its transform is left as read, so reports show what was wrong.
	Lead     wire.Lead
	Errors   []string // every problem of the row; the row must not be sent
	Warnings []string // sent anyway, but worth telling
}

// Valid reports whether the row has no errors.
func (r *Result) Valid() bool { return len(r.Errors) == 0 }

// Message joins errors then warnings with "; ", warnings prefixed
// "warning: ". It is "" for a clean row.
func (r *Result) Message() string {
	if len(r.Errors) == 0 && len(r.Warnings) == 0 {
		return ""
	}
	var sb strings.Builder
	for _, e := range r.Errors {
		if sb.Len() > 0 {
			sb.WriteString("; ")
		}
		sb.WriteString(e)
	}
	for _, w := range r.Warnings {
		if sb.Len() > 0 {
			sb.WriteString("; ")
		}
		sb.WriteString("warning: ")
		sb.WriteString(w)
	}
	return sb.String()
}

func (r *Result) addError(s string) { r.Errors = append(r.Errors, s) }
func (r *Result) addWarn(s string)  { r.Warnings = append(r.Warnings, s) }

// Map maps one row. cells may be shorter than the header (missing cells are
// empty). It never fails: problems are in the Result.
func (m *Mapper) Map(cells []string) Result {
	var r Result
	if m.account.used {
		v := m.account.constant
		if m.account.col >= 0 {
			v = cell(cells, m.account.col)
			if v != "" {
				if a, ok := normalizeAccount(v); ok {
					v = a
				} else {
					r.addError(accountProblem(v))
				}
			}
		}
		if v == "" && m.kind == KindLead {
			r.addError("account id is required but column " + strconv.Quote(m.account.header) + " is empty")
		}
		r.AccountID = v
	}
	for f := wire.Field(0); f < wire.NumFields; f++ {
		if !m.used[f] {
			continue
		}
		var v string
		if col := m.cols[f]; col < 0 {
			v = m.plans[f].constant
		} else if v = cell(cells, col); v != "" {
			v = transform(f, &m.plans[f], v, &r)
		}
		if v == "" && m.required[f] {
			r.addError(f.String() + " is required but column " + strconv.Quote(m.headers[f]) + " is empty")
		}
		r.Lead.Set(f, v)
	}
	if m.kind != KindLead {
		return r
	}
	for _, a := range m.attrs {
		if v := cell(cells, a.col); v != "" {
			if r.Lead.Attributes == nil {
				r.Lead.Attributes = make(map[string]string, len(m.attrs))
			}
			r.Lead.Attributes[a.key] = v
		}
	}
	l := &r.Lead
	if !(l.State != "" && l.City != "" || l.Zip != "") {
		r.rule(m.location, "location: needs state and city, or zip")
	}
	if l.JornayaLeadID == "" && l.TrustedFormID == "" {
		r.rule(m.consent, "consent: needs jornayaLeadId or trustedFormId")
	}
	r.Warnings = append(r.Warnings, m.constWarns...)
	return r
}

func (r *Result) rule(l level, msg string) {
	switch l {
	case levelError:
		r.addError(msg)
	case levelWarn:
		r.addWarn(msg)
	}
}

// cell returns the cleaned cell i, "" when the row is shorter.
func cell(cells []string, i int) string {
	if i >= len(cells) {
		return ""
	}
	return clean(cells[i])
}

// transform applies field f's transform to a non-empty cleaned value,
// recording problems in r. On an error the value comes back as given.
func transform(f wire.Field, fp *fieldPlan, v string, r *Result) string {
	switch f {
	case wire.FirstName, wire.LastName:
		if tooLong(v, maxNameRunes) {
			r.addError(f.String() + " is longer than " + strconv.Itoa(maxNameRunes) + " characters")
		}
	case wire.Phone:
		p := normalizePhone(v, fp.region)
		if !p.OK {
			r.addError(phoneProblem(v, fp.region))
			return v
		}
		if p.Extension != "" {
			r.addWarn(extensionWarning(v, p.Extension))
		}
		if len(p.E164) > maxPhoneLen { // E.164 is at most 16; kept for the API's documented limit
			r.addError("phone is longer than " + strconv.Itoa(maxPhoneLen) + " characters")
		}
		return p.E164
	case wire.Timestamp:
		out, ok := fp.dates.parse(v)
		if !ok {
			r.addError("timestamp " + strconv.Quote(v) + " does not match " + fp.dates.expect)
			return v
		}
		return out
	case wire.State:
		code, ok := stateCode(v)
		if !ok {
			r.addWarn("state " + strconv.Quote(v) + " is not a US state, territory or USPS code; sent as given")
			return v
		}
		return code
	case wire.Email:
		if !validEmail(v) {
			r.addError("email " + strconv.Quote(v) + " is not a valid email address")
		}
	case wire.Zip:
		out, res := normalizeZip(v)
		switch res {
		case zipPadded:
			r.addWarn("zip " + strconv.Quote(v) + " has 4 digits, padded to " + strconv.Quote(out) + " (a spreadsheet probably dropped the leading zero)")
		case zipBad:
			r.addError("zip " + strconv.Quote(v) + " is not a 5-digit ZIP or ZIP+4 (12345-6789)")
		}
		return out
	}
	return v
}
