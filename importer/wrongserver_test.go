package importer

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/sandbox"
)

// TestRunStopsOnAServerThatIsNotTheAPI: a wrong base-URL path used to make
// every row rejected (404) with exit 3 and a complete journal; a proxy's
// HTML page answering 200 counted as sent. The run must stop instead,
// naming the URL, with no row rejected or sent.
func TestRunStopsOnAServerThatIsNotTheAPI(t *testing.T) {
	html := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(status)
			_, _ = w.Write([]byte("<html><head><title>Sign in</title></head><body>login</body></html>"))
		}
	}
	tests := []struct {
		name string
		url  func(t *testing.T) string
	}{
		{name: "wrong path prefix on the real server", url: func(t *testing.T) string {
			return newSandbox(t, sandbox.Options{}).URL() + "/api/v2"
		}},
		{name: "a login page answering 200", url: func(t *testing.T) string {
			srv := httptest.NewServer(html(http.StatusOK))
			t.Cleanup(srv.Close)
			return srv.URL
		}},
		{name: "a web server's 404 page", url: func(t *testing.T) string {
			srv := httptest.NewServer(html(http.StatusNotFound))
			t.Cleanup(srv.Close)
			return srv.URL
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			url := tc.url(t)
			c, err := client.New(url, client.WithCredentials(testUser, testPass))
			require.NoError(t, err)
			opts := baseOptions(t, []string{genCSV(t, 60, 2)}, BulkLeads{Client: c})
			opts.BatchRows = 10
			sum, err := Run(context.Background(), opts)
			require.ErrorIs(t, err, ErrWrongServer)
			require.ErrorIs(t, err, client.ErrNotAPI)
			assert.Contains(t, err.Error(), url)
			assert.Contains(t, err.Error(), "check --url")
			assert.NotContains(t, err.Error(), testPass)
			assert.Equal(t, reports.StopWrongServer, sum.Stopped)
			rows := readReport(t, opts.ReportPath)
			requireEveryRowOnce(t, rows, 60)
			for _, r := range rows {
				require.Equal(t, "not_sent", r.Status, "row %d", r.Row)
				require.Contains(t, r.Message, "check --url")
			}
		})
	}
}

// TestRunStopsOnARetryAfterPastTheLimit: Retry-After: 999999 used to sleep
// eleven days, silently.
func TestRunStopsOnARetryAfterPastTheLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "999999")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"message":"slow down"}`))
	}))
	t.Cleanup(srv.Close)
	clock := newFakeClock()
	c, err := client.New(srv.URL, client.WithCredentials(testUser, testPass),
		client.WithRetry(client.RetryPolicy{MaxRetries: 5, MaxWait: client.DefaultMaxWait, Sleep: clock.Sleep}))
	require.NoError(t, err)
	opts := baseOptions(t, []string{genCSV(t, 30, 1)}, BulkLeads{Client: c})
	opts.BatchRows = 10
	sum, err := Run(context.Background(), opts)
	require.ErrorIs(t, err, client.ErrRetryAfterTooLong)
	assert.Contains(t, err.Error(), "rerun later with --resume")
	assert.Equal(t, reports.StopRetryWait, sum.Stopped)
	assert.Equal(t, clock.Now(), newFakeClock().Now(), "nothing waited")
	for _, r := range readReport(t, opts.ReportPath) {
		require.Equal(t, "not_sent", r.Status)
	}
}
