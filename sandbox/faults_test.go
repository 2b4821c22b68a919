package sandbox

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRateLimit(t *testing.T) {
	clock := newTestClock(time.Date(2024, 1, 1, 12, 0, 0, 250_000_000, time.UTC))
	srv := startServer(t, Options{RateLimit: 2, Now: clock.Now})
	const path = "/accounts/18/statistics"
	assert.Equal(t, 200, send(t, srv, "GET", path, "").status)
	assert.Equal(t, 200, send(t, srv, "GET", path, "").status)
	a := send(t, srv, "GET", path, "")
	require.Equal(t, http.StatusTooManyRequests, a.status)
	assert.Equal(t, "1", a.header.Get("Retry-After"))
	assert.Contains(t, a.message(t), "at most 2 requests per second")

	// Inspection is never limited.
	assert.Equal(t, 200, send(t, srv, "GET", "/_sandbox/requests", "").status)

	clock.Set(clock.Now().Add(time.Second))
	assert.Equal(t, 200, send(t, srv, "GET", path, "").status, "a new second, a new window")

	recs := srv.Requests()
	require.Len(t, recs, 4)
	assert.Equal(t, "rate_limited", recs[2].Fault)
}

func TestRateLimitRetryAfterRoundsUp(t *testing.T) {
	f := newFaults(Options{RateLimit: 1, Now: func() time.Time { return time.Unix(100, 1) }})
	assert.Equal(t, faultNone, f.draw().fault)
	d := f.draw()
	assert.Equal(t, faultRateLimited, d.fault)
	assert.Equal(t, 1, d.retryAfter)
}

func TestFailRateIsNotApplied(t *testing.T) {
	srv := startServer(t, Options{FailRate: 1})
	a := send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{"18": {bulkLead("f")}}))
	assert.Contains(t, []int{500, 502, 503}, a.status)
	assert.Contains(t, a.message(t), "not applied")
	assert.Empty(t, srv.Leads())
	assert.Equal(t, 200, send(t, srv, "GET", "/_sandbox/leads", "").status, "inspection is free of faults")
	recs := srv.Requests()
	require.Len(t, recs, 1)
	assert.Equal(t, "failed", recs[0].Fault)
	assert.Equal(t, a.status, recs[0].Status)
}

func TestDroppedRequestIsApplied(t *testing.T) {
	srv := startServer(t, Options{DropRate: 1})
	_, err := trySend(context.Background(), srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{"18": {bulkLead("d1"), bulkLead("d2")}}))
	require.Error(t, err, "the caller sees no response")
	assert.Len(t, srv.Leads(), 2, "the store holds what the caller never heard about")

	_, err = trySend(context.Background(), srv, "POST", "/leads/bulk", `{}`)
	require.Error(t, err, "bad requests are dropped too")
	recs := srv.Requests()
	require.Len(t, recs, 2)
	assert.Equal(t, RequestRecord{Time: recs[0].Time, Method: "POST", Path: "/leads/bulk", Status: 200, Leads: 2, Fault: "dropped"}, recs[0])
	assert.Equal(t, 400, recs[1].Status, "the status it would have had")
}

func TestRejectedExternalIDs(t *testing.T) {
	srv := startServer(t, Options{RejectExternalIDs: []string{"BAD-7"}})
	body := bulk(map[string][]map[string]any{"18": {bulkLead("ok-1"), bulkLead("BAD-7"), bulkLead("ok-2")}})
	for _, method := range []string{"POST", "PUT"} {
		a := send(t, srv, method, "/leads/bulk", body)
		require.Equal(t, http.StatusBadRequest, a.status)
		msg := a.message(t)
		assert.Equal(t, refusedMessage, msg)
		assert.NotContains(t, msg, "BAD-7")
		assert.NotContains(t, msg, "[1]")
	}
	a := send(t, srv, "POST", "/lead", mustJSON(lead(set("externalId", "BAD-7"))))
	require.Equal(t, http.StatusBadRequest, a.status)
	assert.NotContains(t, a.message(t), "BAD-7")
	assert.Empty(t, srv.Leads(), "nothing of a refused request is stored")

	a = send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{"18": {bulkLead("ok-1"), bulkLead("ok-2")}}))
	assert.Equal(t, 200, a.status, "without the rejected lead the rest goes through")
}

func TestLatencyWaitsOnTheRequestContext(t *testing.T) {
	srv, err := NewServer(Options{Latency: time.Hour})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = trySend(ctx, srv, "GET", "/accounts/18/statistics", "")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	// Close waits for the handler: it returns because the handler gave up
	// when the caller left, not after an hour.
	require.NoError(t, srv.Close())
	recs := srv.Requests()
	require.Len(t, recs, 1)
	assert.Equal(t, 0, recs[0].Status, "nothing was answered")
}

// faultSequence sends n bulk requests one after another and returns what the
// server decided for each.
func faultSequence(t *testing.T, seed int64, n int) []string {
	t.Helper()
	srv := startServer(t, Options{Seed: seed, FailRate: 0.3, DropRate: 0.3})
	for i := range n {
		// Dropped requests give errors by design.
		_, _ = trySend(context.Background(), srv, "POST", "/leads/bulk",
			bulk(map[string][]map[string]any{"18": {bulkLead(fmt.Sprint(i))}}))
	}
	var out []string
	for _, r := range srv.Requests() {
		out = append(out, fmt.Sprintf("%s/%d", r.Fault, r.Status))
	}
	require.Len(t, out, n)
	return out
}

func TestSameSeedSameFaults(t *testing.T) {
	first := faultSequence(t, 42, 40)
	assert.Equal(t, first, faultSequence(t, 42, 40))
	assert.NotEqual(t, first, faultSequence(t, 7, 40), "another seed, other faults")

	kinds := map[string]bool{}
	for _, f := range first {
		kinds[f] = true
	}
	assert.True(t, kinds["/200"], "some requests pass: %v", first)
	assert.True(t, kinds["dropped/200"], "some are dropped: %v", first)
	assert.True(t, kinds["failed/500"] || kinds["failed/502"] || kinds["failed/503"], "some fail: %v", first)
}
