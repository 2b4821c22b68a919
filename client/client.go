package client

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/xonvo/xonvo-import/adaptive"
)

// DefaultTimeout bounds one attempt when WithTimeout is not given.
const DefaultTimeout = 60 * time.Second

// DefaultBodyIdleTimeout ends an attempt whose response body sends no byte
// for this long, when WithBodyIdleTimeout is not given.
const DefaultBodyIdleTimeout = 30 * time.Second

const (
	userAgentPrefix = "xonvo-import/"
	defaultVersion  = "dev"
	maxSuccessBody  = 8 << 20  // bytes read from a 2xx response
	writeBufferSize = 64 << 10 // a connection's write buffer: a typical bulk request whole
)

// Client calls the XONVO External API. It is safe for concurrent use; build
// it with New.
type Client struct {
	base      string // scheme://host/prefix, no trailing slash, no userinfo
	hc        *http.Client
	username  string
	password  string
	userAgent string
	timeout   time.Duration
	bodyIdle  time.Duration // 0: no idle limit on reading a response body
	limiter   *rate.Limiter
	slots     *adaptive.Limiter // nil: no cap on attempts in flight
	pacing    chan struct{}     // one caller at a time waits on limiter
	retry     RetryPolicy
	onWait    func(context.Context, WaitEvent) // nil: waits are not reported
	secrets   []string                         // forms of the password to mask in messages
	now       func() time.Time
}

// New returns a client for the API at baseURL, which may carry a path
// prefix (https://h/api/external); endpoint paths are joined onto it.
// baseURL must be http or https and must not carry userinfo, a query or a
// fragment: credentials go through WithCredentials.
func New(baseURL string, opts ...Option) (*Client, error) {
	c := &Client{
		userAgent: userAgentPrefix + defaultVersion,
		timeout:   DefaultTimeout,
		bodyIdle:  DefaultBodyIdleTimeout,
		now:       time.Now,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(c)
		}
	}
	c.secrets = passwordForms(c.username, c.password)
	base, err := c.parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	c.base = base
	if c.hc == nil {
		c.hc = newDefaultHTTPClient()
	}
	c.retry = c.retry.withDefaults()
	c.pacing = make(chan struct{}, 1)
	return c, nil
}

// String describes the client without its credentials, so that printing a
// Client (or a struct holding one) cannot leak the password. Value receiver
// on purpose: it must also cover a dereferenced *Client.
func (c Client) String() string { return fmt.Sprintf("client.Client{base: %q}", c.base) }

// GoString is String for %#v.
func (c Client) GoString() string { return c.String() }

func (c *Client) parseBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// url.Error quotes the whole URL, which may hold a secret: keep
		// only the reason, scrubbed.
		reason := err
		var ue *url.Error
		if errors.As(err, &ue) {
			reason = ue.Err
		}
		return "", fmt.Errorf("%w: %s", ErrInvalidBaseURL, c.scrub(reason.Error()))
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("%w: scheme must be http or https", ErrInvalidBaseURL)
	case u.User != nil:
		return "", fmt.Errorf("%w: it must not contain credentials; pass them separately", ErrInvalidBaseURL)
	case u.Host == "" || u.Opaque != "":
		return "", fmt.Errorf("%w: no host", ErrInvalidBaseURL)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", fmt.Errorf("%w: it must not have a query or fragment", ErrInvalidBaseURL)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// newDefaultHTTPClient is tuned for many concurrent requests to one host.
func newDefaultHTTPClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          128,
			MaxIdleConnsPerHost:   64,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
			// A bulk request (100 leads, about 20 KB) then leaves in one
			// write with its headers. With the default 4 KB the body went
			// out in a second write, through a fresh copy buffer of its
			// size each time: two syscalls and an allocation a request.
			WriteBufferSize: writeBufferSize,
		},
		// A redirected POST would be replayed as a GET: surface it instead.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// passwordForms returns the forms in which the password could show up in a
// message: plain, URL-escaped and inside the Basic Authorization value,
// longest first so a shorter form never breaks a longer one. Nil when there
// is no password.
func passwordForms(username, password string) []string {
	if password == "" {
		return nil
	}
	forms := []string{
		base64.StdEncoding.EncodeToString([]byte(username + ":" + password)),
		url.QueryEscape(password),
		url.PathEscape(password),
		password,
	}
	slices.SortStableFunc(forms, func(a, b string) int { return len(b) - len(a) })
	return slices.Compact(forms)
}

// scrub removes the password from s.
func (c *Client) scrub(s string) string {
	for _, secret := range c.secrets {
		s = maskSecret(s, secret)
	}
	return s
}

// minSubstringSecret is the length from which a secret is masked wherever it
// occurs. A shorter one is masked only where it stands alone (not touching a
// letter or digit): masking every "p" would garble "dial tcp" into nonsense.
const minSubstringSecret = 6

func maskSecret(s, secret string) string {
	const mask = "***"
	if len(secret) >= minSubstringSecret {
		return strings.ReplaceAll(s, secret, mask)
	}
	var b strings.Builder
	done := 0 // s[:done] is already in b
	for from := 0; from <= len(s); {
		i := strings.Index(s[from:], secret)
		if i < 0 {
			break
		}
		start, end := from+i, from+i+len(secret)
		if !isAlnumAt(s, start-1) && !isAlnumAt(s, end) {
			b.WriteString(s[done:start])
			b.WriteString(mask)
			done = end
		}
		from = end
	}
	b.WriteString(s[done:])
	return b.String()
}

// isAlnumAt reports whether s[i] is an ASCII letter or digit (false outside s).
func isAlnumAt(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return false
	}
	ch := s[i]
	return ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z'
}

// request is one logical API call, re-sendable as many times as needed.
type request struct {
	method   string
	endpoint string     // escaped path relative to the base, no query
	query    url.Values // nil for none
	body     []byte     // nil for none; a new reader is made per attempt
	// noResend marks a request that is not safe to send twice (it creates
	// something the API does not key): it is not retried when it may
	// already have been applied.
	noResend bool
}

// newRequest builds a request whose body is v encoded as JSON (nil v: none).
func newRequest(method, endpoint string, query url.Values, v any) (*request, error) {
	r := &request{method: method, endpoint: endpoint, query: query}
	if v != nil {
		body, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encoding body: %w", method, endpoint, err)
		}
		r.body = body
	}
	return r, nil
}

// send encodes in (nil: no body), sends it and decodes the answer into out
// (nil: ignored).
func (c *Client) send(ctx context.Context, method, endpoint string, query url.Values, in, out any) error {
	r, err := newRequest(method, endpoint, query, in)
	if err != nil {
		return err
	}
	return c.do(ctx, r, out)
}

// segment escapes one path segment, refusing values that would change the
// path's meaning.
func segment(name, v string) (string, error) {
	switch v {
	case "", ".", "..":
		return "", invalidArgument(name, v)
	}
	return url.PathEscape(v), nil
}

// accountPath is "/accounts/{accountID}" followed by suffix.
func accountPath(accountID, suffix string) (string, error) {
	a, err := segment("account id", accountID)
	if err != nil {
		return "", err
	}
	return "/accounts/" + a + suffix, nil
}

// leadPath is "/accounts/{accountID}/leads/{externalID}" followed by suffix.
func leadPath(accountID, externalID, suffix string) (string, error) {
	e, err := segment("external id", externalID)
	if err != nil {
		return "", err
	}
	return accountPath(accountID, "/leads/"+e+suffix)
}

// invalidArgument is the error for an argument that cannot form a request.
func invalidArgument(name, v string) error {
	return fmt.Errorf("%w: %s %q", ErrInvalidArgument, name, v)
}
