package mapping

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/xonvo/xonvo-import/wire"
)

// GuessOptions tunes Guess.
type GuessOptions struct {
	Region   string // phone default region; default US
	Timezone string // timezone of the input's dates; default UTC
}

// Guess writes a mapping file (YAML) for an input from its header and a few
// sample rows, for `mapping init`. Headers are matched to API fields exactly,
// ignoring case, spaces, underscores and punctuation, and through common
// synonyms; the rest become attributes with UPPER_SNAKE keys. The timestamp
// column's format is guessed from the samples; when they fit both a
// month-first and a day-first format, a comment says so and which was chosen
// (month first for region US and CA, day first elsewhere). The output is
// accepted by Load unchanged; comments point at anything left to decide.
func Guess(header []string, samples [][]string, opts GuessOptions) ([]byte, error) {
	region := strings.ToUpper(strings.TrimSpace(opts.Region))
	if region == "" {
		region = "US"
	}
	if !validRegion(region) {
		return nil, fmt.Errorf("%w: unknown region %q", ErrInvalidConfig, opts.Region)
	}
	tz := strings.TrimSpace(opts.Timezone)
	if tz == "" {
		tz = "UTC"
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return nil, fmt.Errorf("%w: unknown timezone %q: %w", ErrInvalidConfig, tz, err)
	}

	g := guessColumns(header, samples)

	doc := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, v *yaml.Node, comment string) *yaml.Node {
		k := str(key)
		k.HeadComment = comment
		doc.Content = append(doc.Content, k, v)
		return k
	}
	add("version", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "1"},
		"Guessed by `xonvo-import mapping init` from the header and "+strconv.Itoa(len(samples))+
			" sample rows.\nCheck every line before importing; formats are in CONTRACT.md.")

	var notes []string
	if g.account >= 0 {
		add("account", mapping("column", str(header[g.account])), "")
	} else {
		notes = append(notes, `no account column found: add account: {column: <header>} or account: {value: "<id>"}`)
	}

	fields := &yaml.Node{Kind: yaml.MappingNode}
	var missing []string
	for f := wire.Field(0); f < wire.NumFields; f++ {
		col := g.fields[f]
		if col < 0 {
			switch f {
			case wire.FirstName, wire.LastName, wire.Phone, wire.Timestamp:
				missing = append(missing, f.String())
			}
			continue
		}
		k := str(f.String())
		var v *yaml.Node
		switch f {
		case wire.Phone:
			v = mapping("column", str(header[col]), "region", str(region))
		case wire.Timestamp:
			formats, comment := guessDateFormat(columnValues(samples, col), region)
			seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, f := range formats {
				seq.Content = append(seq.Content, str(f))
			}
			v = mapping("column", str(header[col]), "formats", seq, "timezone", str(tz))
			k.HeadComment = comment
		default:
			v = str(header[col])
		}
		fields.Content = append(fields.Content, k, v)
	}
	if len(missing) > 0 {
		notes = append(notes, "required but not found in the header: "+strings.Join(missing, ", ")+"; map them before importing")
	}
	if len(g.skipped) > 0 {
		notes = append(notes, "not mapped: "+strings.Join(g.skipped, "; "))
	}
	if len(fields.Content) == 0 {
		fields.Style = yaml.FlowStyle
	}
	add("fields", fields, strings.Join(notes, "\n"))

	if len(g.attrs) > 0 {
		attrs := &yaml.Node{Kind: yaml.MappingNode}
		for _, a := range g.attrs {
			attrs.Content = append(attrs.Content, str(a.key), str(header[a.col]))
		}
		add("attributes", attrs, "Other columns, sent as lead attributes (empty values are left out).")
	}
	rules := mapping("location", str(RuleWarn), "consent", str(RuleWarn))
	rules.Content[1].LineComment = "state and city, or zip"
	rules.Content[3].LineComment = "jornayaLeadId or trustedFormId"
	add("rules", rules, "error | warn | off")

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc}}); err != nil {
		return nil, fmt.Errorf("write mapping: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("write mapping: %w", err)
	}
	return buf.Bytes(), nil
}

// str is a string scalar; the explicit tag makes the encoder quote values
// such as "2021" or "yes" that would otherwise read back as other types.
func str(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// mapping builds a block mapping from key, value pairs.
func mapping(kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Content = append(n.Content, str(kv[i].(string)), kv[i+1].(*yaml.Node))
	}
	return n
}

func columnValues(samples [][]string, col int) []string {
	var out []string
	for _, row := range samples {
		if v := cell(row, col); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// guessed is the outcome of matching a header.
type guessed struct {
	account int
	fields  [wire.NumFields]int
	attrs   []boundAttr
	skipped []string
}

// guessColumns assigns columns to the account, fields and attributes. Strong
// synonyms claim first (in header order); weak ones ("ID", "Date") only take
// what is still free, so "Created At" beats "Date" wherever they stand.
func guessColumns(header []string, samples [][]string) guessed {
	g := guessed{account: -1}
	for i := range g.fields {
		g.fields[i] = -1
	}
	claimed := make([]bool, len(header))
	count := map[string]int{}
	for _, h := range header {
		count[h]++
	}
	for i, h := range header {
		switch {
		case strings.TrimSpace(h) == "":
			g.skipped = append(g.skipped, "column "+strconv.Itoa(i+1)+" has no header")
			claimed[i] = true
		case count[h] > 1:
			g.skipped = append(g.skipped, strconv.Quote(h)+" appears more than once")
			count[h] = -1 // said once; later copies are skipped quietly
			claimed[i] = true
		case count[h] == -1:
			claimed[i] = true
		}
	}
	for _, weak := range []bool{false, true} {
		for i, h := range header {
			if claimed[i] {
				continue
			}
			target, isWeak := synonym(h, columnValues(samples, i))
			if target == "" || isWeak != weak {
				continue
			}
			if target == "account" {
				if g.account < 0 {
					g.account, claimed[i] = i, true
				}
				continue
			}
			f, _ := wire.FieldByName(target)
			if g.fields[f] < 0 {
				g.fields[f], claimed[i] = i, true
			}
		}
	}
	used := map[string]bool{}
	for i, h := range header {
		if claimed[i] {
			continue
		}
		key := upperSnake(h)
		if key == "" {
			key = "COLUMN_" + strconv.Itoa(i+1)
		}
		for n := 2; used[key]; n++ {
			key = upperSnake(h) + "_" + strconv.Itoa(n)
		}
		used[key] = true
		g.attrs = append(g.attrs, boundAttr{key: key, col: i})
	}
	return g
}

// normHeader lower-cases and keeps only letters and digits:
// "E-mail Address" -> "emailaddress".
func normHeader(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// synonym returns the API field (or "account") a header stands for, and
// whether the match is weak. "LeadiD" (Jornaya's product, spelled so) and a
// "Lead ID" column holding UUIDs are Jornaya ids; another "Lead ID" is the
// caller's external id.
func synonym(h string, values []string) (target string, weak bool) {
	n := normHeader(h)
	if n == "leadid" {
		if strings.TrimSpace(h) == "LeadiD" || allUUID(values) {
			return "jornayaLeadId", false
		}
		return "externalId", false
	}
	switch n {
	case "firstname", "first", "fname", "givenname", "forename":
		return "firstName", false
	case "lastname", "last", "lname", "surname", "familyname":
		return "lastName", false
	case "phone", "phonenumber", "phoneno", "mobile", "mobilephone", "mobilenumber", "cell", "cellphone",
		"cellnumber", "tel", "telephone", "telephonenumber", "primaryphone", "phone1":
		return "phone", false
	case "email", "emailaddress", "mail":
		return "email", false
	case "state", "stateprovince", "province", "statecode", "stateabbr":
		return "state", false
	case "city", "town":
		return "city", false
	case "zip", "zipcode", "postalcode", "postcode", "postal", "zip5":
		return "zip", false
	case "timestamp", "leaddate", "createdat", "created", "datecreated", "createddate", "dateadded",
		"signupdate", "optindate", "leadtimestamp":
		return "timestamp", false
	case "date", "datetime", "time":
		return "timestamp", true
	case "ip", "ipaddress", "ipaddr", "ipv4":
		return "ipAddress", false
	case "source", "sourceid", "leadsource":
		return "sourceId", false
	case "jornaya", "jornayaleadid", "jornayaid", "leadidtoken", "universalleadid":
		return "jornayaLeadId", false
	case "trustedform", "trustedformid", "trustedformurl", "trustedformcert", "trustedformcerturl",
		"xxtrustedformcerturl":
		return "trustedFormId", false
	case "street", "address", "streetaddress", "address1", "addressline1", "street1":
		return "street", false
	case "agent", "agentid", "agentexternalid":
		return "agentExternalId", false
	case "externalid", "customerid", "crmid", "recordid":
		return "externalId", false
	case "id":
		return "externalId", true
	case "accountid", "account", "shopid", "accountnumber":
		return "account", false
	}
	return "", false
}

// allUUID reports whether there are values and all look like 8-4-4-4-12 hex.
func allUUID(values []string) bool {
	if len(values) == 0 {
		return false
	}
	for _, v := range values {
		if len(v) != 36 {
			return false
		}
		for i := 0; i < len(v); i++ {
			c := v[i]
			switch i {
			case 8, 13, 18, 23:
				if c != '-' {
					return false
				}
			default:
				if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
					return false
				}
			}
		}
	}
	return true
}

// upperSnake makes an attribute key: "Cart URL" -> "CART_URL".
func upperSnake(h string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.TrimSpace(h) {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			sep = b.Len() > 0
			continue
		}
		r = unicode.ToUpper(r)
		if sep {
			b.WriteByte('_')
			sep = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// dateCandidates lists the formats mapping init tries, most specific first.
// Day-first and month-first variants of one shape sit side by side so that an
// ambiguity can be spotted.
func dateCandidates() []string {
	out := []string{wire.TimestampFormat, FormatISO8601}
	times := []string{"", " H:mm", " H:mm:ss", " h:mm a", " h:mm:ss a"}
	for _, sep := range []string{"/", "-", "."} {
		for _, y := range []string{"yyyy", "yy"} {
			for _, t := range times {
				out = append(out, "M"+sep+"d"+sep+y+t, "d"+sep+"M"+sep+y+t)
			}
		}
		for _, t := range times {
			out = append(out, "yyyy"+sep+"M"+sep+"d"+t)
		}
	}
	for _, t := range []string{"'T'HH:mm:ss", "'T'HH:mm:ss.SSS", " HH:mm:ss.SSS"} {
		out = append(out, "yyyy-MM-dd"+t)
	}
	out = append(out, "yyyyMMdd", "MMM d, yyyy", "MMM d, yyyy h:mm a", "d MMM yyyy", "d MMM yyyy HH:mm", "MMMM d, yyyy", FormatExcel)
	return out
}

// guessDateFormat picks the formats for the timestamp column and a comment
// explaining anything uncertain.
func guessDateFormat(values []string, region string) ([]string, string) {
	if len(values) == 0 {
		return []string{wire.TimestampFormat}, "no sample dates to guess from: list the column's formats"
	}
	compiled := map[string]*dateParser{}
	matches := func(f string, v string) bool {
		p, ok := compiled[f]
		if !ok {
			df, err := compileDateFormat(f)
			if err != nil {
				return false // the candidates are ours; a bad one is skipped, not fatal
			}
			p = &dateParser{formats: []dateFormat{df}, loc: time.UTC}
			compiled[f] = p
		}
		_, ok = p.parse(v)
		return ok
	}
	var full []string
	for _, f := range dateCandidates() {
		hits := 0
		for _, v := range values {
			if matches(f, v) {
				hits++
			}
		}
		if hits == len(values) {
			full = append(full, f)
		}
	}
	if len(full) == 0 {
		return coverDates(values, region, matches)
	}
	chosen := full[0]
	if swapped := swapDayMonth(chosen); swapped != chosen && contains(full, swapped) {
		monthFirst, dayFirst := chosen, swapped
		if strings.HasPrefix(chosen, "d") {
			monthFirst, dayFirst = swapped, chosen
		}
		chosen = dayFirst
		why := "day first, region " + region
		if region == "US" || region == "CA" {
			chosen, why = monthFirst, "month first, region "+region
		}
		return []string{chosen}, "ambiguous: every sample fits both " + monthFirst + " and " + dayFirst +
			"; chose " + chosen + " (" + why + "). Check it."
	}
	return []string{chosen}, ""
}

// maxGuessedFormats bounds how many formats a guess lists for one column.
const maxGuessedFormats = 4

// coverDates handles a column whose samples no single format fits (an
// export that mixes two date styles): it picks, greedily, the format that
// fits most of the samples not yet covered, up to maxGuessedFormats.
func coverDates(values []string, region string, matches func(f, v string) bool) ([]string, string) {
	left := values
	var chosen, notes []string
	for len(left) > 0 && len(chosen) < maxGuessedFormats {
		best, bestHits := "", 0
		for _, f := range dateCandidates() {
			hits := 0
			for _, v := range left {
				if matches(f, v) {
					hits++
				}
			}
			if hits > bestHits {
				best, bestHits = f, hits
			}
		}
		if best == "" {
			break
		}
		if swapped := swapDayMonth(best); swapped != best {
			same := true
			for _, v := range left {
				if matches(best, v) != matches(swapped, v) {
					same = false
					break
				}
			}
			if same {
				monthFirst, dayFirst := best, swapped
				if strings.HasPrefix(best, "d") {
					monthFirst, dayFirst = swapped, best
				}
				best = dayFirst
				if region == "US" || region == "CA" {
					best = monthFirst
				}
				notes = append(notes, "ambiguous: "+monthFirst+" or "+dayFirst+"; chose "+best+" for region "+region)
			}
		}
		chosen = append(chosen, best)
		var rest []string
		for _, v := range left {
			if !matches(best, v) {
				rest = append(rest, v)
			}
		}
		left = rest
	}
	if len(chosen) == 0 {
		return []string{wire.TimestampFormat}, "no known format matched samples such as " + strconv.Quote(values[0]) + ": list the column's formats"
	}
	note := "samples mix " + strconv.Itoa(len(chosen)) + " date formats"
	if len(left) > 0 {
		note = strconv.Itoa(len(left)) + " of " + strconv.Itoa(len(values)) + " sample dates matched none of the formats (e.g. " +
			strconv.Quote(left[0]) + "): check them"
	}
	if len(notes) > 0 {
		note += "; " + strings.Join(notes, "; ")
	}
	return chosen, note + ". Check it."
}

// swapDayMonth turns M/d/... into d/M/... and back.
func swapDayMonth(f string) string {
	if len(f) < 3 || (len(f) > 3 && isLetter(f[3])) || isLetter(f[1]) {
		return f
	}
	switch {
	case f[0] == 'M' && f[2] == 'd':
		return "d" + f[1:2] + "M" + f[3:]
	case f[0] == 'd' && f[2] == 'M':
		return "M" + f[1:2] + "d" + f[3:]
	}
	return f
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
