package client

import (
	"context"
	"time"
)

// CallInfo is the accounting of one client call, filled by the client when
// the call's context carries it (see WithCallInfo). The importer uses it for
// the report's attempts/http_status columns and the run summary.
type CallInfo struct {
	Attempts   int // HTTP attempts made
	StatusCode int // last status seen (0 if no response ever came)
	Retries    int // Attempts-1
	// Resends counts attempts that repeated one which may have been
	// applied: no response came, or a 2xx whose body broke off or stalled.
	Resends int
	Waited  time.Duration // total backoff / Retry-After waited (rate-limiter waits excluded)
	// Statuses is the status of every attempt in order, 0 where no
	// response came; len(Statuses) == Attempts.
	Statuses []int
	// LastRTT is the last attempt's round trip: from sending the request to
	// reading the whole response body (or to the failure). Rate-limiter and
	// retry waits are not in it.
	LastRTT time.Duration
	// Throttled is true when any attempt was answered 429.
	Throttled bool
	// BodyReleased is true when the transport is known to have finished
	// reading the request body of every attempt, once the call returned:
	// the caller may then write over the body's bytes. It is false when
	// that is not known (a write still going, a transport that reports no
	// writes through net/http/httptrace, no attempt made).
	BodyReleased bool
}

type callInfoKey struct{}

// WithCallInfo returns a context that makes the client record into info.
// The client resets *info when a call starts and fills it as the call goes,
// so use one CallInfo per call (and per goroutine).
func WithCallInfo(ctx context.Context, info *CallInfo) context.Context {
	return context.WithValue(ctx, callInfoKey{}, info)
}

// callInfoFrom returns the CallInfo carried by ctx, or a throwaway one so the
// request path never has to check for nil.
func callInfoFrom(ctx context.Context) *CallInfo {
	if info, ok := ctx.Value(callInfoKey{}).(*CallInfo); ok && info != nil {
		*info = CallInfo{}
		return info
	}
	return &CallInfo{}
}
