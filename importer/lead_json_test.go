package importer

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/client"
)

func TestAppendLeadJSONMatchesEncodingJSON(t *testing.T) {
	tests := []struct {
		name string
		lead client.Lead
	}{
		{name: "required only", lead: client.Lead{FirstName: "John", LastName: "Smith", Phone: "+13331118888", Timestamp: "06-23-2021 22:55:23"}},
		{name: "empty", lead: client.Lead{}},
		{name: "every field", lead: client.Lead{FirstName: "Jo", LastName: "Li", Phone: "+1", State: "WA", City: "Seattle",
			Zip: "02134", Timestamp: "t", IPAddress: "1.2.3.4", SourceID: "s", JornayaLeadID: "j", TrustedFormID: "tf",
			Email: "a@b.co", Street: "1 Main", AgentExternalID: "2", ExternalID: "EXT-1",
			Attributes: map[string]string{"Z": "last", "A": "first", "M<&>": "x"}}},
		{name: "escaping", lead: client.Lead{FirstName: "quote \" back \\ nl \n cr \r tab \t ctl \x01 \x1f",
			LastName: "<script>&amp;</script>", Phone: "\u2028\u2029", Timestamp: "bad \xff utf8 \xc3"}},
		{name: "unicode kept", lead: client.Lead{FirstName: "José", LastName: "Müller Zoë 日本 🙂"}},
		{name: "empty attributes omitted", lead: client.Lead{FirstName: "a", Attributes: map[string]string{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := json.Marshal(&tc.lead)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(appendLeadJSON(nil, &tc.lead)))
		})
	}
}

func BenchmarkEncodeLead(b *testing.B) {
	l := client.Lead{FirstName: "María", LastName: "García", Phone: "+12065550100", State: "WA", City: "Seattle",
		Zip: "98121", Timestamp: "06-23-2021 22:55:23", IPAddress: "10.1.2.3", SourceID: "nightly-export",
		JornayaLeadID: "095796C6-4D33-A73C-7BCE-D5563F59E778", Email: "lead1@example.com", Street: "1 Main St",
		ExternalID: "EXT-00000001", Attributes: map[string]string{"ABANDONED_CART_URL": "www.shop.com/1", "DISCOUNT_CODE": "TR44"}}
	b.Run("appendLeadJSON", func(b *testing.B) {
		buf := make([]byte, 0, 512)
		for range b.N {
			buf = appendLeadJSON(buf[:0], &l)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		for range b.N {
			_, _ = json.Marshal(&l)
		}
	})
}
