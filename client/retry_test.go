package client

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/httpwait"
	"github.com/xonvo/xonvo-import/wire"
)

// sleepRecorder is an injected RetryPolicy.Sleep that records the waits
// asked for and returns at once.
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepRecorder) recorded() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

func fixedRand(f float64) func() float64 { return func() float64 { return f } }

func TestBackoff(t *testing.T) {
	tests := []struct {
		name      string
		base, max time.Duration
		n         int
		rand      float64
		want      time.Duration
	}{
		{"first retry full ceiling", 100 * time.Millisecond, time.Second, 0, 0.999999, 99_999_900 * time.Nanosecond},
		{"first retry half", 100 * time.Millisecond, time.Second, 0, 0.5, 50 * time.Millisecond},
		{"doubles", 100 * time.Millisecond, time.Second, 2, 0.5, 200 * time.Millisecond},
		{"capped at max", 100 * time.Millisecond, time.Second, 10, 0.5, 500 * time.Millisecond},
		{"zero rand waits nothing", 100 * time.Millisecond, time.Second, 3, 0, 0},
		{"no base no wait", 0, time.Second, 3, 0.5, 0},
		{"no max means uncapped", time.Second, 0, 4, 0.5, 8 * time.Second},
		{"huge n does not overflow", time.Second, 0, 200, 0.5, time.Duration(float64(1<<63-1) * 0.5)},
		{"huge n capped", time.Second, time.Minute, 1 << 30, 1, time.Minute},
		{"rand out of range clamped high", time.Second, time.Minute, 0, 7, time.Second},
		{"rand out of range clamped low", time.Second, time.Minute, 0, -1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := RetryPolicy{BaseDelay: tt.base, MaxDelay: tt.max, Rand: fixedRand(tt.rand)}
			assert.Equal(t, tt.want, p.backoff(tt.n))
		})
	}
}

// TestBackoffCappedByMaxWait: no backoff is longer than MaxWait, whatever
// MaxDelay says.
func TestBackoffCappedByMaxWait(t *testing.T) {
	tests := []struct {
		name              string
		maxDelay, maxWait time.Duration
		want              time.Duration
	}{
		{"max wait below max delay", time.Hour, 5 * time.Minute, 5 * time.Minute},
		{"max wait without max delay", 0, 5 * time.Minute, 5 * time.Minute},
		{"max delay below max wait", time.Minute, 5 * time.Minute, time.Minute},
		{"no max wait", time.Hour, 0, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := RetryPolicy{BaseDelay: time.Second, MaxDelay: tt.maxDelay, MaxWait: tt.maxWait, Rand: fixedRand(1)}
			assert.Equal(t, tt.want, p.backoff(40))
		})
	}
}

func TestShouldRetry(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	bg := context.Background()
	noResp := &noResponseError{err: io.ErrUnexpectedEOF}
	cutBody := &bodyError{status: 200, err: io.ErrUnexpectedEOF}
	lead := &request{method: http.MethodPost, endpoint: "/leads/bulk"}
	create := &request{method: http.MethodPost, endpoint: "/accounts", noResend: true}
	tests := []struct {
		name   string
		ctx    context.Context
		r      *request
		status int
		err    error
		want   bool
	}{
		{"success", bg, lead, 200, nil, false},
		{"429", bg, lead, 429, &APIError{StatusCode: 429}, true},
		{"500", bg, lead, 500, &APIError{StatusCode: 500}, true},
		{"502", bg, lead, 502, &APIError{StatusCode: 502}, true},
		{"503", bg, lead, 503, &APIError{StatusCode: 503}, true},
		{"504", bg, lead, 504, &APIError{StatusCode: 504}, true},
		{"501 not retried", bg, lead, 501, &APIError{StatusCode: 501}, false},
		{"400", bg, lead, 400, &APIError{StatusCode: 400}, false},
		{"401", bg, lead, 401, &APIError{StatusCode: 401}, false},
		{"404", bg, lead, 404, &APIError{StatusCode: 404}, false},
		{"409", bg, lead, 409, &APIError{StatusCode: 409}, false},
		{"not the API", bg, lead, 200, &NotAPIError{StatusCode: 200}, false},
		{"not the API 404", bg, lead, 404, &NotAPIError{StatusCode: 404}, false},
		{"2xx with broken body is a resend", bg, lead, 200, cutBody, true},
		{"2xx with broken body wrapped", bg, lead, 200, fmt.Errorf("x: %w", cutBody), true},
		{"2xx with a read error of another kind", bg, lead, 200, io.ErrUnexpectedEOF, false},
		{"no response", bg, lead, 0, noResp, true},
		{"timeout", bg, lead, 0, &noResponseError{err: context.DeadlineExceeded}, true},
		{"bad certificate", bg, lead, 0, &noResponseError{err: x509.UnknownAuthorityError{}}, false},
		{"other local error", bg, lead, 0, errors.New("building request"), false},
		{"cancelled ctx never retries", cancelled, lead, 503, &APIError{StatusCode: 503}, false},
		{"cancelled ctx no response", cancelled, lead, 0, noResp, false},
		{"cancelled ctx broken body", cancelled, lead, 200, cutBody, false},
		{"create account: 429 retried", bg, create, 429, &APIError{StatusCode: 429}, true},
		{"create account: 500 retried", bg, create, 500, &APIError{StatusCode: 500}, true},
		{"create account: 503 retried", bg, create, 503, &APIError{StatusCode: 503}, true},
		{"create account: 502 may be applied", bg, create, 502, &APIError{StatusCode: 502}, false},
		{"create account: 504 may be applied", bg, create, 504, &APIError{StatusCode: 504}, false},
		{"create account: no response not resent", bg, create, 0, noResp, false},
		{"create account: broken body not resent", bg, create, 200, cutBody, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, shouldRetry(tt.ctx, tt.r, tt.status, tt.err))
		})
	}
}

// rttChecked asserts that every call that made an attempt measured its round
// trip, and returns info without LastRTT so the rest compares exactly.
func rttChecked(t *testing.T, info CallInfo) CallInfo {
	t.Helper()
	if info.Attempts > 0 {
		assert.Positive(t, info.LastRTT, "LastRTT")
	} else {
		assert.Zero(t, info.LastRTT, "LastRTT")
	}
	info.LastRTT = 0
	info.BodyReleased = false // TestCallInfoBodyReleased
	return info
}

// TestRetrySequences drives the client through scripted answers and checks
// the attempts made, the outcome, the waits asked for and the CallInfo.
func TestRetrySequences(t *testing.T) {
	ok := reply{status: 200}
	status := func(code int) reply { return reply{status: code} }
	retryAfter := func(code int, v string) reply {
		return reply{status: code, header: map[string]string{"Retry-After": v}}
	}
	drop := reply{drop: true}
	cut := reply{status: 200, body: `{"partial":`, cut: true}
	stall := reply{status: 200, body: `{"partial":`, stall: true}
	html := reply{status: 200, header: map[string]string{"Content-Type": "text/html"}, body: "<html><title>Sign in</title></html>"}
	const ms = time.Millisecond
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

	tests := []struct {
		name       string
		maxRetries int
		maxWait    time.Duration // 0: the default
		replies    []reply
		wantErr    error // nil: success
		wantNoResp bool
		wantWaits  []time.Duration
		wantInfo   CallInfo
	}{
		{
			name: "success first time", maxRetries: 3, replies: []reply{ok},
			wantInfo: CallInfo{Attempts: 1, StatusCode: 200, Statuses: []int{200}},
		},
		{
			name: "500 then success", maxRetries: 3, replies: []reply{status(500), ok},
			wantWaits: []time.Duration{50 * ms},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Waited: 50 * ms, Statuses: []int{500, 200}},
		},
		{
			name: "502 503 504 then success with growing backoff", maxRetries: 3,
			replies:   []reply{status(502), status(503), status(504), ok},
			wantWaits: []time.Duration{50 * ms, 100 * ms, 200 * ms},
			wantInfo:  CallInfo{Attempts: 4, StatusCode: 200, Retries: 3, Waited: 350 * ms, Statuses: []int{502, 503, 504, 200}},
		},
		{
			name: "500 until retries run out", maxRetries: 2,
			replies: []reply{status(500), status(500), status(500)}, wantErr: ErrServer,
			wantWaits: []time.Duration{50 * ms, 100 * ms},
			wantInfo:  CallInfo{Attempts: 3, StatusCode: 500, Retries: 2, Waited: 150 * ms, Statuses: []int{500, 500, 500}},
		},
		{
			name: "backoff capped by max delay", maxRetries: 6,
			replies:   []reply{status(500), status(500), status(500), status(500), status(500), ok},
			wantWaits: []time.Duration{50 * ms, 100 * ms, 200 * ms, 400 * ms, 500 * ms},
			wantInfo:  CallInfo{Attempts: 6, StatusCode: 200, Retries: 5, Waited: 1250 * ms, Statuses: []int{500, 500, 500, 500, 500, 200}},
		},
		{
			name: "backoff capped by max wait below max delay", maxRetries: 3, maxWait: 120 * ms,
			replies:   []reply{status(500), status(500), status(500), ok},
			wantWaits: []time.Duration{50 * ms, 60 * ms, 60 * ms},
			wantInfo:  CallInfo{Attempts: 4, StatusCode: 200, Retries: 3, Waited: 170 * ms, Statuses: []int{500, 500, 500, 200}},
		},
		{
			name: "default policy makes one attempt", maxRetries: 0,
			replies: []reply{status(500)}, wantErr: ErrServer,
			wantInfo: CallInfo{Attempts: 1, StatusCode: 500, Statuses: []int{500}},
		},
		{
			name: "400 not retried", maxRetries: 3, replies: []reply{status(400)}, wantErr: ErrBadRequest,
			wantInfo: CallInfo{Attempts: 1, StatusCode: 400, Statuses: []int{400}},
		},
		{
			name: "404 not retried", maxRetries: 3, replies: []reply{status(404)}, wantErr: ErrNotFound,
			wantInfo: CallInfo{Attempts: 1, StatusCode: 404, Statuses: []int{404}},
		},
		{
			name: "401 not retried", maxRetries: 3, replies: []reply{status(401)}, wantErr: ErrAuth,
			wantInfo: CallInfo{Attempts: 1, StatusCode: 401, Statuses: []int{401}},
		},
		{
			name: "200 with an HTML page is not the API and not retried", maxRetries: 3, replies: []reply{html}, wantErr: ErrNotAPI,
			wantInfo: CallInfo{Attempts: 1, StatusCode: 200, Statuses: []int{200}},
		},
		{
			name: "429 retry-after seconds honoured beyond max delay", maxRetries: 3,
			replies:   []reply{retryAfter(429, "3"), ok},
			wantWaits: []time.Duration{3 * time.Second},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Waited: 3 * time.Second, Statuses: []int{429, 200}, Throttled: true},
		},
		{
			name: "429 retry-after http date", maxRetries: 3,
			replies:   []reply{retryAfter(429, now.Add(20*time.Second).Format(http.TimeFormat)), ok},
			wantWaits: []time.Duration{20 * time.Second},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Waited: 20 * time.Second, Statuses: []int{429, 200}, Throttled: true},
		},
		{
			name: "429 without retry-after backs off", maxRetries: 3,
			replies:   []reply{status(429), ok},
			wantWaits: []time.Duration{50 * ms},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Waited: 50 * ms, Statuses: []int{429, 200}, Throttled: true},
		},
		{
			name: "429 until retries run out", maxRetries: 1,
			replies: []reply{retryAfter(429, "1"), retryAfter(429, "1")}, wantErr: ErrRateLimited,
			wantWaits: []time.Duration{time.Second},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 429, Retries: 1, Waited: time.Second, Statuses: []int{429, 429}, Throttled: true},
		},
		{
			name: "429 retry-after at max wait is honoured", maxRetries: 1,
			replies:   []reply{retryAfter(429, "300"), ok},
			wantWaits: []time.Duration{5 * time.Minute},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Waited: 5 * time.Minute, Statuses: []int{429, 200}, Throttled: true},
		},
		{
			name: "429 retry-after beyond max wait ends the call at once", maxRetries: 3,
			replies: []reply{retryAfter(429, "999999")}, wantErr: ErrRetryAfterTooLong,
			wantInfo: CallInfo{Attempts: 1, StatusCode: 429, Statuses: []int{429}, Throttled: true},
		},
		{
			name: "429 retry-after in 9999 ends the call at once", maxRetries: 3,
			replies: []reply{retryAfter(429, "Fri, 31 Dec 9999 23:59:59 GMT")}, wantErr: ErrRetryAfterTooLong,
			wantInfo: CallInfo{Attempts: 1, StatusCode: 429, Statuses: []int{429}, Throttled: true},
		},
		{
			name: "503 retry-after beyond max wait without retries left", maxRetries: 0,
			replies: []reply{retryAfter(503, "301")}, wantErr: ErrRetryAfterTooLong,
			wantInfo: CallInfo{Attempts: 1, StatusCode: 503, Statuses: []int{503}},
		},
		{
			name: "retry-after beyond a small max wait", maxRetries: 3, maxWait: 2 * time.Second,
			replies: []reply{retryAfter(503, "3")}, wantErr: ErrRetryAfterTooLong,
			wantInfo: CallInfo{Attempts: 1, StatusCode: 503, Statuses: []int{503}},
		},
		{
			name: "negative max wait means no limit", maxRetries: 1, maxWait: -1,
			replies:   []reply{retryAfter(429, "999999"), ok},
			wantWaits: []time.Duration{999999 * time.Second},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Waited: 999999 * time.Second, Statuses: []int{429, 200}, Throttled: true},
		},
		{
			name: "503 retry-after", maxRetries: 1, replies: []reply{retryAfter(503, "4"), ok},
			wantWaits: []time.Duration{4 * time.Second},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Waited: 4 * time.Second, Statuses: []int{503, 200}},
		},
		{
			name: "dropped connection then success counts a resend", maxRetries: 3,
			replies:   []reply{drop, ok},
			wantWaits: []time.Duration{50 * ms},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Resends: 1, Waited: 50 * ms, Statuses: []int{0, 200}},
		},
		{
			name: "dropped every time", maxRetries: 2,
			replies: []reply{drop, drop, drop}, wantNoResp: true,
			wantWaits: []time.Duration{50 * ms, 100 * ms},
			wantInfo:  CallInfo{Attempts: 3, StatusCode: 0, Retries: 2, Resends: 2, Waited: 150 * ms, Statuses: []int{0, 0, 0}},
		},
		{
			name: "500 then dropped keeps last status seen", maxRetries: 1,
			replies: []reply{status(500), drop}, wantNoResp: true,
			wantWaits: []time.Duration{50 * ms},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 500, Retries: 1, Waited: 50 * ms, Statuses: []int{500, 0}},
		},
		{
			name: "dropped then 500 then success", maxRetries: 3,
			replies:   []reply{drop, status(500), ok},
			wantWaits: []time.Duration{50 * ms, 100 * ms},
			wantInfo:  CallInfo{Attempts: 3, StatusCode: 200, Retries: 2, Resends: 1, Waited: 150 * ms, Statuses: []int{0, 500, 200}},
		},
		{
			name: "200 body cut off then success counts a resend", maxRetries: 3,
			replies:   []reply{cut, ok},
			wantWaits: []time.Duration{50 * ms},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Resends: 1, Waited: 50 * ms, Statuses: []int{200, 200}},
		},
		{
			name: "200 body stalled then success counts a resend", maxRetries: 3,
			replies:   []reply{stall, ok},
			wantWaits: []time.Duration{50 * ms},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Resends: 1, Waited: 50 * ms, Statuses: []int{200, 200}},
		},
		{
			name: "200 body cut off every time", maxRetries: 1,
			replies: []reply{cut, cut}, wantErr: ErrBodyIncomplete,
			wantWaits: []time.Duration{50 * ms},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Resends: 1, Waited: 50 * ms, Statuses: []int{200, 200}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.replies...)
			sleeper := &sleepRecorder{}
			c := api.newClient(t, withClock(func() time.Time { return now }), WithBodyIdleTimeout(50*ms),
				WithRetry(RetryPolicy{
					MaxRetries: tt.maxRetries, BaseDelay: 100 * ms, MaxDelay: time.Second, MaxWait: tt.maxWait,
					Sleep: sleeper.sleep, Rand: fixedRand(0.5),
				}))
			body := []byte(`{"leadsByAccountId":{"18":[{"firstName":"A"}]}}`)
			info := CallInfo{Attempts: 99, Statuses: []int{7}} // must be reset by the call
			err := c.PostLeadsBulkJSON(WithCallInfo(t.Context(), &info), body)

			switch {
			case tt.wantErr != nil:
				require.ErrorIs(t, err, tt.wantErr)
			case tt.wantNoResp:
				require.Error(t, err)
				assert.True(t, IsNoResponse(err), "IsNoResponse(%v)", err)
			default:
				require.NoError(t, err)
			}
			if tt.wantErr != nil {
				assert.False(t, IsNoResponse(err))
			}
			assert.Equal(t, tt.wantWaits, sleeper.recorded())
			assert.Equal(t, tt.wantInfo, rttChecked(t, info))

			reqs := api.seenRequests()
			require.Len(t, reqs, tt.wantInfo.Attempts, "requests the server saw")
			for i, r := range reqs {
				assert.Equal(t, string(body), string(r.body), "attempt %d re-sends the same body", i+1)
			}
		})
	}
}

// TestRetryTimeoutPerAttempt checks WithTimeout bounds one attempt: a hung
// attempt times out, is retried, and without retries surfaces as a
// DeadlineExceeded that may have been applied.
func TestRetryTimeoutPerAttempt(t *testing.T) {
	tests := []struct {
		name       string
		maxRetries int
		replies    []reply
		wantErr    bool
		wantInfo   CallInfo
	}{
		{"hang then success", 1, []reply{{hang: true}, {status: 200}}, false, CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Resends: 1, Statuses: []int{0, 200}}},
		{"hang without retries", 0, []reply{{hang: true}}, true, CallInfo{Attempts: 1, Statuses: []int{0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.replies...)
			c := api.newClient(t, WithTimeout(100*time.Millisecond), WithRetry(RetryPolicy{
				MaxRetries: tt.maxRetries, Sleep: (&sleepRecorder{}).sleep,
			}))
			var info CallInfo
			err := c.AddLead(WithCallInfo(t.Context(), &info), wire.Lead{FirstName: "A"})
			if tt.wantErr {
				require.ErrorIs(t, err, context.DeadlineExceeded)
				assert.True(t, IsNoResponse(err))
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.wantInfo, rttChecked(t, info))
		})
	}
}

// TestCancelStopsWaiting cancels the call while it waits between attempts;
// the default sleeper must return at once with the context's error.
func TestCancelStopsWaiting(t *testing.T) {
	api := newFakeAPI(t, reply{status: 503}) // a second request would fail the test
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var asked []time.Duration
	c := api.newClient(t, WithRetry(RetryPolicy{
		MaxRetries: 3, BaseDelay: time.Hour, MaxDelay: time.Hour, MaxWait: -1, Rand: fixedRand(1),
		Sleep: func(ctx context.Context, d time.Duration) error {
			asked = append(asked, d)
			cancel() // the user presses Ctrl-C during the wait
			return httpwait.Sleep(ctx, d)
		},
	}))
	var info CallInfo
	err := c.AddLead(WithCallInfo(ctx, &info), wire.Lead{})

	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, ErrServer, "the last attempt's error is kept")
	assert.False(t, IsNoResponse(err))
	assert.Equal(t, []time.Duration{time.Hour}, asked)
	assert.Equal(t, CallInfo{Attempts: 1, StatusCode: 503, Waited: time.Hour, Statuses: []int{503}}, rttChecked(t, info))
	assert.Len(t, api.seenRequests(), 1, "nothing sent after cancel")
}

func TestCancelledBeforeCall(t *testing.T) {
	api := newFakeAPI(t)
	c := api.newClient(t, WithRetry(RetryPolicy{MaxRetries: 3, Sleep: (&sleepRecorder{}).sleep}))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var info CallInfo
	err := c.AddLead(WithCallInfo(ctx, &info), wire.Lead{})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, "POST /lead: context canceled", err.Error())
	assert.Equal(t, CallInfo{}, info)
	assert.Empty(t, api.seenRequests())
}

// TestCancelDuringAttempt cancels once the request has reached the server
// and waits for an answer: the error says both "cancelled" and "may have
// been applied".
func TestCancelDuringAttempt(t *testing.T) {
	arrived := make(chan struct{})
	api := newFakeAPI(t, reply{hang: true, arrived: arrived})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() {
		<-arrived
		cancel()
	}()
	c := api.newClient(t, WithRetry(RetryPolicy{MaxRetries: 3, Sleep: (&sleepRecorder{}).sleep}))
	var info CallInfo
	err := c.AddLead(WithCallInfo(ctx, &info), wire.Lead{})
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, IsNoResponse(err))
	assert.Equal(t, CallInfo{Attempts: 1, Statuses: []int{0}}, rttChecked(t, info))
}

func TestSleepContext(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		d       time.Duration
		wantErr error
	}{
		{"zero", context.Background(), 0, nil},
		{"negative", context.Background(), -time.Second, nil},
		{"tiny", context.Background(), time.Nanosecond, nil},
		{"cancelled returns at once", cancelled, 24 * time.Hour, context.Canceled},
		{"cancelled zero", cancelled, 0, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := httpwait.Sleep(tt.ctx, tt.d)
			if tt.wantErr == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.wantErr)
			}
		})
	}
}

func TestRetryPolicyDefaults(t *testing.T) {
	tests := []struct {
		name        string
		in          RetryPolicy
		wantRetries int
		wantMaxWait time.Duration
	}{
		{"negative retries clamped, max wait defaulted", RetryPolicy{MaxRetries: -3}, 0, DefaultMaxWait},
		{"max wait kept", RetryPolicy{MaxRetries: 2, MaxWait: time.Minute}, 2, time.Minute},
		{"negative max wait means none", RetryPolicy{MaxWait: -1}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.in.withDefaults()
			assert.Equal(t, tt.wantRetries, p.MaxRetries)
			assert.Equal(t, tt.wantMaxWait, p.MaxWait)
			require.NotNil(t, p.Sleep)
			require.NotNil(t, p.Rand)
			f := p.Rand()
			assert.True(t, f >= 0 && f < 1)
		})
	}
}
