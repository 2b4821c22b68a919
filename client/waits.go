package client

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// ReportedWait is the length beyond which a wait between attempts is
// reported to the WithWaitObserver function: shorter ones are routine.
const ReportedWait = 10 * time.Second

// WaitEvent describes a wait between two attempts of one call, so that the
// caller can say why the import seems to stand still. The client never logs
// by itself.
type WaitEvent struct {
	// Duration is how long the client is about to wait.
	Duration time.Duration
	// Reason says why, e.g. "the server asked for it (Retry-After) with
	// 429 Too Many Requests" or "backing off after 503 Service Unavailable".
	Reason string
	// FromServer is true when the wait is the server's Retry-After, false
	// for the client's own backoff.
	FromServer bool
	// Status is the status of the attempt that failed; 0 when no response
	// (or no complete body) came.
	Status int
	// Attempt is the number of the attempt that failed, from 1; the next
	// one is Attempt+1.
	Attempt int
	// Method and Path are the request's, Path relative to the base URL and
	// without query (e.g. "/leads/bulk").
	Method, Path string
}

// WithWaitObserver makes the client call fn before every wait between
// attempts longer than ReportedWait (backoff or Retry-After). fn runs on
// the calling goroutine and must return quickly. Nil reports nothing.
func WithWaitObserver(fn func(ctx context.Context, ev WaitEvent)) Option {
	return func(c *Client) { c.onWait = fn }
}

// reportWait tells the observer about a long wait before the next attempt.
func (c *Client) reportWait(ctx context.Context, r *request, attempt int, res attemptResult, d time.Duration, fromServer bool) {
	if c.onWait == nil || d <= ReportedWait {
		return
	}
	ev := WaitEvent{Duration: d, FromServer: fromServer, Status: res.status, Attempt: attempt,
		Method: r.method, Path: r.endpoint}
	status := fmt.Sprintf("%d %s", res.status, http.StatusText(res.status))
	switch {
	case fromServer:
		ev.Reason = "the server asked for it (Retry-After) with " + status
	case mayHaveBeenApplied(res.err) && res.status != 0:
		ev.Reason = "backing off after a " + status + " whose body did not arrive whole"
	case res.status == 0:
		ev.Reason = "backing off after no response"
	default:
		ev.Reason = "backing off after " + status
	}
	c.onWait(ctx, ev)
}
