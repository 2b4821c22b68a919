package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"
)

// attemptResult is the outcome of one HTTP exchange.
type attemptResult struct {
	status int    // 0 when no response came
	body   []byte // the 2xx body
	rtt    time.Duration
	err    error
	// bodyReleased: the transport is known to be done reading the request
	// body (bodyWrites).
	bodyReleased bool
}

// attempt makes one HTTP exchange, bounded by the per-attempt timeout, and
// reads the whole response body. err is nil only for a 2xx the API could
// have sent; otherwise it is an *APIError (non-2xx), a *NotAPIError (an
// answer the API does not give), a no-response error (transport failure) or
// a body error (a 2xx whose body broke off or stalled).
func (c *Client) attempt(ctx context.Context, r *request) (res attemptResult) {
	var writes bodyWrites
	if r.body != nil {
		ctx = httptrace.WithClientTrace(ctx, writes.trace())
		// Deferred first, so it runs last: after the response is read.
		defer func() { res.bodyReleased = writes.done() }()
	}
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	// The body idle timer cancels this context; the caller's is untouched.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := c.newHTTPRequest(ctx, r)
	if err != nil {
		return attemptResult{err: err}
	}
	start := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		return attemptResult{rtt: time.Since(start), err: c.newNoResponseError(r, err)}
	}
	defer resp.Body.Close()
	body := newIdleReader(resp.Body, c.bodyIdle, cancel, realAfterFunc)
	defer body.stop()
	res = attemptResult{status: resp.StatusCode}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		data, truncated := readErrorBody(body)
		// Drain a little more so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(body, maxErrorBody))
		res.rtt = time.Since(start)
		if e := c.checkErrorAnswer(r, resp, data); e != nil {
			res.err = e
		} else {
			res.err = c.newAPIError(r, resp, data, truncated)
		}
		return res
	}
	data, err := io.ReadAll(io.LimitReader(body, maxSuccessBody))
	res.rtt = time.Since(start)
	if err != nil {
		res.err = c.newBodyError(ctx, r, resp.StatusCode, len(data), body.idled(), err)
		return res
	}
	if e := c.checkSuccessBody(r, resp, data); e != nil {
		res.err = e
		return res
	}
	res.body = data
	return res
}

// newHTTPRequest builds the HTTP request of one attempt.
func (c *Client) newHTTPRequest(ctx context.Context, r *request) (*http.Request, error) {
	target := c.base + r.endpoint
	if len(r.query) > 0 {
		target += "?" + r.query.Encode()
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, target, body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: building request: %w", r.method, r.endpoint, err)
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.username != "" || c.password != "" {
		req.SetBasicAuth(c.username, c.password)
	}
	return req, nil
}

// bodyWrites tells when the transport is done with an attempt's request
// body. http.Transport may still be writing it after the response came (a
// server that answers before reading it all), so a caller that reuses the
// body's bytes must know that every write of it has ended: each write
// follows a GotConn and ends with a WroteRequest (net/http calls it when
// Request.write returns, after its last read of the body).
type bodyWrites struct {
	conns, wrote atomic.Int32
}

func (w *bodyWrites) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GotConn:      func(httptrace.GotConnInfo) { w.conns.Add(1) },
		WroteRequest: func(httptrace.WroteRequestInfo) { w.wrote.Add(1) },
	}
}

// done reports whether every connection the attempt got has finished
// writing the body. No connection at all (a transport that reports
// nothing, or none reached) is not done: nothing is known.
func (w *bodyWrites) done() bool {
	n := w.conns.Load()
	return n > 0 && w.wrote.Load() == n
}

// readErrorBody reads at most maxErrorBody bytes of an error answer and
// says whether there was more.
func readErrorBody(body io.Reader) ([]byte, bool) {
	data, _ := io.ReadAll(io.LimitReader(body, maxErrorBody+1))
	if len(data) > maxErrorBody {
		return data[:maxErrorBody], true
	}
	return data, false
}

// idleReader cancels its attempt when the body it reads sends no byte for
// d: a server that sent its headers and then stalls would otherwise hold
// the attempt until the per-attempt timeout (a minute by default).
type idleReader struct {
	r     io.Reader
	d     time.Duration
	timer idleTimer // nil when d is 0
	fired atomic.Bool
}

// idleTimer is the part of *time.Timer idleReader uses, so that a test can
// fire it by hand.
type idleTimer interface {
	Reset(d time.Duration) bool
	Stop() bool
}

// afterFunc starts the idle timer; time.AfterFunc outside tests.
type afterFunc func(d time.Duration, f func()) idleTimer

func realAfterFunc(d time.Duration, f func()) idleTimer { return time.AfterFunc(d, f) }

func newIdleReader(r io.Reader, d time.Duration, cancel context.CancelFunc, after afterFunc) *idleReader {
	ir := &idleReader{r: r, d: d}
	if d > 0 {
		ir.timer = after(d, func() {
			ir.fired.Store(true)
			cancel()
		})
	}
	return ir
}

// Read passes the read on and, when bytes came, restarts the idle timer.
func (ir *idleReader) Read(p []byte) (int, error) {
	n, err := ir.r.Read(p)
	if n > 0 && ir.timer != nil && !ir.fired.Load() {
		ir.timer.Reset(ir.d)
	}
	return n, err
}

// idled reports whether the idle limit ended the read.
func (ir *idleReader) idled() bool { return ir.fired.Load() }

func (ir *idleReader) stop() {
	if ir.timer != nil {
		ir.timer.Stop()
	}
}

// bodyError is a 2xx whose body could not be read whole: it broke off,
// stalled, or outlasted the attempt's timeout. The server applied the
// request, so trying again is a resend; the API keys leads by externalId,
// which makes that safe.
type bodyError struct {
	method, endpoint string
	status           int
	read             int    // bytes received before the failure
	reason           string // scrubbed, without the URL
	err              error
}

func (e *bodyError) Error() string {
	return fmt.Sprintf("%s %s: %d %s: the response body %s after %d byte(s); the request was applied",
		e.method, e.endpoint, e.status, http.StatusText(e.status), e.reason, e.read)
}

func (e *bodyError) Unwrap() error { return e.err }

// Is makes errors.Is(err, ErrBodyIncomplete) true.
func (e *bodyError) Is(target error) bool { return target == ErrBodyIncomplete }

// newBodyError words why a 2xx body could not be read.
func (c *Client) newBodyError(ctx context.Context, r *request, status, read int, idled bool, err error) error {
	var reason string
	switch {
	case idled:
		reason = fmt.Sprintf("stalled (no byte for %s)", c.bodyIdle)
		err = fmt.Errorf("%w: %w", errBodyStalled, err)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		reason = fmt.Sprintf("did not arrive within the attempt timeout (%s)", c.timeout)
	default:
		reason = "broke off (" + c.scrub(transportReason(err).Error()) + ")"
	}
	return &bodyError{method: r.method, endpoint: r.endpoint, status: status, read: read, reason: reason, err: err}
}

// errBodyStalled is wrapped by the body error of a stalled 2xx body.
var errBodyStalled = errors.New("response body stalled")
