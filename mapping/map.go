package mapping

import (
	"strconv"
	"strings"

	"github.com/xonvo/xonvo-import/wire"
)

// Result is one mapped row.
type Result struct {
	AccountID string
	// Lead holds the mapped values. KindAgent fills FirstName, LastName,
	// Phone and ExternalID; KindKeys fills Phone and ExternalID. A value that
	// failed its transform and rejects the row is left as read, so reports
	// show what was wrong; an optional value dropped as invalid is empty,
	// because the lead is sent without it.
	Lead     wire.Lead
	Errors   []string // every problem of the row; the row must not be sent
	Warnings []string // sent anyway, but worth telling

	// attrs is the attributes map MapInto fills again, kept while a row
	// without attributes leaves Lead.Attributes nil. It holds keys of
	// attrsOf's attributes only, so that a row of the same mapper sets or
	// deletes each of them instead of clearing the map first.
	attrs   map[string]string
	attrsOf *Mapper
	// attrVals holds Lead.Attributes again, as values in the order of
	// attrsOf's keys ("" for a key the row left out): an encoder reads them
	// where they lie, beside the lead, instead of looking each key up in
	// the map, whose lookups cost as much as the encoding they fed.
	attrVals []string
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

// Attributes returns Lead.Attributes as the mapping's attribute keys, sorted
// and without repeats, and values beside them: values[i] is keys[i]'s, or ""
// where the row left it out (Attributes never holds an empty value). They
// are for wire.AppendLeadJSONAttrs, and valid until the next MapInto into
// r; the caller must not change them. ok is false for a Result never
// mapped.
func (r *Result) Attributes() (keys, values []string, ok bool) {
	if r.attrsOf == nil {
		return nil, nil, false
	}
	return r.attrsOf.attrKeys, r.attrVals, true
}

func (r *Result) addError(s string) { r.Errors = append(r.Errors, s) }
func (r *Result) addWarn(s string)  { r.Warnings = append(r.Warnings, s) }

// dropped is an optional field whose value was invalid: left out of the
// lead, unless a rule at level error needs it after all.
type dropped struct {
	field   wire.Field
	raw     string
	problem string
}

// Fields that can satisfy the either/or rules, as bit masks.
const (
	locationFields = 1<<wire.State | 1<<wire.City | 1<<wire.Zip
	consentFields  = 1<<wire.JornayaLeadID | 1<<wire.TrustedFormID
)

// Map maps one row. cells may be shorter than the header (missing cells are
// empty). It never fails: problems are in the Result. A Mapper is not
// changed by mapping: any number of goroutines may map with it at once,
// each into its own Result.
func (m *Mapper) Map(cells []string) Result {
	var r Result
	m.MapInto(cells, &r)
	r.attrs = nil // the map is the returned lead's own
	return r
}

// MapInto is Map into r, for a caller that maps row after row: it reuses the
// storage of r's Errors, Warnings and Lead.Attributes, so a clean row costs
// no allocation of its own (a map of attributes made for every row was a
// fifth of a dry run's mapping). Everything r held is replaced; a caller
// that keeps r.Lead past the next MapInto must keep a copy of its
// Attributes (maps.Clone).
func (m *Mapper) MapInto(cells []string, r *Result) {
	attrs, attrsOf := r.attrs, r.attrsOf
	if attrsOf != m {
		clear(attrs)
	}
	*r = Result{Errors: r.Errors[:0], Warnings: r.Warnings[:0], attrs: attrs, attrsOf: m, attrVals: r.attrVals[:0]}
	if m.account.used {
		r.AccountID = m.mapAccount(cells, r)
	}
	var drops []dropped // stays nil, and free, on clean rows
	for f := wire.Field(0); f < wire.NumFields; f++ {
		if !m.used[f] {
			continue
		}
		var v string
		header := m.headers[f]
		if col := m.cols[f]; col < 0 {
			v = m.plans[f].constant
		} else if v = cell(cells, col); v != "" && isSheetError(v) {
			// Treated as empty: a fallback column may still hold the value.
			bad := v
			if v = ""; m.fallbacks[f] != nil {
				v, header = m.fallback(f, cells, r)
			}
			if v == "" && m.required[f] {
				r.addError(f.String() + " is required but column " + strconv.Quote(m.headers[f]) + " holds " + bad)
				continue
			}
			r.addWarn(sheetErrorWarning(m.headers[f], bad))
		} else if v == "" && m.fallbacks[f] != nil {
			v, header = m.fallback(f, cells, r)
		}
		if v != "" && m.cols[f] >= 0 {
			out, problem := transform(f, &m.plans[f], v, header, r)
			switch {
			case problem == "":
				v = out
			case m.drop[f]:
				drops = append(drops, dropped{field: f, raw: v, problem: problem})
				continue
			default:
				r.addError(problem)
			}
		}
		if v == "" && m.required[f] {
			r.addError(m.requiredEmpty(f))
		}
		r.Lead.Set(f, v)
	}
	if m.kind != KindLead {
		return
	}
	for _, a := range m.attrs {
		v := cell(cells, a.col)
		if v != "" && isSheetError(v) {
			r.addWarn(sheetErrorWarning(a.header, v))
			v = ""
		}
		r.attrVals = append(r.attrVals, v)
		if m.noAttrMap {
			continue
		}
		switch {
		case v != "" && r.attrs == nil:
			r.attrs = map[string]string{a.key: v}
		case v != "":
			r.attrs[a.key] = v
		case len(r.attrs) > 0:
			delete(r.attrs, a.key) // a key the last row of this mapper may have set
		}
	}
	if len(r.attrs) > 0 {
		r.Lead.Attributes = r.attrs
	}
	l := &r.Lead
	var needed uint32 // dropped fields a failing rule at level error needs
	location := l.State != "" && l.City != "" || l.Zip != ""
	consent := l.JornayaLeadID != "" || l.TrustedFormID != ""
	if !location && m.location == levelError {
		needed |= locationFields
	}
	if !consent && m.consent == levelError {
		needed |= consentFields
	}
	for _, d := range drops {
		if needed&(1<<d.field) != 0 {
			r.addError(d.problem)
			l.Set(d.field, d.raw)
		} else {
			r.addWarn(d.problem + "; left out")
		}
	}
	if !location {
		r.rule(m.location, "location: needs state and city, or zip")
	}
	if !consent {
		r.rule(m.consent, "consent: needs jornayaLeadId or trustedFormId")
	}
	r.Warnings = append(r.Warnings, m.constWarns...)
}

// fallback reads field f's fallback columns in order and returns the first
// non-empty cell and its column's name. Spreadsheet errors count as empty,
// with a warning.
func (m *Mapper) fallback(f wire.Field, cells []string, r *Result) (string, string) {
	for i, col := range m.fallbacks[f] {
		v := cell(cells, col)
		if v != "" && isSheetError(v) {
			r.addWarn(sheetErrorWarning(m.plans[f].fallback[i], v))
			continue
		}
		if v != "" {
			return v, m.plans[f].fallback[i]
		}
	}
	return "", m.headers[f]
}

// requiredEmpty is the error for a required field with nothing in its
// column, or in any of its columns.
func (m *Mapper) requiredEmpty(f wire.Field) string {
	fb := m.plans[f].fallback
	if len(fb) == 0 {
		return f.String() + " is required but column " + strconv.Quote(m.headers[f]) + " is empty"
	}
	names := make([]string, 0, len(fb)+1)
	for _, h := range append([]string{m.headers[f]}, fb...) {
		names = append(names, strconv.Quote(h))
	}
	return f.String() + " is required but columns " + joinList(names, " and ") + " are all empty"
}

// mapAccount returns the row's account id, recording problems in r.
func (m *Mapper) mapAccount(cells []string, r *Result) string {
	a := &m.account
	if a.col < 0 {
		return a.constant
	}
	v := cell(cells, a.col)
	switch {
	case v == "":
		if m.kind == KindLead {
			r.addError("account id is required but column " + strconv.Quote(a.header) + " is empty")
		}
		return ""
	case isSheetError(v):
		if m.kind == KindLead {
			r.addError("account id is required but column " + strconv.Quote(a.header) + " holds " + v)
		} else {
			r.addWarn(sheetErrorWarning(a.header, v))
		}
		return ""
	}
	n, form := plainNumber(v)
	if form == numLost {
		r.addError(accountValue(v, a.header) + lostDigits)
		return v
	}
	id, ok := normalizeAccount(n)
	if !ok {
		r.addError(accountProblem(v, a.header))
		return v
	}
	if form == numScientific {
		r.addWarn(accountValue(v, a.header) + scientificRead + id)
	}
	return id
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

// sheetErrorWarning is the warning for a spreadsheet error value in a
// column whose value may be missing.
func sheetErrorWarning(column, v string) string {
	return "column " + strconv.Quote(column) + " holds " + v + " (a spreadsheet error); treated as empty"
}
