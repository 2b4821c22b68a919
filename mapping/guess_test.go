package mapping

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/golden"
	"github.com/xonvo/xonvo-import/wire"
)

func TestGuessGolden(t *testing.T) {
	header := []string{"Shop ID", "First Name", "lname", "Mobile", "E-mail", "State", "Town", "Postal Code", "Created At",
		"Date", "IP Address", "LeadiD", "xxTrustedFormCertUrl", "Lead ID", "Agent", "Cart URL", "discount code", "", "Notes", "Notes"}
	samples := [][]string{
		{"18", "Ann", "Lee", "(206) 555-0100", "ann@example.com", "WA", "Seattle", "98101", "6/7/2021 10:00", "x", "1.2.3.4",
			"095796C6-4D33-A73C-7BCE-D5563F59E778", "", "L-1", "AG-1", "www.shop.com/1", "TR44", "", "", ""},
		{"21", "Bob", "Ray", "2065550101", "bob@example.com", "OR", "Portland", "97201", "3/4/2021 9:30", "y", "1.2.3.5",
			"", "https://cert.trustedform.com/x", "L-2", "", "", "", "", "", ""},
	}
	out, err := Guess(header, samples, GuessOptions{})
	require.NoError(t, err)

	golden.Assert(t, "guess.yaml", out)

	// Round trip: the output loads unchanged and binds to the same header.
	c, err := Parse(out, "guessed.yaml")
	require.NoError(t, err)
	m, err := c.Bind(header, BindOptions{File: "in.csv"})
	require.NoError(t, err)
	r := m.Map(samples[0])
	require.True(t, r.Valid(), r.Message())
	assert.Equal(t, "18", r.AccountID)
	assert.Equal(t, "06-07-2021 10:00:00", r.Lead.Timestamp)
	assert.Equal(t, "+12065550100", r.Lead.Phone)
	assert.Equal(t, "095796C6-4D33-A73C-7BCE-D5563F59E778", r.Lead.JornayaLeadID)
	assert.Equal(t, "L-1", r.Lead.ExternalID)
	assert.Equal(t, map[string]string{"CART_URL": "www.shop.com/1", "DATE": "x", "DISCOUNT_CODE": "TR44"}, r.Lead.Attributes)
	assert.Contains(t, string(out), "ambiguous: every sample fits both M/d/yyyy H:mm and d/M/yyyy H:mm; chose M/d/yyyy H:mm")
}

func TestGuessHeaders(t *testing.T) {
	tests := []struct {
		header string
		values []string
		want   string // API field, "account", or "" for an attribute
	}{
		{"First Name", nil, "firstName"}, {"fname", nil, "firstName"}, {"first", nil, "firstName"}, {"Given Name", nil, "firstName"},
		{"Last Name", nil, "lastName"}, {"lname", nil, "lastName"}, {"Surname", nil, "lastName"},
		{"Phone Number", nil, "phone"}, {"Mobile", nil, "phone"}, {"Cell", nil, "phone"}, {"Tel", nil, "phone"},
		{"Email Address", nil, "email"}, {"E-mail", nil, "email"},
		{"Zip Code", nil, "zip"}, {"Postal Code", nil, "zip"}, {"ZIP", nil, "zip"},
		{"Lead Date", nil, "timestamp"}, {"Created At", nil, "timestamp"}, {"Timestamp", nil, "timestamp"}, {"created_at", nil, "timestamp"},
		{"Account ID", nil, "account"}, {"Account", nil, "account"}, {"Shop ID", nil, "account"},
		{"External ID", nil, "externalId"}, {"external_id", nil, "externalId"},
		{"Lead ID", []string{"L-1"}, "externalId"},
		{"Lead ID", []string{"095796C6-4D33-A73C-7BCE-D5563F59E778"}, "jornayaLeadId"},
		{"leadid", []string{"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}, "externalId"},
		{"LeadiD", nil, "jornayaLeadId"}, {"Jornaya", nil, "jornayaLeadId"},
		{"IP", nil, "ipAddress"}, {"IP Address", nil, "ipAddress"},
		{"TrustedForm", nil, "trustedFormId"}, {"trustedFormId", nil, "trustedFormId"},
		{"Agent", nil, "agentExternalId"}, {"Agent ID", nil, "agentExternalId"},
		{"Source", nil, "sourceId"}, {"Street", nil, "street"}, {"Address", nil, "street"},
		{"agentExternalId", nil, "agentExternalId"},
		{"Favourite Colour", nil, ""},
		// Exporters.
		{"State/Region", nil, "state"}, {"Create Date", nil, "timestamp"}, {"Record ID", nil, "externalId"},
		{"Mobile Phone Number", nil, "phone"}, {"Street Address", nil, "street"}, {"Original Source", nil, "sourceId"},
		{"Zip/Postal Code", nil, "zip"}, {"Mailing State/Province", nil, "state"}, {"Mailing Zip/Postal Code", nil, "zip"},
		{"Created Date", nil, "timestamp"}, {"MailingPostalCode", nil, "zip"}, {"CreatedDate", nil, "timestamp"}, {"Id", nil, "externalId"},
		{"MobilePhone", nil, "phone"}, {"Created Time", nil, "timestamp"}, {"Person - Email - Work", nil, "email"},
		{"Person - Phone - Mobile", nil, "phone"}, {"Person - Person created", nil, "timestamp"},
		{"mobilephone", nil, "phone"}, {"address1_postalcode", nil, "zip"}, {"createdon", nil, "timestamp"},
		{"emailaddress1", nil, "email"}, {"address1_stateorprovince", nil, "state"},
		{"OPTIN_TIME", nil, "timestamp"}, {"OPTIN_IP", nil, "ipAddress"}, {"created_time", nil, "timestamp"},
		{"phone_number", nil, "phone"}, {"zip_code", nil, "zip"}, {"first_name", nil, "firstName"},
		{"(Do Not Modify) Modified On", []string{"2024-03-06T08:00:00"}, ""},
		{"Last Modified Date", []string{"6/23/2021"}, ""}, {"Fax", []string{"(206) 555-0100"}, ""},
		// Languages.
		{"Vorname", nil, "firstName"}, {"Nachname", nil, "lastName"}, {"Telefon", nil, "phone"}, {"Handy", nil, "phone"},
		{"PLZ", nil, "zip"}, {"Ort", nil, "city"}, {"Stadt", nil, "city"}, {"Bundesland", nil, "state"}, {"Straße", nil, "street"},
		{"Strasse", nil, "street"}, {"E-Mail", nil, "email"}, {"Erstellt am", nil, "timestamp"},
		{"Nombre", nil, "firstName"}, {"Apellidos", nil, "lastName"}, {"Apellido", nil, "lastName"}, {"Teléfono", nil, "phone"},
		{"Código postal", nil, "zip"}, {"Ciudad", nil, "city"}, {"Estado", nil, "state"}, {"Provincia", nil, "state"},
		{"Correo electrónico", nil, "email"}, {"Fecha", nil, "timestamp"},
		{"Prénom", nil, "firstName"}, {"Nom", nil, "lastName"}, {"Téléphone", nil, "phone"}, {"Code postal", nil, "zip"},
		{"Ville", nil, "city"}, {"Région", []string{"CA", "Ohio", "Texas"}, "state"}, {"Région", []string{"Bretagne", "Normandie", "Occitanie"}, ""}, {"Adresse e-mail", nil, "email"}, {"Date", nil, "timestamp"},
		{"Sobrenome", nil, "lastName"}, {"Telefone", nil, "phone"}, {"CEP", nil, "zip"}, {"Cidade", nil, "city"},
		{"E-mail", nil, "email"}, {"Data", nil, "timestamp"},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			var samples [][]string
			for _, v := range tt.values {
				samples = append(samples, []string{v})
			}
			g := guessColumns([]string{tt.header}, samples, "US")
			got := ""
			if g.account.col == 0 {
				got = "account"
			}
			for f, p := range g.fields {
				if p.col == 0 {
					got = wire.Field(f).String()
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestGuessWeakSynonymsYield(t *testing.T) {
	header := []string{"ID", "Date", "Created At", "Customer ID", "First", "Last", "Phone", "Account"}
	out, err := Guess(header, nil, GuessOptions{})
	require.NoError(t, err)
	c, err := Parse(out, "g.yaml")
	require.NoError(t, err)
	assert.Equal(t, "Created At", c.Fields["timestamp"].Column)
	assert.Equal(t, "Customer ID", c.Fields["externalId"].Column)
	assert.Equal(t, map[string]string{"ID": "ID", "DATE": "Date"}, c.Attributes)
	assert.Contains(t, string(out), "no sample dates to guess from")
}

func TestGuessNotes(t *testing.T) {
	out, err := Guess([]string{"Name", "Phone", "Phone"}, nil, GuessOptions{Region: "gb", Timezone: "Europe/London"})
	require.NoError(t, err)
	s := string(out)
	assert.Contains(t, s, "no account column found")
	assert.Contains(t, s, "required but not found: firstName, lastName, phone, timestamp")
	assert.Contains(t, s, `"Phone" appears more than once`)
	_, err = Parse(out, "g.yaml")
	require.NoError(t, err, "output must load even when incomplete")
}

func TestGuessOptionsErrors(t *testing.T) {
	_, err := Guess([]string{"Phone"}, nil, GuessOptions{Region: "XX"})
	assert.ErrorIs(t, err, ErrInvalidConfig)
	_, err = Guess([]string{"Phone"}, nil, GuessOptions{Timezone: "Mars/Base"})
	assert.ErrorIs(t, err, ErrInvalidConfig)
	_, err = Guess([]string{"Phone"}, nil, GuessOptions{HeaderRow: -1})
	assert.ErrorIs(t, err, ErrInvalidConfig)
}

func TestGuessSource(t *testing.T) {
	tests := []struct {
		name string
		opts GuessOptions
		want string // the source block, "" for none
	}{
		{"nothing to say", GuessOptions{}, ""},
		{"header on row 1", GuessOptions{HeaderRow: 1}, ""},
		{"sheet", GuessOptions{Sheet: "2021"}, "source:\n  sheet: \"2021\"\n"},
		{"header row", GuessOptions{HeaderRow: 4}, "source:\n  header_row: 4\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Guess([]string{"Phone"}, nil, tt.opts)
			require.NoError(t, err)
			if tt.want == "" {
				assert.NotContains(t, string(out), "source:")
			} else {
				assert.Contains(t, string(out), tt.want)
			}
			c, err := Parse(out, "g.yaml")
			require.NoError(t, err)
			assert.Equal(t, tt.opts.Sheet, c.Source.Sheet)
			if tt.opts.HeaderRow > 1 {
				assert.Equal(t, tt.opts.HeaderRow, c.Source.HeaderRow)
			}
		})
	}
}

func TestGuessDateFormat(t *testing.T) {
	tests := []struct {
		name    string
		values  []string
		region  string
		want    string
		comment string // substring, "" for none
	}{
		{"API format", []string{"06-23-2021 22:55:23"}, "US", "MM-dd-yyyy HH:mm:ss", ""},
		{"unambiguous month first", []string{"6/23/2021 22:55", "6/3/2021 1:05"}, "US", "M/d/yyyy H:mm", ""},
		{"unambiguous day first", []string{"23/6/2021", "3/6/2021"}, "US", "d/M/yyyy", ""},
		{"ambiguous, US", []string{"6/3/2021", "7/4/2021"}, "US", "M/d/yyyy", "ambiguous: every sample fits both M/d/yyyy and d/M/yyyy; chose M/d/yyyy (month first, region US)"},
		{"ambiguous, GB", []string{"6/3/2021", "7/4/2021"}, "GB", "d/M/yyyy", "chose d/M/yyyy (day first, region GB)"},
		{"iso", []string{"2021-06-23T22:55:23Z", "2021-06-23T22:55:23-05:00"}, "US", "iso8601", ""},
		{"iso date", []string{"2021-06-23"}, "US", "yyyy-M-d", ""},
		{"excel serial", []string{"44370.5", "44371"}, "US", "excel", ""},
		{"twelve hour", []string{"6/23/2021 10:55 PM"}, "US", "M/d/yyyy h:mm a", ""},
		{"two styles mixed", []string{"06-23-2021 22:55:23", "6/24/2021 1:05", "06-25-2021 08:00:00"}, "US",
			"MM-dd-yyyy HH:mm:ss|M/d/yyyy H:mm", "samples mix 2 date formats"},
		{"mixed, second style ambiguous", []string{"06-23-2021 22:55:23", "6/3/2021 1:05"}, "GB",
			"MM-dd-yyyy HH:mm:ss|d/M/yyyy H:mm", "ambiguous: M/d/yyyy H:mm or d/M/yyyy H:mm; chose d/M/yyyy H:mm for region GB"},
		{"nothing matches", []string{"yesterday"}, "US", "MM-dd-yyyy HH:mm:ss", `no known format matched samples such as "yesterday"`},
		{"most match", []string{"6/23/2021", "soon"}, "US", "M/d/yyyy", `1 of 2 sample dates matched none of the formats (e.g. "soon")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, comment := guessDateFormat(tt.values, tt.region)
			assert.Equal(t, strings.Split(tt.want, "|"), got)
			if tt.comment == "" {
				assert.Empty(t, comment)
			} else {
				assert.Contains(t, comment, tt.comment)
			}
		})
	}
}

func TestUpperSnake(t *testing.T) {
	for in, want := range map[string]string{"Cart URL": "CART_URL", "discount-code": "DISCOUNT_CODE", " a  b ": "A_B", "Ünïcode": "ÜNÏCODE", "%%": ""} {
		t.Run(in, func(t *testing.T) {
			assert.Equal(t, want, upperSnake(in))
		})
	}
}

func TestGuessQuotesAwkwardHeaders(t *testing.T) {
	header := []string{"First Name", "Last Name", "Phone", "Date", "Account", "2021", "yes", "a: b", "#tag"}
	out, err := Guess(header, nil, GuessOptions{})
	require.NoError(t, err)
	c, err := Parse(out, "g.yaml")
	require.NoError(t, err)
	got := map[string]bool{}
	for _, v := range c.Attributes {
		got[v] = true
	}
	for _, h := range header[5:] {
		assert.True(t, got[h], "attribute column %q survives the round trip:\n%s", h, strings.TrimSpace(string(out)))
	}
	_, err = c.Bind(header, BindOptions{})
	require.NoError(t, err)
}

// TestGuessExporters runs mapping init on the header and first rows of
// each exporter's file under testdata/guess and compares the YAML with
// testdata/golden/guess-<name>.yaml (go test -update rewrites them). It
// then loads the YAML and checks which column each field got.
func TestGuessExporters(t *testing.T) {
	tests := []struct {
		file   string
		opts   GuessOptions
		fields map[string]string // API field (or "account") -> column
		unsure []string          // commented-out suggestions expected
		bad    map[int]string    // sample rows (numbered as in the file) that do not map, and why
	}{
		{"hubspot.csv", GuessOptions{Sheet: "Contacts", HeaderRow: 3}, map[string]string{
			"externalId": "Record ID", "firstName": "First Name", "lastName": "Last Name", "email": "Email", "phone": "Phone Number",
			"street": "Street Address", "city": "City", "state": "State/Region", "zip": "Postal Code", "timestamp": "Create Date",
			"sourceId": "Original Source"}, nil, nil},
		{"salesforce-report.csv", GuessOptions{}, map[string]string{
			"externalId": "Contact ID", "firstName": "First Name", "lastName": "Last Name", "street": "Mailing Street",
			"city": "Mailing City", "state": "Mailing State/Province", "zip": "Mailing Zip/Postal Code", "phone": "Mobile",
			"email": "Email", "sourceId": "Lead Source", "timestamp": "Created Date"}, nil, nil},
		{"salesforce-export.csv", GuessOptions{}, map[string]string{
			"externalId": "Id", "firstName": "FirstName", "lastName": "LastName", "street": "Street", "city": "City", "state": "State",
			"zip": "PostalCode", "phone": "MobilePhone", "email": "Email", "sourceId": "LeadSource", "timestamp": "CreatedDate"}, nil, nil},
		{"zoho.csv", GuessOptions{}, map[string]string{
			"externalId": "Record Id", "firstName": "First Name", "lastName": "Last Name", "email": "Email", "phone": "Mobile",
			"street": "Street", "city": "City", "state": "State", "zip": "Zip Code", "sourceId": "Lead Source", "timestamp": "Created Time"}, nil, nil},
		{"pipedrive.csv", GuessOptions{}, map[string]string{
			"externalId": "Person - ID", "firstName": "Person - First name", "lastName": "Person - Last name",
			"email": "Person - Email - Work", "phone": "Person - Phone - Mobile", "zip": "Person - Postal address - ZIP/Postal code",
			"city": "Person - Postal address - City/town/village/locality", "timestamp": "Person - Person created"}, nil, nil},
		{"dynamics.csv", GuessOptions{}, map[string]string{
			"externalId": "(Do Not Modify) Contact", "firstName": "firstname", "lastName": "lastname", "email": "emailaddress1", "phone": "telephone1", "street": "address1_line1",
			"city": "address1_city", "state": "address1_stateorprovince", "zip": "address1_postalcode", "timestamp": "createdon"}, nil, nil},
		{"marketo.csv", GuessOptions{}, map[string]string{
			"externalId": "Id", "firstName": "First Name", "lastName": "Last Name", "email": "Email Address", "phone": "Phone Number",
			"street": "Address", "city": "City", "state": "State", "zip": "Postal Code", "timestamp": "Created At", "sourceId": "Lead Source"}, nil, nil},
		{"mailchimp.csv", GuessOptions{}, map[string]string{
			"email": "Email Address", "firstName": "First Name", "lastName": "Last Name", "phone": "Phone Number",
			"timestamp": "OPTIN_TIME", "ipAddress": "OPTIN_IP", "externalId": "EUID"}, nil, nil},
		{"facebook-lead-ads.csv", GuessOptions{}, map[string]string{
			"externalId": "id", "timestamp": "created_time", "email": "email", "phone": "phone_number", "city": "city", "state": "state",
			"zip": "zip_code"}, nil, nil},
		{"google-forms.csv", GuessOptions{}, map[string]string{
			"timestamp": "Timestamp", "email": "Email Address", "firstName": "First name", "lastName": "Last name",
			"phone": "Phone number", "state": "Which state do you live in?", "zip": "Your ZIP"}, nil, nil},
		{"german.csv", GuessOptions{Region: "DE", Timezone: "Europe/Berlin"}, map[string]string{
			"externalId": "Kundennummer", "firstName": "Vorname", "lastName": "Name", "email": "E-Mail-Adresse", "phone": "Telefon",
			"street": "Straße", "zip": "PLZ", "city": "Ort", "state": "Bundesland", "timestamp": "Erstellt am"}, nil, nil},
		{"spanish.csv", GuessOptions{Region: "ES", Timezone: "Europe/Madrid"}, map[string]string{
			"firstName": "Nombre", "lastName": "Apellidos", "email": "Correo electrónico", "phone": "Teléfono", "street": "Dirección",
			"city": "Ciudad", "state": "Provincia", "zip": "Código postal", "timestamp": "Fecha"}, nil, nil},
		{"french.csv", GuessOptions{Region: "FR", Timezone: "Europe/Paris"}, map[string]string{
			"firstName": "Prénom", "lastName": "Nom", "email": "Adresse e-mail", "phone": "Téléphone", "street": "Adresse",
			"city": "Ville", "state": "Région", "zip": "Code postal", "timestamp": "Date"}, nil, nil},
		{"portuguese.csv", GuessOptions{Region: "BR", Timezone: "America/Sao_Paulo"}, map[string]string{
			"firstName": "Nome", "lastName": "Sobrenome", "email": "E-mail", "phone": "Telefone", "street": "Endereço",
			"city": "Cidade", "state": "Estado", "zip": "CEP", "timestamp": "Data"}, nil, nil},
		{"pandas.csv", GuessOptions{}, map[string]string{
			"account": "account_id", "firstName": "first_name", "lastName": "last_name", "phone": "phone", "zip": "zip",
			"timestamp": "created_at", "email": "email"}, nil,
			map[int]string{5: `phone is required but column "phone" is empty`}},
		{"no-headers.csv", GuessOptions{}, map[string]string{
			"email": "Field 3", "phone": "Field 4", "state": "Field 5", "zip": "Field 6", "timestamp": "Field 7", "ipAddress": "Field 8",
			"jornayaLeadId": "Field 9"}, []string{"account: {column: Field 1}"}, nil},
	}
	for _, tt := range tests {
		name := strings.TrimSuffix(tt.file, ".csv")
		t.Run(name, func(t *testing.T) {
			header, samples := readFixture(t, filepath.Join("testdata", "guess", tt.file))
			out, err := Guess(header, samples, tt.opts)
			require.NoError(t, err)
			golden.Assert(t, "guess-"+name+".yaml", out)

			c, err := Parse(out, name+".yaml")
			require.NoError(t, err, "the guess loads unchanged")
			got := map[string]string{}
			for f, s := range c.Fields {
				got[f] = s.Column
			}
			if c.Account.Column != "" {
				got["account"] = c.Account.Column
			}
			assert.Equal(t, tt.fields, got)
			assert.Equal(t, tt.opts.Sheet, c.Source.Sheet)
			if tt.opts.HeaderRow > 1 {
				assert.Equal(t, tt.opts.HeaderRow, c.Source.HeaderRow)
			}
			for _, u := range tt.unsure {
				assert.Contains(t, string(out), "# "+u+" # ")
			}
			if len(tt.unsure) == 0 {
				assert.NotContains(t, string(out), "uncomment if right")
			}

			// Where the guess maps every required field, the sample rows map
			// as they are (with a constant account when none was found).
			for _, f := range []string{"firstName", "lastName", "phone", "timestamp"} {
				if _, ok := c.Fields[f]; !ok {
					return
				}
			}
			if c.Account.Column == "" {
				c.Account = ValueSpec{Value: "18"}
			}
			m, err := c.Bind(header, BindOptions{File: tt.file, SingleLead: false})
			require.NoError(t, err)
			for i, row := range samples {
				r := m.Map(row)
				if why, ok := tt.bad[i+2]; ok {
					assert.Equal(t, []string{why}, r.Errors, "row %d", i+2)
					continue
				}
				assert.True(t, r.Valid(), "row %d: %s", i+2, r.Message())
			}
		})
	}
}

// readFixture reads a CSV fixture (comma or, as German Excel writes,
// semicolon separated).
func readFixture(t *testing.T, path string) ([]string, [][]string) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	r := csv.NewReader(bytes.NewReader(data))
	if first, _, _ := strings.Cut(string(data), "\n"); strings.Count(first, ";") > strings.Count(first, ",") {
		r.Comma = ';'
	}
	rows, err := r.ReadAll()
	require.NoError(t, err)
	return rows[0], rows[1:]
}

func TestGuessFromValues(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		rows   [][]string
		sure   map[string]string // field -> column guessed for sure
		unsure []string          // suggestions written commented out
	}{
		{"a generic header the values contradict", []string{"Date"}, [][]string{{"soon"}, {"later"}, {"never"}}, nil, nil},
		{"a generic header the values half support", []string{"Date"}, [][]string{{"6/3/2021"}, {"later"}, {"7/4/2021"}},
			nil, []string{"timestamp: {column: Date, formats: [M/d/yyyy], timezone: UTC} # from header \"Date\"; 2 of 3 values look like dates"}},
		{"phones without formatting could be ids", []string{"Col"}, [][]string{{"2065550100"}, {"2065550101"}, {"3125550105"}},
			nil, []string{"phone: {column: Col, region: US} # values look like US phone numbers (3 of 3)"}},
		{"formatted phones", []string{"Col"}, [][]string{{"(206) 555-0100"}, {"206-555-0101"}, {"+1 312 555 0105"}},
			map[string]string{"phone": "Col"}, nil},
		{"five-digit numbers could be anything", []string{"Col"}, [][]string{{"98101"}, {"60601"}, {"73301"}},
			nil, []string{"zip: Col # values look like US ZIP codes (3 of 3)"}},
		{"a leading zero gives ZIPs away", []string{"Col"}, [][]string{{"98101"}, {"02134"}, {"73301"}},
			map[string]string{"zip": "Col"}, nil},
		{"one date column", []string{"A", "B"}, [][]string{{"6/3/2021", "x"}, {"7/4/2021", "y"}, {"7/5/2021", "z"}},
			map[string]string{"timestamp": "A"}, nil},
		{"two date columns", []string{"A", "B"}, [][]string{{"6/3/2021", "1/2/1980"}, {"7/4/2021", "3/4/1975"}, {"7/5/2021", "5/6/1990"}},
			nil, []string{"timestamp: {column: A, formats: [M/d/yyyy], timezone: UTC} # values look like dates (3 of 3)"}},
		{"state codes that could be words", []string{"Col"}, [][]string{{"OK"}, {"OK"}, {"IN"}}, nil,
			[]string{"state: Col # values look like US states (3 of 3)"}},
		{"state names", []string{"Col"}, [][]string{{"Ohio"}, {"OK"}, {"OK"}}, map[string]string{"state": "Col"}, nil},
		{"too few values to be sure", []string{"Col"}, [][]string{{"ann@example.com"}, {"bob@example.com"}}, nil,
			[]string{"email: Col # values look like email addresses (2 of 2)"}},
		{"trustedform certificates", []string{"Col"}, [][]string{{"https://cert.trustedform.com/abc"}, {"https://cert.trustedform.com/def"}, {""}, {"https://cert.trustedform.com/123"}},
			map[string]string{"trustedFormId": "Col"}, nil},
		{"spreadsheet errors are not values", []string{"Col"}, [][]string{{"ann@example.com"}, {"#N/A"}, {"bob@example.com"}, {"cy@example.com"}},
			map[string]string{"email": "Col"}, nil},
		{"a known header is not judged by its values", []string{"Fax"}, [][]string{{"(206) 555-0100"}, {"206-555-0101"}, {"+1 312 555 0105"}}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Guess(tt.header, tt.rows, GuessOptions{})
			require.NoError(t, err)
			c, err := Parse(out, "g.yaml")
			require.NoError(t, err)
			got := map[string]string{}
			for f, s := range c.Fields {
				got[f] = s.Column
			}
			if tt.sure == nil {
				tt.sure = map[string]string{}
			}
			assert.Equal(t, tt.sure, got, "%s", out)
			for _, u := range tt.unsure {
				assert.Contains(t, string(out), "# "+u+"\n", "%s", out)
			}
			if len(tt.unsure) == 0 {
				assert.NotContains(t, string(out), "uncomment if right")
			}
		})
	}
}
