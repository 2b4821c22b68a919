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
	// Sheet is the XLSX sheet the samples came from, written as
	// source.sheet so that the import reads the same one; "" writes none.
	Sheet string
	// HeaderRow is the row (1-based) the header was found on, written as
	// source.header_row when it is not row 1; 0 means row 1.
	HeaderRow int
}

// Guess writes a mapping file (YAML) for an input from its header and a few
// sample rows, for `mapping init`. Headers are matched through the headers
// that HubSpot, Salesforce, Zoho, Pipedrive, Dynamics 365, Marketo,
// Mailchimp, Facebook Lead Ads and Google Forms write, and German, Spanish,
// French and Portuguese ones, ignoring case, accents, spaces and
// punctuation; columns whose header says nothing are recognised by their
// values (dates, phones, emails, ZIPs, US states, IP addresses, Jornaya and
// TrustedForm ids). Every guess carries a comment saying why; a guess that
// could be wrong is written commented out. The rest become attributes with
// UPPER_SNAKE keys. The timestamp column's format is guessed from the
// samples; when they fit both a month-first and a day-first format, a
// comment says so and which was chosen (month first for region US and CA,
// day first elsewhere). The output is accepted by Load unchanged.
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
	if opts.HeaderRow < 0 {
		return nil, fmt.Errorf("%w: header row %d: rows are numbered from 1", ErrInvalidConfig, opts.HeaderRow)
	}

	g := guessColumns(header, samples, region)
	w := &guessWriter{header: header, samples: samples, region: region, tz: tz}
	doc := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, v *yaml.Node, comment string) {
		k := str(key)
		k.HeadComment = comment
		doc.Content = append(doc.Content, k, v)
	}
	intro := "Guessed by `xonvo-import mapping init` from the header and " + strconv.Itoa(len(samples)) + " sample rows"
	if g.exporter != "" {
		intro += "\nof what looks like a " + g.exporter + " export"
	}
	add("version", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "1"},
		intro+".\nEach guess says why; check every line before importing (docs/mapping.md\ndescribes the format). Lines left commented out are guesses too unsure to make.")

	if src := sourceNode(opts); src != nil {
		add("source", src, "")
	}
	var notes []string
	if g.account.col >= 0 {
		add("account", mapping("column", str(header[g.account.col])), g.account.why)
	} else {
		notes = append(notes, `no account column found: add account: {column: <header>} or account: {value: "<id>"}`)
	}

	fields := &yaml.Node{Kind: yaml.MappingNode}
	var missing []string
	for f := wire.Field(0); f < wire.NumFields; f++ {
		p := g.fields[f]
		if p.col < 0 {
			if alwaysRequired(f) {
				missing = append(missing, f.String())
			}
			continue
		}
		v, comment := w.fieldValue(f, p.col, false)
		if len(p.fallback) > 0 {
			seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, c := range p.fallback {
				seq.Content = append(seq.Content, str(header[c]))
			}
			if v.Kind == yaml.ScalarNode {
				v = mapping("column", v)
			}
			v.Content = append(v.Content, str("fallback"), seq)
		}
		k := str(f.String())
		k.HeadComment = joinLines(p.why, comment)
		fields.Content = append(fields.Content, k, v)
	}
	if len(missing) > 0 {
		notes = append(notes, "required but not found: "+strings.Join(missing, ", ")+"; map them before importing")
	}
	notes = append(notes, g.notes...)
	if len(g.skipped) > 0 {
		notes = append(notes, "not mapped: "+strings.Join(g.skipped, "; "))
	}
	var unsure []string
	for _, s := range g.unsure {
		line, err := w.suggestion(s)
		if err != nil {
			return nil, err
		}
		if s.target == targetAccount {
			notes = append(notes, line)
		} else {
			unsure = append(unsure, line)
		}
	}
	if len(unsure) > 0 {
		unsure = append([]string{"unsure, so left out (uncomment if right):"}, unsure...)
		if n := len(fields.Content); n > 0 {
			fields.Content[n-1].FootComment = strings.Join(unsure, "\n")
		} else {
			notes = append(notes, unsure...)
		}
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
	return encodeYAML(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc}})
}

// sourceNode is the source: block for the options, nil when there is
// nothing to say.
func sourceNode(opts GuessOptions) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	if opts.Sheet != "" {
		n.Content = append(n.Content, str("sheet"), str(opts.Sheet))
	}
	if opts.HeaderRow > 1 {
		n.Content = append(n.Content, str("header_row"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(opts.HeaderRow)})
	}
	if len(n.Content) == 0 {
		return nil
	}
	return n
}

// guessWriter writes the YAML of single guesses.
type guessWriter struct {
	header     []string
	samples    [][]string
	region, tz string
}

// fieldValue is the YAML value mapping field f to column col, and a comment
// about it (the date formats' doubts). flow writes objects on one line.
func (w *guessWriter) fieldValue(f wire.Field, col int, flow bool) (*yaml.Node, string) {
	h := str(w.header[col])
	var v *yaml.Node
	var comment string
	switch f {
	case wire.Phone:
		v = mapping("column", h, "region", str(w.region))
	case wire.Timestamp:
		var formats []string
		formats, comment = guessDateFormat(columnValues(w.samples, col), w.region)
		seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, f := range formats {
			seq.Content = append(seq.Content, str(f))
		}
		v = mapping("column", h, "formats", seq, "timezone", str(w.tz))
	default:
		return h, ""
	}
	if flow {
		v.Style = yaml.FlowStyle
	}
	return v, comment
}

// suggestion writes an unsure guess as the YAML line it would be, with
// its reason as a comment, ready to be uncommented.
func (w *guessWriter) suggestion(s suggestion) (string, error) {
	var v *yaml.Node
	if s.target == targetAccount {
		v = mapping("column", str(w.header[s.col]))
		v.Style = yaml.FlowStyle
	} else {
		f, _ := wire.FieldByName(s.target)
		v, _ = w.fieldValue(f, s.col, true)
	}
	out, err := encodeYAML(mapping(s.target, v))
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)) + " # " + s.why, nil
}

func encodeYAML(n *yaml.Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, fmt.Errorf("write mapping: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("write mapping: %w", err)
	}
	return buf.Bytes(), nil
}

// joinLines joins the non-empty parts with newlines.
func joinLines(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
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

// columnValues returns column col's non-empty cleaned sample values,
// without spreadsheet errors.
func columnValues(samples [][]string, col int) []string {
	var out []string
	for _, row := range samples {
		if v := cell(row, col); v != "" && !isSheetError(v) {
			out = append(out, v)
		}
	}
	return out
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
