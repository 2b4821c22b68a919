package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListenStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := Listen(ctx, "127.0.0.1:0", Options{})
	require.NoError(t, err)
	assert.Equal(t, 200, send(t, srv, "GET", "/_sandbox/accounts", "").status)
	cancel()
	require.NoError(t, srv.Close(), "waits for the shutdown the context started")
	_, err = trySend(context.Background(), srv, "GET", "/_sandbox/accounts", "")
	require.Error(t, err, "no longer listening")
	require.NoError(t, srv.Close(), "Close twice is fine")
}

func TestListenBadAddress(t *testing.T) {
	_, err := Listen(context.Background(), "256.0.0.1:http", Options{})
	require.Error(t, err)
}

func TestRequestLogNeverHoldsCredentials(t *testing.T) {
	var buf bytes.Buffer
	srv := startServer(t, Options{Username: "user-x", Password: "pw-secret-1", Logger: slog.New(slog.NewJSONHandler(&buf, nil))})
	send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{"18": {bulkLead("a")}}))
	send(t, srv, "POST", "/leads/bulk", `{`, withAuth("user-x", "pw-wrong-2"))
	send(t, srv, "GET", "/accounts/18/statistics", "", withAuth("user-x", "pw-wrong-3"))
	log := buf.String()
	assert.Contains(t, log, `"path":"/leads/bulk"`)
	assert.Contains(t, log, `"status":401`)
	for _, secret := range []string{"pw-secret-1", "pw-wrong-2", "pw-wrong-3", "Authorization", "Basic "} {
		assert.NotContains(t, log, secret)
	}
	for _, r := range srv.Requests() {
		assert.NotContains(t, r.Path, "pw-")
	}
}

func TestHandlerUnderPrefixWithoutListener(t *testing.T) {
	srv, err := newServer(Options{Accounts: []string{"18"}})
	require.NoError(t, err)
	mux := http.NewServeMux()
	mux.Handle("/api/external/", http.StripPrefix("/api/external", srv.Handler()))
	req, err := http.NewRequest(http.MethodPut, "/api/external/accounts/18/pause", nil)
	require.NoError(t, err)
	req.SetBasicAuth(DefaultUsername, DefaultPassword)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	assert.Equal(t, 200, rec.Code)
	assert.Equal(t, AccountPaused, srv.Accounts()[0].Status)
	require.NoError(t, srv.Close(), "a server that never listened closes too")
}

func TestConcurrentRequests(t *testing.T) {
	srv := startServer(t, Options{})
	const workers, each = 4, 10
	done := make(chan error, workers)
	for w := range workers {
		go func() {
			for i := range each {
				a, err := trySend(context.Background(), srv, "POST", "/leads/bulk",
					bulk(map[string][]map[string]any{"18": {bulkLead(fmt.Sprintf("w%d-%d", w, i))}}))
				if err == nil && a.status != 200 {
					err = fmt.Errorf("status %d", a.status)
				}
				if err != nil {
					done <- err
					return
				}
				_ = srv.Leads()
				_ = srv.Requests()
			}
			done <- nil
		}()
	}
	for range workers {
		require.NoError(t, <-done)
	}
	assert.Len(t, srv.Leads(), workers*each)
	assert.Equal(t, int64(workers*each), srv.RequestStats().Total)
}
