package client

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/wire"
)

// BenchmarkPostLeadsBulkJSON measures the client's own cost per bulk request
// of 100 leads against a loopback server that reads the body and answers 200.
func BenchmarkPostLeadsBulkJSON(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	b.Cleanup(srv.Close)
	leads := make([]wire.Lead, 100)
	for i := range leads {
		leads[i] = wire.Lead{FirstName: "John", LastName: "Smith", Phone: "+1333-111-8888", State: "WA",
			Timestamp: "06-23-2021 22:55:23", ExternalID: fmt.Sprintf("EXT-%d", i)}
	}
	body, err := json.Marshal(BulkLeads{LeadsByAccountID: map[string][]wire.Lead{"18": leads}})
	require.NoError(b, err)
	c, err := New(srv.URL+testPrefix, WithCredentials(testUser, testPassword))
	require.NoError(b, err)

	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := c.PostLeadsBulkJSON(b.Context(), body); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
