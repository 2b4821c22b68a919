// Package httpwait holds the two waits of an HTTP client that retries: a
// sleep that ends with its context, and the server's Retry-After. The API
// client and the webhook sender share them.
package httpwait

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sleep waits d, or until ctx is done (then it returns ctx.Err()).
func Sleep(ctx context.Context, d time.Duration) error {
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

// RetryAfter reads a Retry-After value, delta-seconds or an HTTP date: 0
// when absent, unparsable or in the past. A wait too long for a Duration
// saturates rather than wrapping, so a caller's limit still refuses it.
func RetryAfter(v string, now time.Time) time.Duration {
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
