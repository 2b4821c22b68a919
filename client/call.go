package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/xonvo/xonvo-import/adaptive"
)

// do sends r, retrying as the policy allows, and decodes a 2xx body into out
// when out is not nil. It is the only path to the network.
func (c *Client) do(ctx context.Context, r *request, out any) error {
	info := callInfoFrom(ctx)
	var lastErr error
	resend := false // the next attempt repeats one that may have been applied
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return c.stopped(r, err, lastErr)
		}
		var slot adaptive.Token // the zero Token's Done does nothing
		if c.slots != nil {
			var err error
			if slot, err = c.slots.Acquire(ctx); err != nil {
				return c.stopped(r, err, lastErr)
			}
		}
		if c.limiter != nil {
			if err := c.waitForToken(ctx); err != nil {
				slot.Done(adaptive.Outcome{})
				if ctxErr := ctx.Err(); ctxErr != nil {
					return c.stopped(r, ctxErr, lastErr)
				}
				return c.stopped(r, fmt.Errorf("rate limiter: %w", err), lastErr)
			}
		}
		info.Attempts++
		info.Retries = info.Attempts - 1
		if resend {
			info.Resends++
		}
		res := c.attempt(ctx, r)
		slot.Done(outcomeOf(ctx, res))
		info.record(res)
		if res.err == nil {
			return c.decode(r, res.body, out)
		}
		lastErr, resend = res.err, mayHaveBeenApplied(res.err)
		if ctxErr := ctx.Err(); ctxErr != nil {
			return c.stopped(r, ctxErr, lastErr)
		}
		if !shouldRetry(ctx, r, res.status, res.err) {
			return res.err
		}
		wait, fromServer := c.retry.delay(n, res.err)
		if fromServer && c.retry.MaxWait > 0 && wait > c.retry.MaxWait {
			return c.tooLong(res.err, wait)
		}
		if n >= c.retry.MaxRetries {
			return res.err
		}
		c.reportWait(ctx, r, n+1, res, wait, fromServer)
		info.Waited += wait
		if err := c.retry.Sleep(ctx, wait); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				err = ctxErr
			}
			return c.stopped(r, err, lastErr)
		}
	}
}

// waitForToken waits for the rate limiter's next token, one caller at a
// time. x/time/rate's Wait hands every caller a reservation and lets it
// sleep: after the process stalls (a GC pause, a busy machine), all the late
// sleepers wake and send together, and make bench saw up to 57 requests in
// one second at --rate 50 --burst 1. With one waiter, at most the waiter and
// the one token that accrued meanwhile go at once.
func (c *Client) waitForToken(ctx context.Context) error {
	select {
	case c.pacing <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-c.pacing }()
	return c.limiter.Wait(ctx)
}

// outcomeOf is what the concurrency limiter learns from an attempt: its
// round trip when the server answered, and whether the server shed it
// (429, 503, or no answer within the attempt's time limit).
func outcomeOf(ctx context.Context, res attemptResult) adaptive.Outcome {
	switch {
	case res.status == http.StatusTooManyRequests || res.status == http.StatusServiceUnavailable:
		return adaptive.Outcome{Dropped: true}
	case res.status == 0 && ctx.Err() == nil && errors.Is(res.err, context.DeadlineExceeded):
		return adaptive.Outcome{Dropped: true}
	case res.status == 0:
		return adaptive.Outcome{} // no answer: nothing learnt of the latency
	}
	return adaptive.Outcome{Latency: res.rtt}
}

// record adds one attempt's outcome to the accounting.
func (info *CallInfo) record(res attemptResult) {
	info.Statuses = append(info.Statuses, res.status)
	info.BodyReleased = res.bodyReleased && (len(info.Statuses) == 1 || info.BodyReleased)
	info.LastRTT = res.rtt
	if res.status != 0 {
		info.StatusCode = res.status
	}
	if res.status == http.StatusTooManyRequests {
		info.Throttled = true
	}
}

// tooLong is the error for a Retry-After beyond RetryPolicy.MaxWait.
func (c *Client) tooLong(err error, wait time.Duration) error {
	e := &RetryAfterError{Wait: wait, MaxWait: c.retry.MaxWait, Err: err}
	if wait < maxUntil {
		e.Until = c.now().Add(wait)
	}
	return e
}

// maxUntil bounds the waits for which RetryAfterError.Until is set: beyond
// it the date means nothing (and would overflow).
const maxUntil = 100 * 365 * 24 * time.Hour

// mayHaveBeenApplied reports whether the attempt that failed with err may
// have been applied by the server, so that sending it again is a resend.
func mayHaveBeenApplied(err error) bool {
	return IsNoResponse(err) || errors.Is(err, ErrBodyIncomplete)
}

// stopped is the error of a call ended before its retries ran out (context
// done, rate limiter refusing): it wraps the cause and, when there was one,
// the last attempt's error too, so errors.Is still finds its status and
// IsNoResponse still tells that the last request may have been applied.
func (c *Client) stopped(r *request, cause, lastErr error) error {
	if lastErr == nil {
		return fmt.Errorf("%s %s: %w", r.method, r.endpoint, cause)
	}
	return fmt.Errorf("%s %s: %w (last attempt: %w)", r.method, r.endpoint, cause, lastErr)
}

// decode unmarshals a 2xx body into out; out == nil ignores the body.
func (c *Client) decode(r *request, body []byte, out any) error {
	if out == nil {
		return nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Errorf("%s %s: empty response body, expected JSON", r.method, r.endpoint)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s %s: decoding response: %w", r.method, r.endpoint, err)
	}
	return nil
}
