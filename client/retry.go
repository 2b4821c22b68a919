package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/xonvo/xonvo-import/internal/httpwait"
)

// DefaultMaxWait is RetryPolicy.MaxWait when left zero: the CLI's
// --max-retry-wait default.
const DefaultMaxWait = 5 * time.Minute

// RetryPolicy says how often and how patiently a call is retried. The zero
// value makes one attempt and never retries.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt.
	MaxRetries int
	// BaseDelay and MaxDelay bound a capped exponential backoff with full
	// jitter: retry n (from 0) waits rand in [0, min(MaxDelay, BaseDelay*2^n)].
	// MaxDelay <= 0 means no cap. A Retry-After from the server replaces it.
	BaseDelay, MaxDelay time.Duration
	// MaxWait is the longest single wait the call accepts. A Retry-After
	// beyond it ends the call at once with a *RetryAfterError (even when no
	// retry is left: the caller learns the run cannot go on), and the
	// backoff never exceeds it. 0 means DefaultMaxWait; negative, no limit.
	MaxWait time.Duration
	// Sleep waits d or until ctx is done, returning ctx.Err() in that case.
	// Nil means a timer raced against ctx.Done(); tests inject their own.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns a number in [0, 1); nil means math/rand/v2.Float64.
	Rand func() float64
}

// withDefaults fills the hooks left nil and clamps nonsense values.
func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxRetries < 0 {
		p.MaxRetries = 0
	}
	switch {
	case p.MaxWait == 0:
		p.MaxWait = DefaultMaxWait
	case p.MaxWait < 0:
		p.MaxWait = 0 // no limit from here on
	}
	if p.Sleep == nil {
		p.Sleep = httpwait.Sleep
	}
	if p.Rand == nil {
		p.Rand = rand.Float64
	}
	return p
}

// delay is how long to wait before retry n after err: the server's
// Retry-After when it gave one (fromServer), else the jittered backoff.
func (p RetryPolicy) delay(n int, err error) (d time.Duration, fromServer bool) {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
		return apiErr.RetryAfter, true
	}
	return p.backoff(n), false
}

// backoff is the full-jitter delay before retry n (0 for the first retry).
// Its ceiling is the smaller of MaxDelay and MaxWait, where set.
func (p RetryPolicy) backoff(n int) time.Duration {
	if p.BaseDelay <= 0 {
		return 0
	}
	limit := p.MaxDelay
	if p.MaxWait > 0 && (limit <= 0 || p.MaxWait < limit) {
		limit = p.MaxWait
	}
	ceiling := p.BaseDelay
	for i := 0; i < n; i++ {
		if limit > 0 && ceiling >= limit {
			break
		}
		if ceiling > math.MaxInt64/2 {
			ceiling = math.MaxInt64
			break
		}
		ceiling *= 2
	}
	if limit > 0 && ceiling > limit {
		ceiling = limit
	}
	f := p.Rand()
	if f < 0 || math.IsNaN(f) {
		f = 0
	}
	d := time.Duration(f * float64(ceiling))
	if d < 0 || d > ceiling || f >= 1 {
		d = ceiling
	}
	return d
}

// shouldRetry is the one place that decides whether an attempt's outcome is
// worth another attempt; status is 0 when no response came. The retry
// budget and the Retry-After limit are checked by the caller.
func shouldRetry(ctx context.Context, r *request, status int, err error) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	if errors.Is(err, ErrBodyIncomplete) {
		// A 2xx whose body broke off or stalled was applied: a resend is
		// safe for what the API keys (leads by externalId), not otherwise.
		return !r.noResend
	}
	if status != 0 {
		switch status {
		case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusServiceUnavailable:
			return true
		case http.StatusBadGateway, http.StatusGatewayTimeout:
			// A gateway may give up on a request its backend goes on to apply.
			return !r.noResend
		}
		// Any other answer is final: other 4xx will not change, and a
		// NotAPIError will not become the API.
		return false
	}
	if !IsNoResponse(err) || r.noResend {
		return false
	}
	// A certificate the client refuses will be refused again.
	var (
		unknownAuth x509.UnknownAuthorityError
		hostname    x509.HostnameError
		invalid     x509.CertificateInvalidError
		verify      *tls.CertificateVerificationError
	)
	if errors.As(err, &unknownAuth) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verify) {
		return false
	}
	return true
}

// RetryAfterError ends a call whose server asked, with Retry-After, to wait
// longer than RetryPolicy.MaxWait: waiting silently for hours (or, for a
// date in 9999, forever) is worse than stopping. It matches
// ErrRetryAfterTooLong, and unwraps to the answer that carried the header
// (an *APIError for a 429 or 503).
type RetryAfterError struct {
	Wait    time.Duration // what the server asked for
	MaxWait time.Duration // the limit it exceeds
	// Until is when the server said to come back; zero when that is more
	// than a century away.
	Until time.Time
	Err   error
}

// Error says how long the server asked to wait and what to do.
func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("%v: the server asked to wait %s (more than --max-retry-wait %s); rerun later with --resume",
		e.Err, e.Wait.Truncate(time.Second), e.MaxWait)
}

// Unwrap returns the answer that carried the Retry-After.
func (e *RetryAfterError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrRetryAfterTooLong) true.
func (e *RetryAfterError) Is(target error) bool { return target == ErrRetryAfterTooLong }
