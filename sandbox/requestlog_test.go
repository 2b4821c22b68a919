package sandbox

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// logAt builds a request log with arrivals at the given offsets (in ms)
// from a fixed start, in the order given.
func logAt(offsetsMS ...int) RequestLog {
	start := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	l := make(RequestLog, len(offsetsMS))
	for i, ms := range offsetsMS {
		l[i] = RequestRecord{Time: start.Add(time.Duration(ms) * time.Millisecond), Method: "POST", Path: "/leads/bulk", Status: 200}
	}
	return l
}

func TestRequestLogMeasures(t *testing.T) {
	tests := []struct {
		name          string
		log           RequestLog
		window        time.Duration
		wantMax       int
		wantSpan      time.Duration
		wantPerSecond float64
		wantUtil      float64 // against a limit of 10/s
	}{
		{name: "empty", log: logAt(), window: time.Second},
		{name: "one request", log: logAt(0), window: time.Second, wantMax: 1},
		{
			name: "evenly at 10 per second", log: logAt(0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000),
			window: time.Second, wantMax: 10, wantSpan: time.Second, wantPerSecond: 10, wantUtil: 1,
		},
		{
			name: "a burst, then quiet", log: logAt(0, 1, 2, 3, 1500, 3000),
			window: time.Second, wantMax: 4, wantSpan: 3 * time.Second, wantPerSecond: 5.0 / 3, wantUtil: 5.0 / 30,
		},
		{
			name: "window is half-open", log: logAt(0, 1000, 2000),
			window: time.Second, wantMax: 1, wantSpan: 2 * time.Second, wantPerSecond: 1, wantUtil: 0.1,
		},
		{
			name: "out of order as answered", log: logAt(900, 0, 950, 100, 2500),
			window: time.Second, wantMax: 4, wantSpan: 2500 * time.Millisecond, wantPerSecond: 4 / 2.5, wantUtil: 0.16,
		},
		{
			name: "same instant", log: logAt(5, 5, 5),
			window: time.Second, wantMax: 3,
		},
		{
			name: "no window", log: logAt(0, 1), window: 0,
			wantMax: 0, wantSpan: time.Millisecond, wantPerSecond: 1000, wantUtil: 100,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.wantMax, tt.log.MaxInWindow(tt.window))
			assert.Equal(t, tt.wantSpan, tt.log.Span())
			assert.InDelta(t, tt.wantPerSecond, tt.log.PerSecond(), 1e-9)
			assert.InDelta(t, tt.wantUtil, tt.log.Utilisation(10), 1e-9)
			assert.Zero(t, tt.log.Utilisation(0), "no limit, no utilisation")
		})
	}
}

// TestRequestLogFromTheServer drives the sandbox with an injected clock and
// measures its log, in Go and through GET /_sandbox/requests.
func TestRequestLogFromTheServer(t *testing.T) {
	start := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	clock := newTestClock(start)
	srv := startServer(t, Options{Now: clock.Now})
	for i, ms := range []int{0, 200, 400, 600, 650, 700, 2000} {
		clock.Set(start.Add(time.Duration(ms) * time.Millisecond))
		a := send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{"18": {bulkLead("L" + string(rune('a'+i))), bulkLead("M")}}))
		require.Equal(t, 200, a.status)
	}
	clock.Set(start.Add(2500 * time.Millisecond))
	require.Equal(t, 404, send(t, srv, "PUT", "/accounts/99/pause", "").status)

	var fromHTTP RequestLog
	a := send(t, srv, "GET", "/_sandbox/requests", "")
	require.Equal(t, 200, a.status)
	require.NoError(t, json.Unmarshal(a.body, &fromHTTP))

	for name, l := range map[string]RequestLog{"Go": srv.Requests(), "HTTP": fromHTTP} {
		t.Run(name, func(t *testing.T) {
			require.Len(t, l, 8)
			assert.Equal(t, RequestRecord{Time: start, Method: "POST", Path: "/leads/bulk", Status: 200, Leads: 2}, l[0])
			assert.Equal(t, RequestRecord{Time: start.Add(2500 * time.Millisecond), Method: "PUT", Path: "/accounts/99/pause", Status: 404}, l[7])
			assert.Equal(t, 6, l.MaxInWindow(time.Second))
			assert.Equal(t, 2500*time.Millisecond, l.Span())
			assert.InDelta(t, 7/2.5, l.PerSecond(), 1e-9)
		})
	}
}
