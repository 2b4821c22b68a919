package mapping

import "strings"

// headerIndex finds what a header stands for, given the exporter the whole
// header looks like.
type headerIndex struct {
	byKey    map[string][]originSynonym
	exporter string // "" when none was recognised
}

type originSynonym struct {
	origin string
	headerSynonym
}

// newHeaderIndex indexes the table and recognises the exporter: the one
// with the most signature headers present (Google Forms by its first
// column, Timestamp).
func newHeaderIndex(header []string) *headerIndex {
	x := &headerIndex{byKey: map[string][]originSynonym{}}
	keys := map[string]bool{}
	for _, h := range header {
		keys[normHeader(h)] = true
	}
	best := 0
	for _, o := range headerOrigins() {
		for _, s := range o.synonyms {
			x.byKey[s.key] = append(x.byKey[s.key], originSynonym{origin: o.name, headerSynonym: s})
		}
		hits := 0
		for _, sig := range o.signatures {
			if keys[sig] {
				hits++
			}
		}
		if hits > best {
			best, x.exporter = hits, o.name
		}
	}
	if x.exporter == "" {
		for k := range keys {
			if strings.HasPrefix(k, "donotmodify") {
				x.exporter = "Dynamics 365"
			}
		}
	}
	if x.exporter == "" && len(header) > 0 && strings.TrimSpace(header[0]) == "Timestamp" {
		x.exporter = "Google Forms"
	}
	return x
}

// lookup returns the synonym for header h and the origin to name in the
// comment ("" for a generic header).
func (x *headerIndex) lookup(h string) (headerSynonym, string, bool) {
	key := normHeader(h)
	if rest, ok := strings.CutPrefix(key, "donotmodify"); ok { // Dynamics' own bookkeeping columns
		target := targetIgnore
		if rest == "contact" || rest == "lead" { // the record's id
			target = "externalId"
		}
		return headerSynonym{key: key, target: target}, "Dynamics 365", true
	}
	cands := x.byKey[key]
	if len(cands) == 0 && strings.HasPrefix(key, "person") { // Pipedrive's "Person - Email"
		cands = x.byKey[strings.TrimPrefix(key, "person")]
	}
	if len(cands) == 0 {
		return headerSynonym{}, "", false
	}
	for _, c := range cands {
		if x.exporter != "" && c.origin == x.exporter {
			return c.headerSynonym, c.origin, true
		}
	}
	for _, c := range cands {
		if c.origin == "" {
			return c.headerSynonym, "", true
		}
	}
	// Only exporters and languages know the header. One exporter's "ignore"
	// (Mailchimp's REGION) must not hide a language's meaning (French
	// Région) when that exporter is not the one found.
	chosen := cands[0]
	for _, c := range cands {
		if c.target != targetIgnore {
			chosen = c
			break
		}
	}
	var names []string
	for _, c := range cands {
		if c.target == chosen.target && !contains(names, c.origin) {
			names = append(names, c.origin)
		}
	}
	return chosen.headerSynonym, strings.Join(names, ", "), true
}
