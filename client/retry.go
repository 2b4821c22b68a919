package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says how often and how patiently a call is retried. The zero
// value makes one attempt and never retries.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt.
	MaxRetries int
	// BaseDelay and MaxDelay bound a capped exponential backoff with full
	// jitter: retry n (from 0) waits rand in [0, min(MaxDelay, BaseDelay*2^n)].
	// MaxDelay <= 0 means no cap. A Retry-After from the server replaces it.
	BaseDelay, MaxDelay time.Duration
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
	if p.Sleep == nil {
		p.Sleep = sleepContext
	}
	if p.Rand == nil {
		p.Rand = rand.Float64
	}
	return p
}

// delay is how long to wait before retry n after err: the server's
// Retry-After when it gave one, else the jittered backoff.
func (p RetryPolicy) delay(n int, err error) time.Duration {
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.RetryAfter > 0 {
		return apiErr.RetryAfter
	}
	return p.backoff(n)
}

// backoff is the full-jitter delay before retry n (0 for the first retry).
func (p RetryPolicy) backoff(n int) time.Duration {
	if p.BaseDelay <= 0 {
		return 0
	}
	ceiling := p.BaseDelay
	for i := 0; i < n; i++ {
		if p.MaxDelay > 0 && ceiling >= p.MaxDelay {
			break
		}
		if ceiling > math.MaxInt64/2 {
			ceiling = math.MaxInt64
			break
		}
		ceiling *= 2
	}
	if p.MaxDelay > 0 && ceiling > p.MaxDelay {
		ceiling = p.MaxDelay
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
// worth another attempt. The retry budget is checked by the caller.
func shouldRetry(ctx context.Context, resp *http.Response, err error) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	if resp != nil {
		switch resp.StatusCode {
		case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
			http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return true
		}
		// Any other answer, including a 2xx whose body broke off, is final:
		// other 4xx will not change, and a 2xx was applied.
		return false
	}
	if !IsNoResponse(err) {
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

// sleepContext is the default RetryPolicy.Sleep: a timer raced against ctx.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// parseRetryAfter reads a Retry-After value, delta-seconds or HTTP date;
// 0 when absent, unparsable or in the past.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(math.MaxInt64/time.Second) {
			return time.Duration(math.MaxInt64)
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
