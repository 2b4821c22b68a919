package notify

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xonvo/xonvo-import/internal/httpwait"
)

// Defaults for Options left zero.
const (
	DefaultAttempts  = 3
	DefaultBaseDelay = time.Second
	DefaultMaxDelay  = 10 * time.Second
	DefaultTimeout   = 10 * time.Second
	defaultUserAgent = "xonvo-import"
	maxErrorBody     = 512 // bytes of a refusing receiver's answer kept in the error
)

// ErrInvalidURL is wrapped by the error for a webhook URL Send refuses before
// sending anything.
var ErrInvalidURL = errors.New("invalid webhook URL")

// HTTPError is a webhook's answer other than 2xx.
type HTTPError struct {
	StatusCode int
	// Body is the start of the answer (Slack says "invalid_payload",
	// "no_service"...), with the webhook URL's secrets masked.
	Body       string
	retryAfter time.Duration
}

// Error says what the receiver answered.
func (e *HTTPError) Error() string {
	msg := fmt.Sprintf("the webhook answered %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// Options configures Send. The zero value is ready to use.
type Options struct {
	// HTTPClient sends the requests; nil means a new client with
	// DefaultTimeout that does not follow redirects (a redirected POST
	// would arrive as a GET and be lost).
	HTTPClient *http.Client
	// Attempts is the most requests made, the first included; 0 means
	// DefaultAttempts.
	Attempts int
	// BaseDelay and MaxDelay bound the full-jitter backoff before retry n
	// (from 0): rand in [0, min(MaxDelay, BaseDelay*2^n)]. A Retry-After
	// on 429/503 is honoured up to MaxDelay. 0 means the defaults.
	BaseDelay, MaxDelay time.Duration
	// Sleep waits d or until ctx is done (then returning ctx.Err()); nil
	// means a timer raced against ctx. Tests inject their own.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns a number in [0, 1) for the jitter; nil means
	// math/rand/v2.
	Rand func() float64
	// UserAgent is sent as User-Agent; "" means "xonvo-import".
	UserAgent string
}

func (o Options) withDefaults() Options {
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{
			Timeout:       DefaultTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	if o.Attempts <= 0 {
		o.Attempts = DefaultAttempts
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = DefaultBaseDelay
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = DefaultMaxDelay
	}
	if o.Sleep == nil {
		o.Sleep = httpwait.Sleep
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	if o.UserAgent == "" {
		o.UserAgent = defaultUserAgent
	}
	return o
}

// Send posts m as one JSON object (see Payload) to the Slack, Microsoft Teams
// or other incoming webhook at webhookURL. No answer, 429 and 5xx are retried
// with capped jittered backoff up to o.Attempts requests; any other answer
// than 2xx is final. Errors name the webhook by scheme and host only: the
// path, query and user info of a webhook URL are its secret.
func Send(ctx context.Context, webhookURL string, m Message, o Options) error {
	u, err := url.Parse(strings.TrimSpace(webhookURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: want an http or https URL with a host", ErrInvalidURL)
	}
	shown := u.Scheme + "://" + u.Host
	body, err := Payload(m)
	if err != nil {
		return err
	}
	o = o.withDefaults()
	s := scrubber(u)

	for attempt := 1; ; attempt++ {
		err := post(ctx, u.String(), body, o, s)
		if err == nil {
			return nil
		}
		if attempt >= o.Attempts || !shouldRetry(ctx, err) {
			return fmt.Errorf("notify %s: %s: %w", shown, attempts(attempt), err)
		}
		if serr := o.Sleep(ctx, o.delay(attempt-1, err)); serr != nil {
			return fmt.Errorf("notify %s: %s, then %w: %w", shown, attempts(attempt), serr, err)
		}
	}
}

// post makes one request. A transport error is returned without the
// *url.Error around it, which would quote the secret URL.
func post(ctx context.Context, target string, body []byte, o Options, scrub *strings.Replacer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return noURL(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", o.UserAgent)
	resp, err := o.HTTPClient.Do(req)
	if err != nil {
		return noURL(err)
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	// Drain a little more so the connection can be reused; give up on a
	// receiver that keeps talking.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	return &HTTPError{
		StatusCode: resp.StatusCode,
		Body:       scrub.Replace(cleanBody(head)),
		retryAfter: httpwait.RetryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
}

// shouldRetry is the one place that decides whether an attempt is worth
// repeating: never once ctx is done; on no answer, 429 and 5xx.
func shouldRetry(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var he *HTTPError
	if errors.As(err, &he) {
		return he.StatusCode == http.StatusTooManyRequests || he.StatusCode >= 500
	}
	return true // no response came
}

// delay is the wait before retry n (from 0): the receiver's Retry-After when
// it gave one, else full jitter; both capped at MaxDelay.
func (o Options) delay(n int, err error) time.Duration {
	var he *HTTPError
	if errors.As(err, &he) && he.retryAfter > 0 {
		return min(he.retryAfter, o.MaxDelay)
	}
	ceiling := o.BaseDelay
	for i := 0; i < n && ceiling < o.MaxDelay; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, o.MaxDelay)
	f := o.Rand()
	if f < 0 || f >= 1 || math.IsNaN(f) {
		f = 1
	}
	return time.Duration(f * float64(ceiling))
}

// attempts is "1 attempt" or "N attempts".
func attempts(n int) string {
	if n == 1 {
		return "1 attempt"
	}
	return strconv.Itoa(n) + " attempts"
}

// noURL unwraps a *url.Error, whose message quotes the request URL.
func noURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// scrubber masks the parts of the webhook URL that may be secret wherever a
// receiver's answer repeats them.
func scrubber(u *url.URL) *strings.Replacer {
	var pairs []string
	add := func(s string) {
		if len(s) >= 4 { // shorter would mask innocent text
			pairs = append(pairs, s, "***")
		}
	}
	add(u.String())
	add(u.EscapedPath())
	add(u.Path)
	add(u.RawQuery)
	if u.User != nil {
		add(u.User.String())
		if p, ok := u.User.Password(); ok {
			// Go sends URL user info as Basic auth: mask that header too.
			add(base64.StdEncoding.EncodeToString([]byte(u.User.Username() + ":" + p)))
			add(p)
		}
	}
	for _, seg := range strings.Split(u.Path, "/") {
		add(seg)
	}
	for _, vs := range u.Query() {
		for _, v := range vs {
			add(v)
		}
	}
	return strings.NewReplacer(pairs...)
}

// cleanBody keeps an answer's printable text on one line.
func cleanBody(b []byte) string {
	if !utf8.Valid(b) {
		return fmt.Sprintf("(%d bytes, not text)", len(b))
	}
	return strings.TrimSpace(oneLine(string(b)))
}
