package client

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/wire"
)

// waitLog collects the events given to a WithWaitObserver function.
type waitLog struct {
	mu     sync.Mutex
	events []WaitEvent
}

func (w *waitLog) observe(_ context.Context, ev WaitEvent) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.events = append(w.events, ev)
}

func (w *waitLog) recorded() []WaitEvent {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]WaitEvent(nil), w.events...)
}

// TestWaitObserver checks that waits over ReportedWait, and only those, are
// reported with their length and reason before the client sleeps.
func TestWaitObserver(t *testing.T) {
	retryAfter := func(code int, v string) reply {
		return reply{status: code, header: map[string]string{"Retry-After": v}}
	}
	ok := reply{status: 200}
	tests := []struct {
		name      string
		base      time.Duration // backoff ceiling of the first retry; rand is 1
		replies   []reply
		want      []WaitEvent
		wantWaits []time.Duration
	}{
		{
			name: "short backoff not reported", base: 2 * time.Second,
			replies: []reply{{status: 500}, ok}, wantWaits: []time.Duration{2 * time.Second},
		},
		{
			name: "exactly the threshold not reported", base: ReportedWait,
			replies: []reply{{status: 500}, ok}, wantWaits: []time.Duration{ReportedWait},
		},
		{
			name: "long backoff reported", base: 20 * time.Second,
			replies: []reply{{status: 503}, ok}, wantWaits: []time.Duration{20 * time.Second},
			want: []WaitEvent{{Duration: 20 * time.Second, Reason: "backing off after 503 Service Unavailable",
				Status: 503, Attempt: 1, Method: http.MethodPost, Path: "/lead"}},
		},
		{
			name: "long backoff after no response", base: 15 * time.Second,
			replies: []reply{{drop: true}, ok}, wantWaits: []time.Duration{15 * time.Second},
			want: []WaitEvent{{Duration: 15 * time.Second, Reason: "backing off after no response",
				Attempt: 1, Method: http.MethodPost, Path: "/lead"}},
		},
		{
			name: "long backoff after a broken body", base: 15 * time.Second,
			replies: []reply{{status: 200, body: "{", cut: true}, ok}, wantWaits: []time.Duration{15 * time.Second},
			want: []WaitEvent{{Duration: 15 * time.Second, Reason: "backing off after a 200 OK whose body did not arrive whole",
				Status: 200, Attempt: 1, Method: http.MethodPost, Path: "/lead"}},
		},
		{
			name: "retry-after reported on the second attempt", base: time.Second,
			replies:   []reply{{status: 500}, retryAfter(429, "30"), ok},
			wantWaits: []time.Duration{time.Second, 30 * time.Second},
			want: []WaitEvent{{Duration: 30 * time.Second, Reason: "the server asked for it (Retry-After) with 429 Too Many Requests",
				FromServer: true, Status: 429, Attempt: 2, Method: http.MethodPost, Path: "/lead"}},
		},
		{
			name: "short retry-after not reported", base: time.Second,
			replies: []reply{retryAfter(503, "10"), ok}, wantWaits: []time.Duration{10 * time.Second},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.replies...)
			sleeper := &sleepRecorder{}
			log := &waitLog{}
			c := api.newClient(t, WithWaitObserver(log.observe), WithRetry(RetryPolicy{
				MaxRetries: 3, BaseDelay: tt.base, MaxDelay: time.Minute, Rand: fixedRand(1), Sleep: sleeper.sleep,
			}))
			require.NoError(t, c.AddLead(t.Context(), wire.Lead{FirstName: "A"}))
			assert.Equal(t, tt.want, log.recorded())
			assert.Equal(t, tt.wantWaits, sleeper.recorded())
		})
	}
}

// TestRetryAfterTooLong checks the error that ends a call whose server asked
// to wait beyond MaxWait: its message, what it matches, and that nothing is
// slept or reported.
func TestRetryAfterTooLong(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		status     int
		retryAfter string
		maxWait    time.Duration
		wantWait   time.Duration
		wantUntil  time.Time
		wantMsg    string
		sentinel   error
	}{
		{
			name: "seconds", status: 429, retryAfter: "999999", wantWait: 999999 * time.Second,
			wantUntil: now.Add(999999 * time.Second), sentinel: ErrRateLimited,
			wantMsg: "POST /lead: 429 Too Many Requests: the server asked to wait 277h46m39s (more than --max-retry-wait 5m0s); rerun later with --resume",
		},
		{
			name: "date in 9999", status: 503, retryAfter: "Fri, 31 Dec 9999 23:59:59 GMT", wantWait: time.Duration(1<<63 - 1),
			sentinel: ErrServer,
			wantMsg:  "POST /lead: 503 Service Unavailable: the server asked to wait 2562047h47m16s (more than --max-retry-wait 5m0s); rerun later with --resume",
		},
		{
			name: "just over a custom limit", status: 429, retryAfter: "61", maxWait: time.Minute, wantWait: 61 * time.Second,
			wantUntil: now.Add(61 * time.Second), sentinel: ErrRateLimited,
			wantMsg: "POST /lead: 429 Too Many Requests: the server asked to wait 1m1s (more than --max-retry-wait 1m0s); rerun later with --resume",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, reply{status: tt.status, header: map[string]string{"Retry-After": tt.retryAfter}})
			sleeper := &sleepRecorder{}
			log := &waitLog{}
			c := api.newClient(t, withClock(func() time.Time { return now }), WithWaitObserver(log.observe),
				WithRetry(RetryPolicy{MaxRetries: 5, MaxWait: tt.maxWait, Sleep: sleeper.sleep}))
			var info CallInfo
			err := c.AddLead(WithCallInfo(t.Context(), &info), wire.Lead{})

			require.ErrorIs(t, err, ErrRetryAfterTooLong)
			assert.ErrorIs(t, err, tt.sentinel, "the answer that carried it is kept")
			var ra *RetryAfterError
			require.ErrorAs(t, err, &ra)
			assert.Equal(t, tt.wantWait, ra.Wait)
			assert.Equal(t, tt.wantUntil, ra.Until)
			assert.Equal(t, tt.wantMsg, err.Error())
			assert.False(t, errors.Is(err, ErrNotAPI))
			assert.Empty(t, sleeper.recorded())
			assert.Empty(t, log.recorded())
			assert.Equal(t, 1, info.Attempts)
		})
	}
}
