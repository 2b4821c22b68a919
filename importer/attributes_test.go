package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/sandbox"
)

// TestRunSingleSendsEachRowsAttributes: the mapping refills one attributes
// map row after row, so a lead that waits for a worker must carry its own
// copy. The server holds the first requests until every worker is busy, so
// that leads queue up behind them while later rows are mapped; each lead
// must still arrive with its own row's attributes.
func TestRunSingleSendsEachRowsAttributes(t *testing.T) {
	const rows, workers = 80, 3
	srv := newSandbox(t, sandbox.Options{})
	var (
		mu      sync.Mutex
		arrived int
		gate    = make(chan struct{})
		got     = map[string]map[string]string{} // externalId -> attributes sent
	)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var lead struct {
			ExternalID string            `json:"externalId"`
			Attributes map[string]string `json:"attributes"`
		}
		if r.URL.Path == "/lead" && json.Unmarshal(body, &lead) == nil {
			mu.Lock()
			got[lead.ExternalID] = lead.Attributes
			if arrived++; arrived == workers {
				close(gate)
			}
			mu.Unlock()
			<-gate
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		srv.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	c, err := client.New(front.URL, client.WithCredentials(testUser, testPass))
	require.NoError(t, err)

	opts := baseOptions(t, []string{genCSV(t, rows, 2)}, SingleLeads{Client: c})
	opts.Mapping.Account = mapping.ValueSpec{} // POST /lead names no account
	opts.Concurrency, opts.Window = workers, 50
	_, err = Run(context.Background(), opts)
	require.NoError(t, err)

	report := readReport(t, opts.ReportPath)
	requireEveryRowOnce(t, report, rows)
	require.Len(t, got, rows)
	for _, r := range report {
		want := map[string]string{}
		if v := r.Original["Cart URL"]; v != "" {
			want["ABANDONED_CART_URL"] = v
		}
		if v := r.Original["Discount Code"]; v != "" {
			want["DISCOUNT_CODE"] = v
		}
		sent := got[r.ExternalID]
		if sent == nil {
			sent = map[string]string{}
		}
		assert.Equal(t, want, sent, "row %d (%s)", r.Row, r.ExternalID)
	}
}
