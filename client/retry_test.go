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

func TestShouldRetry(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	noResp := &noResponseError{err: io.ErrUnexpectedEOF}
	resp := func(code int) *http.Response { return &http.Response{StatusCode: code} }
	tests := []struct {
		name string
		ctx  context.Context
		resp *http.Response
		err  error
		want bool
	}{
		{"success", context.Background(), resp(200), nil, false},
		{"429", context.Background(), resp(429), &APIError{StatusCode: 429}, true},
		{"500", context.Background(), resp(500), &APIError{StatusCode: 500}, true},
		{"502", context.Background(), resp(502), &APIError{StatusCode: 502}, true},
		{"503", context.Background(), resp(503), &APIError{StatusCode: 503}, true},
		{"504", context.Background(), resp(504), &APIError{StatusCode: 504}, true},
		{"501 not retried", context.Background(), resp(501), &APIError{StatusCode: 501}, false},
		{"400", context.Background(), resp(400), &APIError{StatusCode: 400}, false},
		{"401", context.Background(), resp(401), &APIError{StatusCode: 401}, false},
		{"404", context.Background(), resp(404), &APIError{StatusCode: 404}, false},
		{"409", context.Background(), resp(409), &APIError{StatusCode: 409}, false},
		{"2xx with broken body", context.Background(), resp(200), io.ErrUnexpectedEOF, false},
		{"no response", context.Background(), nil, noResp, true},
		{"timeout", context.Background(), nil, &noResponseError{err: context.DeadlineExceeded}, true},
		{"bad certificate", context.Background(), nil, &noResponseError{err: x509.UnknownAuthorityError{}}, false},
		{"other local error", context.Background(), nil, errors.New("building request"), false},
		{"cancelled ctx never retries", cancelled, resp(503), &APIError{StatusCode: 503}, false},
		{"cancelled ctx no response", cancelled, nil, noResp, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, shouldRetry(tt.ctx, tt.resp, tt.err))
		})
	}
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
	const ms = time.Millisecond
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

	tests := []struct {
		name       string
		maxRetries int
		replies    []reply
		wantErr    error // nil: success
		wantNoResp bool
		wantWaits  []time.Duration
		wantInfo   CallInfo
	}{
		{
			name: "success first time", maxRetries: 3, replies: []reply{ok},
			wantInfo: CallInfo{Attempts: 1, StatusCode: 200},
		},
		{
			name: "500 then success", maxRetries: 3, replies: []reply{status(500), ok},
			wantWaits: []time.Duration{50 * ms},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Waited: 50 * ms},
		},
		{
			name: "502 503 504 then success with growing backoff", maxRetries: 3,
			replies:   []reply{status(502), status(503), status(504), ok},
			wantWaits: []time.Duration{50 * ms, 100 * ms, 200 * ms},
			wantInfo:  CallInfo{Attempts: 4, StatusCode: 200, Retries: 3, Waited: 350 * ms},
		},
		{
			name: "500 until retries run out", maxRetries: 2,
			replies: []reply{status(500), status(500), status(500)}, wantErr: ErrServer,
			wantWaits: []time.Duration{50 * ms, 100 * ms},
			wantInfo:  CallInfo{Attempts: 3, StatusCode: 500, Retries: 2, Waited: 150 * ms},
		},
		{
			name: "backoff capped by max delay", maxRetries: 6,
			replies:   []reply{status(500), status(500), status(500), status(500), status(500), ok},
			wantWaits: []time.Duration{50 * ms, 100 * ms, 200 * ms, 400 * ms, 500 * ms},
			wantInfo:  CallInfo{Attempts: 6, StatusCode: 200, Retries: 5, Waited: 1250 * ms},
		},
		{
			name: "default policy makes one attempt", maxRetries: 0,
			replies: []reply{status(500)}, wantErr: ErrServer,
			wantInfo: CallInfo{Attempts: 1, StatusCode: 500},
		},
		{
			name: "400 not retried", maxRetries: 3, replies: []reply{status(400)}, wantErr: ErrBadRequest,
			wantInfo: CallInfo{Attempts: 1, StatusCode: 400},
		},
		{
			name: "404 not retried", maxRetries: 3, replies: []reply{status(404)}, wantErr: ErrNotFound,
			wantInfo: CallInfo{Attempts: 1, StatusCode: 404},
		},
		{
			name: "401 not retried", maxRetries: 3, replies: []reply{status(401)}, wantErr: ErrAuth,
			wantInfo: CallInfo{Attempts: 1, StatusCode: 401},
		},
		{
			name: "429 retry-after seconds honoured beyond max delay", maxRetries: 3,
			replies:   []reply{retryAfter(429, "3"), ok},
			wantWaits: []time.Duration{3 * time.Second},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Waited: 3 * time.Second},
		},
		{
			name: "429 retry-after http date", maxRetries: 3,
			replies:   []reply{retryAfter(429, now.Add(20*time.Second).Format(http.TimeFormat)), ok},
			wantWaits: []time.Duration{20 * time.Second},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Waited: 20 * time.Second},
		},
		{
			name: "429 without retry-after backs off", maxRetries: 3,
			replies:   []reply{status(429), ok},
			wantWaits: []time.Duration{50 * ms},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Waited: 50 * ms},
		},
		{
			name: "429 until retries run out", maxRetries: 1,
			replies: []reply{retryAfter(429, "1"), retryAfter(429, "1")}, wantErr: ErrRateLimited,
			wantWaits: []time.Duration{time.Second},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 429, Retries: 1, Waited: time.Second},
		},
		{
			name: "503 retry-after", maxRetries: 1, replies: []reply{retryAfter(503, "4"), ok},
			wantWaits: []time.Duration{4 * time.Second},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Waited: 4 * time.Second},
		},
		{
			name: "dropped connection then success counts a resend", maxRetries: 3,
			replies:   []reply{drop, ok},
			wantWaits: []time.Duration{50 * ms},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Resends: 1, Waited: 50 * ms},
		},
		{
			name: "dropped every time", maxRetries: 2,
			replies: []reply{drop, drop, drop}, wantNoResp: true,
			wantWaits: []time.Duration{50 * ms, 100 * ms},
			wantInfo:  CallInfo{Attempts: 3, StatusCode: 0, Retries: 2, Resends: 2, Waited: 150 * ms},
		},
		{
			name: "500 then dropped keeps last status seen", maxRetries: 1,
			replies: []reply{status(500), drop}, wantNoResp: true,
			wantWaits: []time.Duration{50 * ms},
			wantInfo:  CallInfo{Attempts: 2, StatusCode: 500, Retries: 1, Waited: 50 * ms},
		},
		{
			name: "dropped then 500 then success", maxRetries: 3,
			replies:   []reply{drop, status(500), ok},
			wantWaits: []time.Duration{50 * ms, 100 * ms},
			wantInfo:  CallInfo{Attempts: 3, StatusCode: 200, Retries: 2, Resends: 1, Waited: 150 * ms},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.replies...)
			sleeper := &sleepRecorder{}
			c := api.newClient(t, withClock(func() time.Time { return now }), WithRetry(RetryPolicy{
				MaxRetries: tt.maxRetries, BaseDelay: 100 * ms, MaxDelay: time.Second,
				Sleep: sleeper.sleep, Rand: fixedRand(0.5),
			}))
			body := []byte(`{"leadsByAccountId":{"18":[{"firstName":"A"}]}}`)
			info := CallInfo{Attempts: 99} // must be reset by the call
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
			assert.Equal(t, tt.wantInfo, info)

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
		{"hang then success", 1, []reply{{hang: true}, {status: 200}}, false, CallInfo{Attempts: 2, StatusCode: 200, Retries: 1, Resends: 1}},
		{"hang without retries", 0, []reply{{hang: true}}, true, CallInfo{Attempts: 1}},
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
			assert.Equal(t, tt.wantInfo, info)
		})
	}
}

// TestCancelStopsWaiting cancels the call while it waits between attempts;
// the default sleeper must return at once with the context's error.
func TestCancelStopsWaiting(t *testing.T) {
	api := newFakeAPI(t, reply{status: 503}, reply{status: 200})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var asked []time.Duration
	c := api.newClient(t, WithRetry(RetryPolicy{
		MaxRetries: 3, BaseDelay: time.Hour, MaxDelay: time.Hour, Rand: fixedRand(1),
		Sleep: func(ctx context.Context, d time.Duration) error {
			asked = append(asked, d)
			cancel() // the user presses Ctrl-C during the wait
			return sleepContext(ctx, d)
		},
	}))
	var info CallInfo
	err := c.AddLead(WithCallInfo(ctx, &info), wire.Lead{})

	require.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, ErrServer, "the last attempt's error is kept")
	assert.False(t, IsNoResponse(err))
	assert.Equal(t, []time.Duration{time.Hour}, asked)
	assert.Equal(t, CallInfo{Attempts: 1, StatusCode: 503, Waited: time.Hour}, info)
	assert.Len(t, api.seenRequests(), 1, "nothing sent after cancel")
}

func TestCancelledBeforeCall(t *testing.T) {
	api := newFakeAPI(t)
	c := api.newClient(t, WithRetry(RetryPolicy{MaxRetries: 3}))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var info CallInfo
	err := c.AddLead(WithCallInfo(ctx, &info), wire.Lead{})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, "POST /lead: context canceled", err.Error())
	assert.Equal(t, CallInfo{}, info)
	assert.Empty(t, api.seenRequests())
}

// TestCancelDuringAttempt cancels while the request is in flight: the error
// says both "cancelled" and "may have been applied".
func TestCancelDuringAttempt(t *testing.T) {
	api := newFakeAPI(t, reply{hang: true})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	c := api.newClient(t, WithRetry(RetryPolicy{MaxRetries: 3, Sleep: (&sleepRecorder{}).sleep}),
		WithHTTPClient(&http.Client{Transport: cancelOnRoundTrip{next: &http.Transport{}, cancel: cancel}}))
	var info CallInfo
	err := c.AddLead(WithCallInfo(ctx, &info), wire.Lead{})
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, IsNoResponse(err))
	assert.Equal(t, CallInfo{Attempts: 1}, info)
}

// cancelOnRoundTrip cancels the call's context once the request is on its way.
type cancelOnRoundTrip struct {
	next   http.RoundTripper
	cancel context.CancelFunc
}

func (c cancelOnRoundTrip) RoundTrip(r *http.Request) (*http.Response, error) {
	go c.cancel()
	resp, err := c.next.RoundTrip(r)
	if err != nil {
		return nil, fmt.Errorf("round trip: %w", err)
	}
	return resp, nil
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
			err := sleepContext(tt.ctx, tt.d)
			if tt.wantErr == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.wantErr)
			}
		})
	}
}

func TestRetryPolicyDefaults(t *testing.T) {
	p := RetryPolicy{MaxRetries: -3}.withDefaults()
	assert.Equal(t, 0, p.MaxRetries)
	require.NotNil(t, p.Sleep)
	require.NotNil(t, p.Rand)
	f := p.Rand()
	assert.True(t, f >= 0 && f < 1)
}
