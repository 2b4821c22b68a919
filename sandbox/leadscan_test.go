package sandbox

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/wire"
)

// TestScanLeadReadsEveryField fills every string field of wire.Lead by
// reflection with a value of its own, encodes it with encoding/json and
// scans it back: a field the scanner cannot name is an "unknown field" 400,
// and one it files under another name shows up as a difference.
func TestScanLeadReadsEveryField(t *testing.T) {
	var sent wire.Lead
	v := reflect.ValueOf(&sent).Elem()
	for i := range v.NumField() {
		switch f := v.Field(i); f.Kind() {
		case reflect.String:
			f.SetString(fmt.Sprintf("v%d \u00e9 \"%s\"", i, v.Type().Field(i).Name))
		case reflect.Map:
			f.Set(reflect.ValueOf(map[string]string{"K": "v"}))
		default:
			t.Fatalf("wire.Lead.%s has kind %s: teach the scanner about it", v.Type().Field(i).Name, f.Kind())
		}
	}
	raw, err := json.Marshal(&sent)
	require.NoError(t, err)
	got, err := scanLead(string(raw), place{account: "18"})
	require.NoError(t, err)
	want := sent
	want.Attributes = nil // checked for shape, not kept
	assert.Equal(t, want, got)
}

func TestLookupLeadField(t *testing.T) {
	for _, f := range wire.Fields() {
		t.Run(f.Name(), func(t *testing.T) {
			got, attrs, ok := lookupLeadField(f.Name())
			require.True(t, ok)
			assert.False(t, attrs)
			assert.Equal(t, f, got)
			upper, _, ok := lookupLeadField(strings.ToUpper(f.Name()))
			require.True(t, ok, "names match case-insensitively")
			assert.Equal(t, f, upper)
		})
	}
	_, attrs, ok := lookupLeadField("Attributes")
	assert.True(t, ok && attrs)
	_, _, ok = lookupLeadField("nickname")
	assert.False(t, ok)
}

func TestScanLead(t *testing.T) {
	cases := []struct {
		name    string
		raw     string
		want    wire.Lead
		message string
	}{
		{name: "plain", raw: `{"firstName":"John","phone":"+1","externalId":"E"}`,
			want: wire.Lead{FirstName: "John", Phone: "+1", ExternalID: "E"}},
		{name: "spaces and newlines", raw: "{\n  \"firstName\" : \"John\" ,\n \"zip\":\"98121\"\n}",
			want: wire.Lead{FirstName: "John", Zip: "98121"}},
		{name: "escapes", raw: `{"firstName":"Jo\"hn \u00e9\\","lastName":"a\/b"}`,
			want: wire.Lead{FirstName: `Jo"hn é\`, LastName: "a/b"}},
		{name: "null is empty", raw: `{"firstName":null,"attributes":null}`, want: wire.Lead{}},
		{name: "case-insensitive key", raw: `{"FIRSTNAME":"J","externalid":"e"}`, want: wire.Lead{FirstName: "J", ExternalID: "e"}},
		{name: "last duplicate wins", raw: `{"firstName":"A","firstName":"B"}`, want: wire.Lead{FirstName: "B"}},
		{name: "attributes", raw: `{"attributes":{"K":"v","L":null},"city":"X"}`, want: wire.Lead{City: "X"}},
		{name: "empty object", raw: `{}`, want: wire.Lead{}},
		{name: "not an object", raw: `"x"`, message: `leadsByAccountId["18"][2]: expected an object, got string`},
		{name: "number field", raw: `{"phone":1}`, message: `leadsByAccountId["18"][2].phone: expected a string, got number`},
		{name: "boolean field", raw: `{"zip":true}`, message: `leadsByAccountId["18"][2].zip: expected a string, got boolean`},
		{name: "object field", raw: `{"email":{}}`, message: `leadsByAccountId["18"][2].email: expected a string, got object`},
		{name: "array attributes", raw: `{"attributes":[]}`, message: `leadsByAccountId["18"][2].attributes: expected an object of strings, got array`},
		{name: "nested attribute", raw: `{"attributes":{"K":{"x":"y"}}}`, message: `leadsByAccountId["18"][2].attributes["K"]: expected a string, got object`},
		{name: "unknown field", raw: `{"firstName":"a","nickname":"b"}`, message: `leadsByAccountId["18"][2]: unknown field "nickname"`},
		{name: "escaped attribute key in message", raw: `{"attributes":{"A":"1","K\"\u00e9":1}}`, message: `leadsByAccountId["18"][2].attributes["K\"é"]: expected a string, got number`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.True(t, json.Valid([]byte(tc.raw)), "fixtures are valid JSON, as the decoder guarantees")
			got, err := scanLead(tc.raw, place{account: "18", index: 2})
			if tc.message != "" {
				require.Error(t, err)
				assert.Equal(t, tc.message, err.Error())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestStoredLeadRoundTrip(t *testing.T) {
	srv := startServer(t, Options{})
	sent := wire.Lead{FirstName: `Zoë "Z"`, LastName: "<O'Brien>", Phone: "+1 (333) 111-8888", State: "WA", City: "Seattle",
		Zip: "98121", Timestamp: "06-23-2021 22:55:23", IPAddress: "192.168.3.2", SourceID: "s", JornayaLeadID: "j",
		TrustedFormID: "t", Email: "z@example.com", Street: "1 Main St", AgentExternalID: "AG", ExternalID: "E\u2028",
		Attributes: map[string]string{"A": "1", "B": "two"}}
	require.Equal(t, 200, send(t, srv, "POST", "/leads/bulk", mustJSON(client.BulkLeads{LeadsByAccountID: map[string][]wire.Lead{"18": {sent}}})).status)
	leads := srv.Leads()
	require.Len(t, leads, 1)
	assert.Equal(t, sent, leads[0].Lead)
}

func TestStrEnd(t *testing.T) {
	tests := []struct {
		name        string
		s           string
		wantEnd     int
		wantEscaped bool
		wantOK      bool
	}{
		{name: "short", s: `"ab"`, wantEnd: 3, wantOK: true},
		{name: "quote after two words", s: `"0123456789abcdef"x`, wantEnd: 17, wantOK: true},
		{name: "escape in second word", s: `"01234567890\"cdef"`, wantEnd: 18, wantEscaped: true, wantOK: true},
		{name: "unicode escape at a word edge", s: `"0123456\u00e9abcdefgh"`, wantEnd: 22, wantEscaped: true, wantOK: true},
		{name: "control in second word", s: "\"0123456789\x01bcdef\"", wantOK: false},
		{name: "no closing quote after words", s: `"0123456789abcdef`, wantOK: false},
		{name: "bad escape", s: `"0123456789\x"`, wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := scanner{s: tt.s}
			end, escaped, ok := sc.strEnd()
			require.Equal(t, tt.wantOK, ok)
			if ok {
				assert.Equal(t, tt.wantEnd, end)
				assert.Equal(t, tt.wantEscaped, escaped)
				var want string
				assert.NoError(t, json.Unmarshal([]byte(tt.s[:end+1]), &want), "encoding/json agrees")
			}
		})
	}
}

// TestScanLeadKeyOrders: the quoted-name fast path must read what
// encoding/json reads whatever the order and spelling of the keys.
func TestScanLeadKeyOrders(t *testing.T) {
	tests := []struct {
		name string
		lead string
	}{
		{name: "struct order", lead: `{"firstName":"J","lastName":"S","phone":"1","externalId":"E","attributes":{"K":"v"}}`},
		{name: "fields skipped", lead: `{"firstName":"J","email":"e","externalId":"E"}`},
		{name: "reverse order", lead: `{"attributes":{"K":"v"},"externalId":"E","phone":"1","lastName":"S","firstName":"J"}`},
		{name: "attributes first then fields", lead: `{"attributes":null,"firstName":"J"}`},
		{name: "escaped key", lead: `{"first\u004eame":"J","lastName":"S"}`},
		{name: "other case", lead: `{"FIRSTNAME":"J","lastname":"S","Attributes":{"K":"v"}}`},
		{name: "repeated field", lead: `{"firstName":"J","firstName":"K"}`},
		{name: "spaces", lead: `{ "firstName" : "J" , "lastName" :"S" }`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := scanLead(tt.lead, place{single: true})
			require.NoError(t, err)
			var want wire.Lead
			require.NoError(t, json.Unmarshal([]byte(tt.lead), &want))
			want.Attributes = nil // checked, not kept: stored leads keep their JSON
			assert.Equal(t, want, got)
		})
	}
	for _, bad := range []string{`{"first":"J"}`, `{"firstNameX":"J"}`, `{"attribute":{}}`} {
		_, err := scanLead(bad, place{single: true})
		assert.ErrorContains(t, err, "unknown field", bad)
	}
}
