package mapping

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/wire"
)

// valuesMapping maps every kind of value the exporters get wrong; options
// are appended to it per case.
const valuesMapping = `version: 1
account: Account
fields:
  firstName: First Name
  lastName: Last Name
  phone: Phone
  timestamp: {column: Date, formats: ["M/d/yyyy H:mm"]}
  zip: Zip
  state: State
  city: City
  street: Street
  ipAddress: IP
  externalId: ID
  agentExternalId: Agent
`

var valuesHeader = []string{"Account", "First Name", "Last Name", "Phone", "Date", "Email", "Zip", "State", "City", "Street", "IP", "ID", "Agent", "Note"}

// valuesRow is a clean row with some cells replaced, by header.
func valuesRow(changes map[string]string) []string {
	r := []string{"18", "Ann", "Lee", "2065550100", "6/23/2021 22:55", "ann@example.com", "98101", "WA", "Seattle", "1 Main St",
		"10.0.0.1", "E-1", "AG-1", "hello"}
	for h, v := range changes {
		i := indexOf(valuesHeader, h)
		if i < 0 {
			panic("no column " + h)
		}
		r[i] = v
	}
	return r
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// valuesLead is the lead of the clean row with some fields replaced.
func valuesLead(changes map[wire.Field]string) wire.Lead {
	l := wire.Lead{FirstName: "Ann", LastName: "Lee", Phone: "+12065550100", Timestamp: "06-23-2021 22:55:00", Zip: "98101",
		State: "WA", City: "Seattle", Street: "1 Main St", IPAddress: "10.0.0.1", Email: "ann@example.com",
		ExternalID: "E-1", AgentExternalID: "AG-1", Attributes: map[string]string{"NOTE": "hello"}}
	for f, v := range changes {
		l.Set(f, v)
	}
	return l
}

type valuesCase struct {
	name     string
	email    string // the email field's spec; "" for the plain column
	rules    string // location rule level; "" for off
	cells    map[string]string
	account  string // "" means "18", "-" means none
	lead     map[wire.Field]string
	errors   []string
	warnings []string
}

func runValuesCases(t *testing.T, tests []valuesCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			email := "Email"
			if tt.email != "" {
				email = tt.email
			}
			rules := "off"
			if tt.rules != "" {
				rules = tt.rules
			}
			y := valuesMapping + "  email: " + email + "\nattributes: {NOTE: Note}\nrules: {consent: off, location: " + rules + "}\n"
			m, err := mustParse(t, y).Bind(valuesHeader, BindOptions{File: "in.csv"})
			require.NoError(t, err)
			cells := valuesRow(tt.cells)
			r := m.Map(cells)
			assert.Equal(t, tt.errors, r.Errors, "errors")
			assert.Equal(t, tt.warnings, r.Warnings, "warnings")
			switch tt.account {
			case "":
				assert.Equal(t, "18", r.AccountID)
			case "-":
				assert.Equal(t, "", r.AccountID)
			default:
				assert.Equal(t, tt.account, r.AccountID)
			}
			want := valuesLead(tt.lead)
			if note := cells[len(cells)-1]; isSheetError(note) {
				want.Attributes = nil
			}
			assert.Equal(t, want, r.Lead)
		})
	}
}

func TestMapNumbersAsExportersWriteThem(t *testing.T) {
	runValuesCases(t, []valuesCase{
		{name: "pandas phone and zip", cells: map[string]string{"Phone": "2065550100.0", "Zip": "98101.0"}},
		{name: "pandas zip that lost its zero", cells: map[string]string{"Zip": "2134.0"},
			lead:     map[wire.Field]string{wire.Zip: "02134"},
			warnings: []string{`zip "2134.0" in column "Zip" has 4 digits, padded to "02134" (a spreadsheet probably dropped the leading zero)`}},
		{name: "float noise", cells: map[string]string{"Phone": "2015550101.0000002"}, lead: map[wire.Field]string{wire.Phone: "+12015550101"}},
		{name: "float noise below", cells: map[string]string{"Phone": "2015550100.9999999"}, lead: map[wire.Field]string{wire.Phone: "+12015550101"}},
		{name: "pandas account and ids", cells: map[string]string{"Account": "21.0", "ID": "12345.0", "Agent": "7.0"}, account: "21",
			lead: map[wire.Field]string{wire.ExternalID: "12345", wire.AgentExternalID: "7"}},
		{name: "an id with a real fraction is kept", cells: map[string]string{"ID": "12.5"}, lead: map[wire.Field]string{wire.ExternalID: "12.5"}},
		{name: "an id like 3E10 is not a number", cells: map[string]string{"ID": "3E10"}, lead: map[wire.Field]string{wire.ExternalID: "3E10"}},
		{name: "formatted phone with dots still reads", cells: map[string]string{"Phone": "206.555.0100"}},
		{name: "phone lost to scientific notation", cells: map[string]string{"Phone": "4.42079E+11"},
			lead:   map[wire.Field]string{wire.Phone: "4.42079E+11"},
			errors: []string{`phone "4.42079E+11" in column "Phone" lost its digits to scientific notation in a spreadsheet: format the column as text and export again`}},
		{name: "exact scientific phone", cells: map[string]string{"Phone": "2.0655501E+9"},
			warnings: []string{`phone "2.0655501E+9" in column "Phone" is in scientific notation; read as 2065550100`}},
		{name: "account lost to scientific notation", cells: map[string]string{"Account": "1.23457E+11"}, account: "1.23457E+11",
			errors: []string{`account id "1.23457E+11" in column "Account" lost its digits to scientific notation in a spreadsheet: format the column as text and export again`}},
		{name: "external id lost is dropped", cells: map[string]string{"ID": "1.23457E+11"},
			lead:     map[wire.Field]string{wire.ExternalID: ""},
			warnings: []string{`externalId "1.23457E+11" in column "ID" lost its digits to scientific notation in a spreadsheet: format the column as text and export again; left out`}},
		{name: "zip lost to scientific notation", cells: map[string]string{"Zip": "9.8E+4"},
			lead:     map[wire.Field]string{wire.Zip: ""},
			warnings: []string{`zip "9.8E+4" in column "Zip" lost its digits to scientific notation in a spreadsheet: format the column as text and export again; left out`}},
		{name: "three-digit zip", cells: map[string]string{"Zip": "501"}, lead: map[wire.Field]string{wire.Zip: "00501"},
			warnings: []string{`zip "501" in column "Zip" has 3 digits, padded to "00501" (a spreadsheet probably dropped the leading 2 zeros)`}},
		{name: "three-digit pandas zip", cells: map[string]string{"Zip": "602.0"}, lead: map[wire.Field]string{wire.Zip: "00602"},
			warnings: []string{`zip "602.0" in column "Zip" has 3 digits, padded to "00602" (a spreadsheet probably dropped the leading 2 zeros)`}},
		{name: "three digits below any ZIP", cells: map[string]string{"Zip": "100"}, lead: map[wire.Field]string{wire.Zip: ""},
			warnings: []string{`zip "100" in column "Zip" is not a 5-digit ZIP or ZIP+4 (12345-6789); left out`}},
		{name: "facebook phone prefix", cells: map[string]string{"Phone": "p:+12065550100"}},
	})
}

func TestMapSpreadsheetErrors(t *testing.T) {
	runValuesCases(t, []valuesCase{
		{name: "required field", cells: map[string]string{"First Name": "#N/A"}, lead: map[wire.Field]string{wire.FirstName: ""},
			errors: []string{`firstName is required but column "First Name" holds #N/A`}},
		{name: "required timestamp", cells: map[string]string{"Date": "#VALUE!"}, lead: map[wire.Field]string{wire.Timestamp: ""},
			errors: []string{`timestamp is required but column "Date" holds #VALUE!`}},
		{name: "account", cells: map[string]string{"Account": "#REF!"}, account: "-",
			errors: []string{`account id is required but column "Account" holds #REF!`}},
		{name: "optional field", cells: map[string]string{"Email": "#NAME?"}, lead: map[wire.Field]string{wire.Email: ""},
			warnings: []string{`column "Email" holds #NAME? (a spreadsheet error); treated as empty`}},
		{name: "LibreOffice error", cells: map[string]string{"City": "Err:502"}, lead: map[wire.Field]string{wire.City: ""},
			warnings: []string{`column "City" holds Err:502 (a spreadsheet error); treated as empty`}},
		{name: "attribute", cells: map[string]string{"Note": "#DIV/0!"},
			warnings: []string{`column "Note" holds #DIV/0! (a spreadsheet error); treated as empty`}},
		{name: "plain N/A is data", cells: map[string]string{"City": "N/A"}, lead: map[wire.Field]string{wire.City: "N/A"}},
		{name: "required by the location rule", rules: "error", cells: map[string]string{"Zip": "#N/A", "City": ""},
			lead:     map[wire.Field]string{wire.Zip: "", wire.City: ""},
			errors:   []string{"location: needs state and city, or zip"},
			warnings: []string{`column "Zip" holds #N/A (a spreadsheet error); treated as empty`}},
	})
}

func TestMapInvalidOptionalFields(t *testing.T) {
	runValuesCases(t, []valuesCase{
		{name: "bad email dropped", cells: map[string]string{"Email": "ann@"}, lead: map[wire.Field]string{wire.Email: ""},
			warnings: []string{`email "ann@" in column "Email" is not a valid email address; left out`}},
		{name: "bad email rejects when asked", email: "{column: Email, invalid: reject}", cells: map[string]string{"Email": "ann@"},
			lead:   map[wire.Field]string{wire.Email: "ann@"},
			errors: []string{`email "ann@" in column "Email" is not a valid email address`}},
		{name: "explicit drop", email: "{column: Email, invalid: drop}", cells: map[string]string{"Email": "ann@"},
			lead:     map[wire.Field]string{wire.Email: ""},
			warnings: []string{`email "ann@" in column "Email" is not a valid email address; left out`}},
		{name: "bad ip", cells: map[string]string{"IP": "999.1.1.1"}, lead: map[wire.Field]string{wire.IPAddress: ""},
			warnings: []string{`ipAddress "999.1.1.1" in column "IP" is not an IPv4 or IPv6 address; left out`}},
		{name: "ipv6", cells: map[string]string{"IP": "2001:db8::1"}, lead: map[wire.Field]string{wire.IPAddress: "2001:db8::1"}},
		{name: "placeholder city and street", cells: map[string]string{"City": "-", "Street": "--"},
			lead:     map[wire.Field]string{wire.City: "", wire.Street: ""},
			warnings: []string{`city "-" in column "City" has no letters; left out`, `street "--" in column "Street" has no letters or digits; left out`}},
		{name: "zip in the state column", cells: map[string]string{"State": "98101"}, lead: map[wire.Field]string{wire.State: ""},
			warnings: []string{`state "98101" in column "State" has no letters; left out`}},
		{name: "bad zip, location met by state and city", rules: "error", cells: map[string]string{"Zip": "ABCDE"},
			lead:     map[wire.Field]string{wire.Zip: ""},
			warnings: []string{`zip "ABCDE" in column "Zip" is not a 5-digit ZIP or ZIP+4 (12345-6789); left out`}},
		{name: "bad zip needed by location: error", rules: "error", cells: map[string]string{"Zip": "ABCDE", "City": ""},
			lead:   map[wire.Field]string{wire.Zip: "ABCDE", wire.City: ""},
			errors: []string{`zip "ABCDE" in column "Zip" is not a 5-digit ZIP or ZIP+4 (12345-6789)`, "location: needs state and city, or zip"}},
		{name: "bad state and city needed by location: error", rules: "error", cells: map[string]string{"Zip": "", "City": "?", "State": "0"},
			lead:   map[wire.Field]string{wire.Zip: "", wire.City: "?", wire.State: "0"},
			errors: []string{`state "0" in column "State" has no letters`, `city "?" in column "City" has no letters`, "location: needs state and city, or zip"}},
		{name: "bad zip with location: warn", rules: "warn", cells: map[string]string{"Zip": "ABCDE", "City": ""},
			lead:     map[wire.Field]string{wire.Zip: "", wire.City: ""},
			warnings: []string{`zip "ABCDE" in column "Zip" is not a 5-digit ZIP or ZIP+4 (12345-6789); left out`, "location: needs state and city, or zip"}},
		{name: "required fields still reject", cells: map[string]string{"Phone": "12", "Last Name": strings.Repeat("x", 251)},
			lead:   map[wire.Field]string{wire.Phone: "12", wire.LastName: strings.Repeat("x", 251)},
			errors: []string{`lastName in column "Last Name" is longer than 250 characters`, `phone "12" in column "Phone" is not a possible phone number (region US)`}},
	})
}

func TestMapKeysNeverDrop(t *testing.T) {
	y := "version: 1\naccount: Account\nfields: {phone: Phone, externalId: ID}\n"
	m, err := mustParse(t, y).Bind([]string{"Account", "Phone", "ID"}, BindOptions{Kind: KindKeys})
	require.NoError(t, err)
	r := m.Map([]string{"#N/A", "abc", "1.23457E+11"})
	assert.Equal(t, []string{`phone "abc" in column "Phone" is not a possible phone number (region US)`,
		`externalId "1.23457E+11" in column "ID" lost its digits to scientific notation in a spreadsheet: format the column as text and export again`}, r.Errors)
	assert.Equal(t, []string{`column "Account" holds #N/A (a spreadsheet error); treated as empty`}, r.Warnings)
	assert.Equal(t, "", r.AccountID)
}

func TestInvalidOption(t *testing.T) {
	tests := []struct {
		name, spec, wantErr string
	}{
		{"reject on an optional field", "email: {column: E, invalid: reject}", ""},
		{"drop on an optional field", "zip: {column: Z, invalid: drop}", ""},
		{"reject on a required field", "phone: {column: P, invalid: reject}", ""},
		{"drop on a required field", "phone: {column: P, invalid: drop}",
			"line 3: fields.phone: invalid: drop is not possible: phone is required, so a row with an invalid one is always rejected"},
		{"unknown option", "email: {column: E, invalid: ignore}", `fields.email: invalid: "ignore" is not an option (valid: drop, reject)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte("version: 1\nfields:\n  "+tt.spec+"\n"), "m.yaml")
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidConfig)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestMapFallbackColumns(t *testing.T) {
	y := `version: 1
account: {value: "18"}
fields:
  firstName: F
  lastName: L
  phone: {column: Mobile, fallback: [Phone, Home]}
  email: {column: Work Email, fallback: Email}
  timestamp: T
rules: {location: off, consent: off}
`
	header := []string{"F", "L", "Mobile", "Phone", "Home", "Work Email", "Email", "T"}
	m, err := mustParse(t, y).Bind(header, BindOptions{})
	require.NoError(t, err)
	tests := []struct {
		name          string
		cells         []string
		phone, email  string
		errors, warns []string
	}{
		{"main column", []string{"A", "B", "2065550100", "3125550105", "", "a@example.com", "b@example.com", "06-23-2021 22:55:23"},
			"+12065550100", "a@example.com", nil, nil},
		{"first fallback", []string{"A", "B", "", "3125550105", "5125550110", "", "b@example.com", "06-23-2021 22:55:23"},
			"+13125550105", "b@example.com", nil, nil},
		{"second fallback", []string{"A", "B", " ", "", "5125550110", "", "", "06-23-2021 22:55:23"}, "+15125550110", "", nil, nil},
		{"messages name the column read", []string{"A", "B", "", "12", "", "", "b@", "06-23-2021 22:55:23"}, "12", "",
			[]string{`phone "12" in column "Phone" is not a possible phone number (region US)`},
			[]string{`email "b@" in column "Email" is not a valid email address; left out`}},
		{"all empty", []string{"A", "B", "", "", "", "", "", "06-23-2021 22:55:23"}, "", "",
			[]string{`phone is required but columns "Mobile", "Phone" and "Home" are all empty`}, nil},
		{"a spreadsheet error counts as empty", []string{"A", "B", "#N/A", "3125550105", "", "", "", "06-23-2021 22:55:23"}, "+13125550105", "",
			nil, []string{`column "Mobile" holds #N/A (a spreadsheet error); treated as empty`}},
		{"spreadsheet errors everywhere", []string{"A", "B", "#N/A", "#REF!", "", "#N/A", "", "06-23-2021 22:55:23"}, "", "",
			[]string{`phone is required but column "Mobile" holds #N/A`},
			[]string{`column "Phone" holds #REF! (a spreadsheet error); treated as empty`,
				`column "Work Email" holds #N/A (a spreadsheet error); treated as empty`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := m.Map(tt.cells)
			assert.Equal(t, tt.errors, r.Errors)
			assert.Equal(t, tt.warns, r.Warnings)
			assert.Equal(t, tt.phone, r.Lead.Phone)
			assert.Equal(t, tt.email, r.Lead.Email)
		})
	}

	_, err = mustParse(t, y).Bind([]string{"F", "L", "Mobile", "Work Email", "Email", "T"}, BindOptions{File: "in.csv"})
	require.ErrorIs(t, err, ErrInvalidConfig)
	assert.Contains(t, err.Error(), `fields.phone.fallback: column "Phone" not found in in.csv`)
	assert.Contains(t, err.Error(), `fields.phone.fallback: column "Home" not found in in.csv`)

	for name, spec := range map[string]string{
		"fallback on a constant": "city: {value: Seattle, fallback: [C]}",
		"blank fallback":         "city: {column: C, fallback: [\" \"]}",
		"fallback as a mapping":  "city: {column: C, fallback: {a: b}}",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte("version: 1\nfields:\n  "+spec+"\n"), "m.yaml")
			require.ErrorIs(t, err, ErrInvalidConfig)
			assert.Contains(t, err.Error(), "fallback")
		})
	}
}
