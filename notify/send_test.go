package notify

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// answer is one reply of a receiver; hangUp closes the connection instead.
type answer struct {
	status     int
	body       string
	retryAfter string
	hangUp     bool
	location   string
}

// receiver is a webhook that records each request and replies with the next
// answer, repeating the last one.
type receiver struct {
	t       *testing.T
	srv     *httptest.Server
	answers []answer
	mu      sync.Mutex
	got     []recordedRequest
}

type recordedRequest struct {
	method, contentType, userAgent string
	body                           []byte
	dump                           string // the whole request as it arrived
}

func newReceiver(t *testing.T, answers ...answer) *receiver {
	t.Helper()
	r := &receiver{t: t, answers: answers}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	dump, err := httputil.DumpRequest(req, true)
	require.NoError(r.t, err)
	body, err := io.ReadAll(req.Body)
	require.NoError(r.t, err)
	r.mu.Lock()
	n := len(r.got)
	r.got = append(r.got, recordedRequest{method: req.Method, contentType: req.Header.Get("Content-Type"),
		userAgent: req.Header.Get("User-Agent"), body: body, dump: string(dump)})
	r.mu.Unlock()

	a := r.answers[min(n, len(r.answers)-1)]
	if a.hangUp {
		conn, _, err := w.(http.Hijacker).Hijack()
		require.NoError(r.t, err)
		_ = conn.Close()
		return
	}
	if a.retryAfter != "" {
		w.Header().Set("Retry-After", a.retryAfter)
	}
	if a.location != "" {
		w.Header().Set("Location", a.location)
	}
	w.WriteHeader(a.status)
	body2 := strings.ReplaceAll(a.body, "{uri}", req.RequestURI)
	body2 = strings.ReplaceAll(body2, "{auth}", req.Header.Get("Authorization"))
	_, _ = io.WriteString(w, body2)
}

func (r *receiver) requests() []recordedRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recordedRequest(nil), r.got...)
}

// sleeper records the waits Send asks for instead of sleeping.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeper) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.waits)
}

func TestSendSuccess(t *testing.T) {
	rcv := newReceiver(t, answer{status: http.StatusOK, body: "ok"})
	var s sleeper
	require.NoError(t, Send(context.Background(), rcv.srv.URL+"/hook", failedMessage(), Options{Sleep: s.sleep}))

	got := rcv.requests()
	require.Len(t, got, 1)
	assert.Equal(t, http.MethodPost, got[0].method)
	assert.Equal(t, "application/json", got[0].contentType)
	assert.Equal(t, "xonvo-import", got[0].userAgent)
	want, err := Payload(failedMessage())
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got[0].body))
	assert.Zero(t, s.count(), "no wait after a success")
}

func TestSendRetries(t *testing.T) {
	tests := []struct {
		name         string
		answers      []answer
		attempts     int // Options.Attempts
		wantRequests int
		wantStatus   int    // status of the final *HTTPError; 0 for success or no answer
		wantErr      string // substring; "" for success
	}{
		{name: "500 then success", answers: []answer{{status: 500}, {status: 200}}, wantRequests: 2},
		{name: "429, 503, then success", answers: []answer{{status: 429}, {status: 503}, {status: 204}}, wantRequests: 3},
		{name: "no answer, then success", answers: []answer{{hangUp: true}, {status: 200}}, wantRequests: 2},
		{name: "always 503", answers: []answer{{status: 503, body: "busy"}}, wantRequests: 3, wantStatus: 503,
			wantErr: "3 attempts: the webhook answered 503 Service Unavailable: busy"},
		{name: "never an answer", answers: []answer{{hangUp: true}}, wantRequests: 3, wantErr: "3 attempts: "},
		{name: "more attempts", answers: []answer{{status: 500}}, attempts: 5, wantRequests: 5, wantStatus: 500,
			wantErr: "5 attempts"},
		{name: "one attempt", answers: []answer{{status: 500}}, attempts: 1, wantRequests: 1, wantStatus: 500,
			wantErr: "notify http://127.0.0.1:"},
		{name: "400 is final", answers: []answer{{status: 400, body: "invalid_payload"}}, wantRequests: 1, wantStatus: 400,
			wantErr: "1 attempt: the webhook answered 400 Bad Request: invalid_payload"},
		{name: "404 is final", answers: []answer{{status: 404, body: "no_service"}}, wantRequests: 1, wantStatus: 404,
			wantErr: "404 Not Found: no_service"},
		{name: "403 is final", answers: []answer{{status: 403}}, wantRequests: 1, wantStatus: 403, wantErr: "403 Forbidden"},
		{name: "a redirect is not followed", answers: []answer{{status: 302, location: "/elsewhere"}, {status: 200}},
			wantRequests: 1, wantStatus: 302, wantErr: "302 Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rcv := newReceiver(t, tt.answers...)
			var s sleeper
			err := Send(context.Background(), rcv.srv.URL+"/hook", failedMessage(),
				Options{Sleep: s.sleep, Attempts: tt.attempts})
			assert.Len(t, rcv.requests(), tt.wantRequests)
			assert.Equal(t, tt.wantRequests-1, s.count(), "one wait between two attempts")
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			var he *HTTPError
			if tt.wantStatus != 0 {
				require.ErrorAs(t, err, &he)
				assert.Equal(t, tt.wantStatus, he.StatusCode)
			} else {
				assert.False(t, errors.As(err, &he), "no answer is not an HTTP error")
			}
		})
	}
}

func TestSendToClosedPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	var s sleeper
	err = Send(context.Background(), "http://"+addr+"/hook", failedMessage(), Options{Sleep: s.sleep})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "notify http://"+addr+": 3 attempts: ")
	assert.Contains(t, err.Error(), "connection refused")
	assert.Equal(t, 2, s.count())
}

func TestSendStopsWhenContextEnds(t *testing.T) {
	rcv := newReceiver(t, answer{status: 503})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sleep := func(ctx context.Context, _ time.Duration) error {
		cancel()
		return ctx.Err()
	}
	err := Send(ctx, rcv.srv.URL, failedMessage(), Options{Sleep: sleep})
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "1 attempt, then context canceled")
	var he *HTTPError
	require.ErrorAs(t, err, &he, "the last answer is kept")
	assert.Len(t, rcv.requests(), 1)

	err = Send(ctx, rcv.srv.URL, failedMessage(), Options{Sleep: sleep})
	require.ErrorIs(t, err, context.Canceled, "a cancelled context sends nothing more")
	assert.Len(t, rcv.requests(), 1)
}

func TestDelay(t *testing.T) {
	almostOne := func() float64 { return 0.999999 }
	half := func() float64 { return 0.5 }
	tests := []struct {
		name string
		opts Options
		n    int
		err  error
		want time.Duration
	}{
		{name: "first retry", opts: Options{Rand: almostOne}, n: 0, want: 999999 * time.Microsecond},
		{name: "doubles", opts: Options{Rand: half}, n: 2, want: 2 * time.Second},
		{name: "capped", opts: Options{Rand: almostOne}, n: 10, want: 9999990 * time.Microsecond},
		{name: "huge n stays capped", opts: Options{Rand: half}, n: 1000, want: 5 * time.Second},
		{name: "jitter may be zero", opts: Options{Rand: func() float64 { return 0 }}, n: 3, want: 0},
		{name: "bad rand means the ceiling", opts: Options{Rand: func() float64 { return 2 }}, n: 1, want: 2 * time.Second},
		{name: "custom base and cap", opts: Options{Rand: half, BaseDelay: 100 * time.Millisecond, MaxDelay: 300 * time.Millisecond},
			n: 5, want: 150 * time.Millisecond},
		{name: "Retry-After honoured", opts: Options{Rand: half}, n: 0,
			err: &HTTPError{StatusCode: 429, retryAfter: 7 * time.Second}, want: 7 * time.Second},
		{name: "Retry-After capped", opts: Options{Rand: half}, n: 0,
			err: &HTTPError{StatusCode: 503, retryAfter: time.Hour}, want: DefaultMaxDelay},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err
			if err == nil {
				err = &HTTPError{StatusCode: 500}
			}
			assert.Equal(t, tt.want, tt.opts.withDefaults().delay(tt.n, err))
		})
	}
}

func TestSendHonoursRetryAfter(t *testing.T) {
	rcv := newReceiver(t, answer{status: 429, retryAfter: "4"}, answer{status: 200})
	var s sleeper
	require.NoError(t, Send(context.Background(), rcv.srv.URL, failedMessage(), Options{Sleep: s.sleep}))
	assert.Equal(t, []time.Duration{4 * time.Second}, s.waits)
}

func TestSendNeverLeaksSecrets(t *testing.T) {
	// apiPassword stands for a credential the CLI holds (the XONVO API
	// password): it is given nowhere in the message, so it must appear
	// nowhere in what is sent or returned.
	const apiPassword = "Xonvo-API-pa55word-4711"
	const (
		urlPassword = "Hook-User-Secret-99"
		pathSecret  = "XsecretPathTokenX"
		querySecret = "Q-Secret-Token-42"
	)
	basic := base64.StdEncoding.EncodeToString([]byte("hookuser:" + urlPassword))
	secrets := []string{apiPassword, urlPassword, pathSecret, querySecret, basic}
	echo := answer{status: 500, body: "cannot deliver {uri} for {auth}"}
	tests := []struct {
		name    string
		answers []answer
	}{
		{name: "receiver echoes the request URL and credentials", answers: []answer{echo}},
		{name: "receiver hangs up", answers: []answer{{hangUp: true}}},
		{name: "receiver refuses with 400", answers: []answer{{status: 400, body: "bad hook {uri}"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rcv := newReceiver(t, tt.answers...)
			host := strings.TrimPrefix(rcv.srv.URL, "http://")
			hook := "http://hookuser:" + urlPassword + "@" + host + "/services/T0/" + pathSecret + "?token=" + querySecret
			var s sleeper
			err := Send(context.Background(), hook, failedMessage(), Options{Sleep: s.sleep})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "notify http://"+host+":")
			for e := error(err); e != nil; e = errors.Unwrap(e) {
				for _, secret := range secrets {
					assert.NotContains(t, e.Error(), secret)
				}
			}
			for _, req := range rcv.requests() {
				for _, secret := range secrets {
					assert.NotContains(t, string(req.body), secret, "the body carries no secret")
				}
				assert.Contains(t, req.dump, "Authorization: Basic "+basic,
					"the URL's own user info goes to its own host as Basic auth, nowhere else")
				assert.NotContains(t, req.dump, apiPassword, "nothing sent carries the API password")
			}
		})
	}

	t.Run("unreachable host", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		require.NoError(t, l.Close())
		hook := "http://hookuser:" + urlPassword + "@" + addr + "/services/" + pathSecret + "?token=" + querySecret
		err = Send(context.Background(), hook, failedMessage(), Options{Sleep: (&sleeper{}).sleep})
		require.Error(t, err)
		for _, secret := range secrets {
			assert.NotContains(t, err.Error(), secret)
		}
	})
}

func TestSendRefusesBadURL(t *testing.T) {
	const secret = "S3cret-In-URL"
	tests := []struct {
		name string
		url  string
	}{
		{name: "empty", url: ""},
		{name: "no scheme", url: "hooks.example/services/" + secret},
		{name: "other scheme", url: "ftp://u:" + secret + "@hooks.example/x"},
		{name: "no host", url: "https:///services/" + secret},
		{name: "does not parse", url: "http://u:" + secret + "@[::1/x?token=" + secret},
		{name: "control character", url: "https://hooks.example/\x7f" + secret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Send(context.Background(), tt.url, failedMessage(), Options{})
			require.ErrorIs(t, err, ErrInvalidURL)
			assert.NotContains(t, err.Error(), secret)
		})
	}
}

func TestScrubber(t *testing.T) {
	u := mustParse(t, "https://user:pw-secret@hooks.example/services/T0/B0/abcdef?token=tok-secret")
	got := scrubber(u).Replace("echo https://user:pw-secret@hooks.example/services/T0/B0/abcdef?token=tok-secret " +
		"and /services/T0/B0/abcdef and abcdef and tok-secret and pw-secret")
	for _, s := range []string{"pw-secret", "abcdef", "tok-secret"} {
		assert.NotContains(t, got, s)
	}
	assert.Contains(t, got, "echo ***")
}

func TestCleanBody(t *testing.T) {
	assert.Equal(t, "line one line two", cleanBody([]byte(" line one\nline two\n")))
	assert.Equal(t, "(3 bytes, not text)", cleanBody([]byte{0xff, 0xfe, 0x00}))
}

func mustParse(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}
