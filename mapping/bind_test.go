package mapping

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/wire"
)

func mustParse(t *testing.T, y string) *Config {
	t.Helper()
	c, err := Parse([]byte(y), "m.yaml")
	require.NoError(t, err)
	return c
}

const minimalLead = `version: 1
account: {column: Account}
fields:
  firstName: First Name
  lastName: Last Name
  phone: Phone
  timestamp: Date
`

func TestBindColumns(t *testing.T) {
	tests := []struct {
		name    string
		header  []string
		wantCol int    // column index bound to firstName
		wantErr string // substring; "" for success
	}{
		{"exact", []string{"Account", "First Name", "Last Name", "Phone", "Date"}, 1, ""},
		{"case-insensitive after trim", []string{"Account", " first name ", "Last Name", "Phone", "Date"}, 1, ""},
		{"exact wins over case-insensitive", []string{"Account", "FIRST NAME", "First Name", "Last Name", "Phone", "Date"}, 2, ""},
		{"two case-insensitive matches", []string{"Account", "first name", "FIRST NAME", "Last Name", "Phone", "Date"}, -1,
			`fields.firstName: column "First Name" matches several columns of leads.csv: "first name" (column 2) and "FIRST NAME" (column 3)`},
		{"two exact matches", []string{"Account", "First Name", "First Name", "Last Name", "Phone", "Date"}, -1,
			`"First Name" (column 2) and "First Name" (column 3)`},
		{"missing column lists headers", []string{"Account", "First Name", "Last Name", "Date"}, -1,
			`fields.phone: column "Phone" not found in leads.csv; headers found: "Account", "First Name", "Last Name", "Date"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := mustParse(t, minimalLead).Bind(tt.header, BindOptions{File: "leads.csv"})
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidConfig)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Contains(t, err.Error(), "m.yaml")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantCol, m.cols[wire.FirstName])
		})
	}
}

func TestBindReportsEveryMissingColumn(t *testing.T) {
	_, err := mustParse(t, minimalLead).Bind([]string{"Account", "Name"}, BindOptions{File: "leads.csv"})
	require.Error(t, err)
	msg := err.Error()
	for _, col := range []string{`"First Name"`, `"Last Name"`, `"Phone"`, `"Date"`} {
		assert.Contains(t, msg, "column "+col+" not found in leads.csv")
	}
	assert.Contains(t, msg, `headers found: "Account", "Name"`)
}

func TestBindRequiresFieldsPerKind(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		kind    Kind
		wantErr []string
	}{
		{"lead without account", "version: 1\nfields: {firstName: F, lastName: L, phone: P, timestamp: T}\n", KindLead,
			[]string{"account: not set"}},
		{"lead without timestamp and phone", "version: 1\naccount: {value: 18}\nfields: {firstName: F, lastName: L}\n", KindLead,
			[]string{"fields.phone: required for leads but not mapped", "fields.timestamp: required for leads but not mapped"}},
		{"agent without externalId", "version: 1\nfields: {firstName: F, lastName: L, phone: P}\n", KindAgent,
			[]string{"fields.externalId: required for agents but not mapped"}},
		{"agent ignores lead-only columns", "version: 1\nfields: {firstName: F, lastName: L, phone: P, externalId: E, timestamp: Missing}\n", KindAgent, nil},
		{"keys need nothing", "version: 1\nfields: {phone: P}\n", KindKeys, nil},
	}
	header := []string{"F", "L", "P", "T", "E"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mustParse(t, tt.yaml).Bind(header, BindOptions{Kind: tt.kind})
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrInvalidConfig))
			for _, w := range tt.wantErr {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func fullMapper(t *testing.T, opts BindOptions) (*Mapper, []string) {
	t.Helper()
	c, err := Load("testdata/full.yaml")
	require.NoError(t, err)
	header := strings.Split("Account,First Name,Last Name,Phone,Email,State,City,Zip,Lead Date,IP,Jornaya,TrustedForm,External ID,Agent,Cart URL,Discount", ",")
	opts.File = "leads.csv"
	m, err := c.Bind(header, opts)
	require.NoError(t, err)
	return m, header
}

// row builds a full row from the good one with some cells replaced.
func row(changes map[int]string) []string {
	r := []string{"18", "Ann", "Lee", "+1 (206) 555-0100", "ann@example.com", "Washington", "Seattle", "98101",
		"06-23-2021 22:55:23", "10.0.0.1", "095796C6-4D33-A73C-7BCE-D5563F59E778", "", "E-1", "AG-7", "www.shop.com/123", "TR44"}
	for i, v := range changes {
		r[i] = v
	}
	return r
}
