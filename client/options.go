package client

import (
	"net/http"
	"time"

	"golang.org/x/time/rate"

	"github.com/xonvo/xonvo-import/adaptive"
)

// Option configures a Client in New.
type Option func(*Client)

// WithCredentials sets the HTTP Basic credentials sent on every request.
func WithCredentials(username, password string) Option {
	return func(c *Client) { c.username, c.password = username, password }
}

// WithHTTPClient replaces the default HTTP client (keep-alives, 64 idle
// connections per host, redirects not followed). Nil keeps the default.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) { c.hc = hc }
}

// WithTimeout bounds each attempt (request and response body), not the whole
// call with its retries; the caller's ctx bounds that. 0 means no limit.
func WithTimeout(d time.Duration) Option {
	return func(c *Client) { c.timeout = max(d, 0) }
}

// WithBodyIdleTimeout ends an attempt whose response body sends no byte for
// d (default DefaultBodyIdleTimeout): a server that sent its headers and
// then stalls is retried sooner than the per-attempt timeout would allow.
// 0 turns the idle limit off, leaving only WithTimeout.
func WithBodyIdleTimeout(d time.Duration) Option {
	return func(c *Client) { c.bodyIdle = max(d, 0) }
}

// WithUserAgent sets the User-Agent to "xonvo-import/<version>"; an empty
// version keeps "dev".
func WithUserAgent(version string) Option {
	return func(c *Client) {
		if version == "" {
			version = defaultVersion
		}
		c.userAgent = userAgentPrefix + version
	}
}

// WithRateLimiter makes every attempt, retries included, wait for a token
// from l. Nil means no client-side limit.
func WithRateLimiter(l *rate.Limiter) Option {
	return func(c *Client) { c.limiter = l }
}

// WithConcurrencyLimiter caps the attempts in flight with l, which adapts
// the cap to the latency it sees (package adaptive). Each attempt, retries
// included, holds a slot from before it waits for a token until its answer
// is read; a backoff sleep holds none. The token bucket (WithRateLimiter)
// stays the one thing that decides when an attempt may start.
func WithConcurrencyLimiter(l *adaptive.Limiter) Option {
	return func(c *Client) { c.slots = l }
}

// WithRetry sets the retry policy. The default makes no retries.
func WithRetry(p RetryPolicy) Option {
	return func(c *Client) { c.retry = p }
}

// withClock replaces the clock used to read HTTP-date Retry-After values.
// Tests only.
func withClock(now func() time.Time) Option {
	return func(c *Client) { c.now = now }
}
