package sandbox

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/client"
)

func TestLeadFieldNamesMatchClientLead(t *testing.T) {
	typ := reflect.TypeFor[client.Lead]()
	var tags []string
	for i := range typ.NumField() {
		tags = append(tags, strings.Split(typ.Field(i).Tag.Get("json"), ",")[0])
	}
	assert.Equal(t, tags, leadFieldNames())
}

func TestLeadFieldsFollowNames(t *testing.T) {
	for i, name := range leadFieldNames() {
		t.Run(name, func(t *testing.T) {
			f, ok := lookupLeadField(name)
			require.True(t, ok)
			assert.Equal(t, leadField(i), f)
			assert.Equal(t, name, f.name())
			upper, ok := lookupLeadField(strings.ToUpper(name))
			require.True(t, ok, "names match case-insensitively")
			assert.Equal(t, f, upper)
		})
	}
}

func TestScanLead(t *testing.T) {
	cases := []struct {
		name    string
		raw     string
		want    leadView
		message string
	}{
		{name: "plain", raw: `{"firstName":"John","phone":"+1","externalId":"E"}`,
			want: leadView{firstName: "John", phone: "+1", externalID: "E"}},
		{name: "spaces and newlines", raw: "{\n  \"firstName\" : \"John\" ,\n \"zip\":\"98121\"\n}",
			want: leadView{firstName: "John", zip: "98121"}},
		{name: "escapes", raw: `{"firstName":"Jo\"hn \u00e9\\","lastName":"a\/b"}`,
			want: leadView{firstName: `Jo"hn é\`, lastName: "a/b"}},
		{name: "null is empty", raw: `{"firstName":null,"attributes":null}`, want: leadView{}},
		{name: "case-insensitive key", raw: `{"FIRSTNAME":"J","externalid":"e"}`, want: leadView{firstName: "J", externalID: "e"}},
		{name: "last duplicate wins", raw: `{"firstName":"A","firstName":"B"}`, want: leadView{firstName: "B"}},
		{name: "attributes", raw: `{"attributes":{"K":"v","L":null},"city":"X"}`, want: leadView{city: "X"}},
		{name: "empty object", raw: `{}`, want: leadView{}},
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
	sent := client.Lead{FirstName: `Zoë "Z"`, LastName: "<O'Brien>", Phone: "+1 (333) 111-8888", State: "WA", City: "Seattle",
		Zip: "98121", Timestamp: "06-23-2021 22:55:23", IPAddress: "192.168.3.2", SourceID: "s", JornayaLeadID: "j",
		TrustedFormID: "t", Email: "z@example.com", Street: "1 Main St", AgentExternalID: "AG", ExternalID: "E\u2028",
		Attributes: map[string]string{"A": "1", "B": "two"}}
	require.Equal(t, 200, send(t, srv, "POST", "/leads/bulk", mustJSON(client.BulkLeads{LeadsByAccountID: map[string][]client.Lead{"18": {sent}}})).status)
	leads := srv.Leads()
	require.Len(t, leads, 1)
	assert.Equal(t, sent, leads[0].Lead)
}
