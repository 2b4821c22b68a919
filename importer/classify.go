package importer

import (
	"errors"

	"github.com/xonvo/xonvo-import/client"
)

// outcome is what became of one request's rows.
type outcome int

const (
	outSent            outcome = iota // the server accepted them
	outSplit                          // refused as a group: send each half again
	outRejected                       // the server refused them for good
	outFailed                         // no success after every retry
	outInFlight                       // the run stopped while the request was out
	outStopAuth                       // credentials refused: stop the run
	outStopUnreachable                // no server answered yet: stop the run
	outStopWrongServer                // the URL does not answer like the API: stop the run
	outStopRetryWait                  // the server asked to wait past --max-retry-wait: stop the run
)

// callFacts is what classify needs to know of one request's result.
type callFacts struct {
	ok         bool // the request succeeded
	auth       bool // credentials refused (401, 403)
	status     int  // the API's error status, 0 when it gave none
	noResponse bool // the last attempt got no HTTP response
	notAPI     bool // the answer is not the API's (an HTML page, a web server's 404)
	retryWait  bool // the server asked to wait longer than --max-retry-wait
	stopped    bool // the run's sending was stopped meanwhile
	items      int  // rows in the request
	reached    bool // some request of the run got an HTTP response before
	succeeded  bool // some request of the run succeeded before
}

// runSoFar is what the run knew before a request's answer.
type runSoFar struct {
	stopped   bool // sending was stopped
	reached   bool // the server answered some request
	succeeded bool // some request succeeded
}

// factsOf reads a client error into callFacts.
func factsOf(err error, items int, run runSoFar) callFacts {
	f := callFacts{ok: err == nil, stopped: run.stopped, items: items, reached: run.reached, succeeded: run.succeeded}
	if err == nil {
		return f
	}
	f.auth = errors.Is(err, client.ErrAuth)
	f.notAPI = errors.Is(err, client.ErrNotAPI)
	f.retryWait = errors.Is(err, client.ErrRetryAfterTooLong)
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		f.status = apiErr.StatusCode
	}
	f.noResponse = client.IsNoResponse(err)
	return f
}

// answered reports whether a server gave an HTTP answer.
func (f callFacts) answered() bool { return f.ok || f.status != 0 || f.notAPI }

// classify decides a request's outcome. It is pure so that every case is
// tested without HTTP.
func classify(f callFacts) outcome {
	refused := f.status >= 400 && f.status < 500 && f.status != 429
	switch {
	case f.ok:
		return outSent
	case f.retryWait: // before the statuses: it wraps the 429 or 503
		return outStopRetryWait
	case f.notAPI && !f.succeeded:
		return outStopWrongServer
	case f.notAPI: // the API answered before: a proxy's hiccup, not a wrong URL
		return outFailed
	case f.auth:
		return outStopAuth
	case refused && splittable(f.status) && f.items > 1:
		return outSplit
	case refused:
		return outRejected
	case f.stopped:
		return outInFlight
	case f.noResponse && !f.reached:
		return outStopUnreachable
	}
	return outFailed
}

// splittable statuses are the ones a bad row can cause: a batch refused with
// them may hold good rows too.
func splittable(status int) bool { return status == 400 || status == 413 || status == 422 }
