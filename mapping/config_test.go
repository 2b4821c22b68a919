package mapping

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadFull(t *testing.T) {
	c, err := Load(filepath.Join("testdata", "full.yaml"))
	require.NoError(t, err)
	assert.Equal(t, 1, c.Version)
	assert.Equal(t, SourceConfig{Sheet: "Leads", Delimiter: ",", Encoding: "auto"}, c.Source)
	assert.Equal(t, ValueSpec{Column: "Account"}, c.Account)
	assert.Equal(t, FieldSpec{Column: "First Name"}, c.Fields["firstName"])
	assert.Equal(t, FieldSpec{Column: "Phone", Region: "US"}, c.Fields["phone"])
	assert.Equal(t, FieldSpec{Column: "Lead Date", Formats: []string{"MM-dd-yyyy HH:mm:ss", "M/d/yyyy H:mm"}, Timezone: "UTC"}, c.Fields["timestamp"])
	assert.Equal(t, FieldSpec{Value: "nightly-export"}, c.Fields["sourceId"])
	assert.Equal(t, map[string]string{"ABANDONED_CART_URL": "Cart URL", "DISCOUNT_CODE": "Discount"}, c.Attributes)
	assert.Equal(t, Rules{Location: RuleWarn, Consent: RuleWarn}, c.Rules)
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join("testdata", "nope.yaml"))
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.NotErrorIs(t, err, ErrInvalidConfig)
	assert.Contains(t, err.Error(), "nope.yaml")
}

func TestParseGood(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		check func(t *testing.T, c *Config)
	}{
		{"plain account column", "version: 1\naccount: Shop\nfields: {firstName: F}\n", func(t *testing.T, c *Config) {
			assert.Equal(t, ValueSpec{Column: "Shop"}, c.Account)
		}},
		{"numeric account constant", "version: 1\naccount: {value: 18}\n", func(t *testing.T, c *Config) {
			assert.Equal(t, ValueSpec{Value: "18"}, c.Account)
		}},
		{"single format as a string", "version: 1\nfields:\n  timestamp: {column: T, formats: excel}\n", func(t *testing.T, c *Config) {
			assert.Equal(t, []string{"excel"}, c.Fields["timestamp"].Formats)
		}},
		{"lower-case region", "version: 1\nfields:\n  phone: {column: P, region: gb}\n", func(t *testing.T, c *Config) {
			assert.Equal(t, "gb", c.Fields["phone"].Region)
		}},
		{"anchors and aliases", "version: 1\nfields:\n  firstName: &n Name\n  lastName: *n\n", func(t *testing.T, c *Config) {
			assert.Equal(t, "Name", c.Fields["lastName"].Column)
		}},
		{"header row", "version: 1\nsource: {header_row: 3, sheet: Leads}\n", func(t *testing.T, c *Config) {
			assert.Equal(t, SourceConfig{Sheet: "Leads", HeaderRow: 3}, c.Source)
		}},
		{"invalid option", "version: 1\nfields:\n  email: {column: E, invalid: reject}\n", func(t *testing.T, c *Config) {
			assert.Equal(t, FieldSpec{Column: "E", Invalid: InvalidReject}, c.Fields["email"])
		}},
		{"rules off", "version: 1\nrules: {location: off, consent: error}\n", func(t *testing.T, c *Config) {
			assert.Equal(t, Rules{Location: RuleOff, Consent: RuleError}, c.Rules)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.yaml), "m.yaml")
			require.NoError(t, err)
			tt.check(t, c)
		})
	}
}

func TestParseBad(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // substrings of the error
	}{
		{"empty file", "", []string{"m.yaml", "empty"}},
		{"not yaml", "version: [1\n", []string{"m.yaml", "yaml"}},
		{"not a mapping", "- a\n- b\n", []string{"expected a mapping"}},
		{"no version", "fields: {firstName: F}\n", []string{"version: missing"}},
		{"version 2", "version: 2\n", []string{"line 1", `version: "2" is not supported`}},
		{"unknown top-level key", "version: 1\nfeilds: {}\n", []string{"line 2", `unknown key "feilds"`, "fields"}},
		{"unknown API field lists valid ones", "version: 1\nfields:\n  fristName: F\n", []string{"line 3", `unknown API field "fristName"`, "firstName, lastName, phone"}},
		{"attributes is not a field", "version: 1\nfields:\n  attributes: X\n", []string{`unknown API field "attributes"`}},
		{"unknown field option", "version: 1\nfields:\n  phone: {column: P, regoin: US}\n", []string{`unknown key "regoin"`}},
		{"bad rule level", "version: 1\nrules: {location: maybe}\n", []string{"line 2", `rules.location: "maybe" is not a level`}},
		{"unknown rule", "version: 1\nrules: {age: warn}\n", []string{`unknown key "age"`}},
		{"unknown region", "version: 1\nfields:\n  phone: {column: P, region: XX}\n", []string{"line 3", `unknown region "XX"`}},
		{"region on another field", "version: 1\nfields:\n  email: {column: E, region: US}\n", []string{"region applies to phone only"}},
		{"unknown timezone", "version: 1\nfields:\n  timestamp: {column: T, timezone: Mars/Base}\n", []string{`unknown timezone "Mars/Base"`}},
		{"unknown format token", "version: 1\nfields:\n  timestamp: {column: T, formats: [\"MM-dd-yyyy Q\"]}\n", []string{`unknown token "Q"`}},
		{"formats on another field", "version: 1\nfields:\n  zip: {column: Z, formats: [excel]}\n", []string{"apply to timestamp only"}},
		{"column and value", "version: 1\nfields:\n  city: {column: C, value: Seattle}\n", []string{"fields.city: give column or value, not both"}},
		{"neither column nor value", "version: 1\nfields:\n  city: {}\n", []string{"fields.city: no column or value given"}},
		{"null field", "version: 1\nfields:\n  city:\n", []string{"fields.city: no column or value given"}},
		{"bad constant phone", "version: 1\nfields:\n  phone: {value: abc}\n", []string{`phone "abc" is not a possible phone number (region US)`}},
		{"bad constant timestamp", "version: 1\nfields:\n  timestamp: {value: \"2021-13-45\"}\n", []string{`timestamp "2021-13-45" does not match MM-dd-yyyy HH:mm:ss`}},
		{"non-numeric account constant", "version: 1\naccount: {value: Acme}\n", []string{`account id "Acme" is not a number`}},
		{"duplicate field", "version: 1\nfields:\n  city: A\n  city: B\n", []string{`"city" given twice`}},
		{"list where a value belongs", "version: 1\nfields:\n  city: [A, B]\n", []string{"fields.city: expected a mapping"}},
		{"header row zero", "version: 1\nsource: {header_row: 0}\n", []string{"line 2", `source.header_row: "0" is not a row number (1 is the first row of the sheet)`}},
		{"header row not a number", "version: 1\nsource:\n  header_row: two\n", []string{"line 3", `source.header_row: "two" is not a row number`}},
		{"unknown source key", "version: 1\nsource: {headerRow: 2}\n", []string{`unknown key "headerRow"`, "header_row"}},
		{"every problem at once", "version: 3\nfields:\n  fristName: F\nrules: {consent: never}\n", []string{"version", "fristName", "never"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.yaml), "m.yaml")
			require.Error(t, err)
			assert.Nil(t, c)
			assert.True(t, errors.Is(err, ErrInvalidConfig), "errors.Is(err, ErrInvalidConfig): %v", err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestLoadRefusesLargeFiles(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		size    int
		wantErr string // "" for a file that loads
	}{
		{"at the cap", MaxFileSize, ""},
		{"one byte over", MaxFileSize + 1, "the file is 1.0 MiB, and a mapping file may be at most 1 MiB (1048576 bytes)"},
		{"an input file by mistake", 3 << 20, "the file is 3.0 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A valid mapping padded with a YAML comment to the size wanted.
			body := "version: 1\nfields: {firstName: F}\n#"
			data := []byte(body + strings.Repeat("x", tt.size-len(body)))
			path := filepath.Join(dir, "m.yaml")
			require.NoError(t, os.WriteFile(path, data, 0o600))
			c, err := Load(path)
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, "F", c.Fields["firstName"].Column)
				return
			}
			require.ErrorIs(t, err, ErrInvalidConfig)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Contains(t, err.Error(), path)
			_, err = Parse(data, "m.yaml")
			require.ErrorIs(t, err, ErrInvalidConfig, "Parse refuses the same data")
		})
	}
}

func TestTooLargeFromAPipe(t *testing.T) {
	err := tooLarge("/dev/stdin", -1)
	require.ErrorIs(t, err, ErrInvalidConfig)
	assert.Contains(t, err.Error(), "mapping /dev/stdin: invalid mapping: the file is larger than 1 MiB")
}

func TestByteSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 bytes", 1023: "1023 bytes", 1024: "1.0 KiB", 1536: "1.5 KiB", 300 << 20: "300.0 MiB", 5 << 30: "5.0 GiB"} {
		t.Run(want, func(t *testing.T) { assert.Equal(t, want, byteSize(n)) })
	}
}

func TestColumns(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"everything, once, in order", `version: 1
account: {column: Shop}
fields:
  timestamp: {column: Date, formats: [excel]}
  firstName: First
  phone: {column: Phone, fallback: [Mobile, First]}
  lastName: Last
  sourceId: {value: web}
  externalId: Shop
attributes: {Z_KEY: Notes, A_KEY: Cart, B_KEY: Notes}
`, []string{"Shop", "First", "Last", "Phone", "Mobile", "Date", "Cart", "Notes"}},
		{"constant account", "version: 1\naccount: {value: 18}\nfields: {phone: P}\n", []string{"P"}},
		{"nothing", "version: 1\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, mustParse(t, tt.yaml).Columns())
		})
	}
}
