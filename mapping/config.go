package mapping

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/xonvo/xonvo-import/wire"
)

// ErrInvalidConfig is wrapped by every error Load, Parse and Bind return for
// a mapping problem (as opposed to an I/O error), so callers can tell a bad
// mapping from an unreadable file with errors.Is.
var ErrInvalidConfig = errors.New("invalid mapping")

// MaxFileSize caps a mapping file. Real ones are a few kilobytes; the cap
// stops a mistaken path (the 300 MB input given as --mapping) from being
// decoded as YAML, which took 1.5 GB of memory before failing.
const MaxFileSize = 1 << 20

// Config is a mapping file: which input columns feed which API fields, and
// how. Its shape is documented in docs/mapping.md.
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
	// HeaderRow pins the row (1-based, as a spreadsheet numbers it) that
	// holds the header; 0 means not set (the reader looks for it).
	HeaderRow int `yaml:"header_row,omitempty"`
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
	// Fallback lists columns read, in order, when Column's cell is empty:
	// exports often hold a phone in "Mobile" for some rows and in "Phone"
	// for others.
	Fallback []string `yaml:"fallback,omitempty"`
	// Invalid says what an invalid value of an optional field does:
	// InvalidDrop (the default: the lead is sent without it, with a warning)
	// or InvalidReject (the row is not sent). Required fields always reject.
	Invalid string `yaml:"invalid,omitempty"`
}

// Values of FieldSpec.Invalid.
const (
	InvalidDrop   = "drop"
	InvalidReject = "reject"
)

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

// Load reads and parses a mapping file; errors name the file. A file larger
// than MaxFileSize is refused after reading at most MaxFileSize+1 bytes.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read mapping: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read mapping %s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		size := int64(-1)
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			size = st.Size()
		}
		return nil, tooLarge(path, size)
	}
	return Parse(data, path)
}

// tooLarge is the error for a mapping file over MaxFileSize; size is -1
// when unknown (a pipe).
func tooLarge(name string, size int64) error {
	what := "larger than 1 MiB"
	if size >= 0 {
		what = byteSize(size)
	}
	return fmt.Errorf("mapping %s: %w: the file is %s, and a mapping file may be at most 1 MiB (%d bytes); is it the input file rather than the mapping?",
		name, ErrInvalidConfig, what, MaxFileSize)
}

// byteSize writes n in the largest binary unit that keeps it at least 1.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " bytes"
	}
	v, i := float64(n)/unit, 0
	for v >= unit && i < 3 {
		v /= unit
		i++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + [...]string{"KiB", "MiB", "GiB", "TiB"}[i]
}

// Parse decodes a mapping file's YAML and checks everything that can be
// checked without the input's header: version 1, API field names, options,
// rule levels, phone regions, timezones, date formats and constant values.
// name is used in messages. Every problem found is reported, not only the
// first. Data over MaxFileSize is refused before decoding.
func Parse(data []byte, name string) (*Config, error) {
	if len(data) > MaxFileSize {
		return nil, tooLarge(name, int64(len(data)))
	}
	c := &Config{name: name, lines: map[string]int{}}
	d := &decoder{lines: c.lines}
	root, err := parseYAML(data)
	if err != nil {
		return nil, fmt.Errorf("mapping %s: %w: %w", name, ErrInvalidConfig, err)
	}
	if root == nil {
		d.add(nil, "the file is empty; expected at least version: 1 and fields:")
		return nil, d.err(name)
	}
	d.config(root, c)
	// The static checks run even after decoding problems, so one pass over
	// the file reports everything; the version was checked while decoding.
	c.check(d, false)
	if err := d.err(name); err != nil {
		return nil, err
	}
	return c, nil
}

// Columns lists the input columns the mapping reads, each once, in the
// order account, fields (in the API's order), attributes (by key). The
// reader uses it to find the header row under title rows.
func (c *Config) Columns() []string {
	var out []string
	seen := map[string]bool{}
	add := func(col string) {
		if col != "" && !seen[col] {
			seen[col] = true
			out = append(out, col)
		}
	}
	add(c.Account.Column)
	for f := wire.Field(0); f < wire.NumFields; f++ {
		if s, ok := c.Fields[f.String()]; ok && s.Value == "" {
			add(s.Column)
			for _, col := range s.Fallback {
				add(col)
			}
		}
	}
	for _, k := range sortedKeys(c.Attributes) {
		add(c.Attributes[k])
	}
	return out
}
