package mapping

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/golden")

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

	golden := filepath.Join("testdata", "golden", "guess.yaml")
	if *update {
		require.NoError(t, os.WriteFile(golden, out, 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(out))

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

func TestGuessSynonyms(t *testing.T) {
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
		{"LeadiD", nil, "jornayaLeadId"}, {"Jornaya", nil, "jornayaLeadId"},
		{"IP", nil, "ipAddress"}, {"IP Address", nil, "ipAddress"},
		{"TrustedForm", nil, "trustedFormId"}, {"trustedFormId", nil, "trustedFormId"},
		{"Agent", nil, "agentExternalId"}, {"Agent ID", nil, "agentExternalId"},
		{"Source", nil, "sourceId"}, {"Street", nil, "street"}, {"Address", nil, "street"},
		{"agentExternalId", nil, "agentExternalId"},
		{"Favourite Colour", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			got, _ := synonym(tt.header, tt.values)
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
	assert.Contains(t, s, "required but not found in the header: firstName, lastName, phone, timestamp")
	assert.Contains(t, s, `"Phone" appears more than once`)
	_, err = Parse(out, "g.yaml")
	require.NoError(t, err, "output must load even when incomplete")
}

func TestGuessOptionsErrors(t *testing.T) {
	_, err := Guess([]string{"Phone"}, nil, GuessOptions{Region: "XX"})
	assert.ErrorIs(t, err, ErrInvalidConfig)
	_, err = Guess([]string{"Phone"}, nil, GuessOptions{Timezone: "Mars/Base"})
	assert.ErrorIs(t, err, ErrInvalidConfig)
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
