package importer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/xonvo/xonvo-import/reports"
)

// ErrAuthFailed wraps the API's refusal of the credentials.
var ErrAuthFailed = errors.New("authentication failed")

// ErrUnreachable means no request of the run got through to the server.
var ErrUnreachable = errors.New("server unreachable")

// ErrWrongServer means the URL answered, but not like the API: a wrong path
// prefix, a proxy's login page.
var ErrWrongServer = errors.New("wrong server")

// ErrServerFailing means batch after batch failed after every retry: the
// run stops rather than spend hours failing every row.
var ErrServerFailing = errors.New("server failing")

// stopper is a run's stop state: reading stops at the first stop; sending
// stops too when nothing more can be sent (refused credentials, no server).
// Interrupts give in-flight requests a grace period first (see Run).
type stopper struct {
	once     sync.Once
	why      atomic.Value // reports.StopReason
	fatal    atomic.Value // error: the first error that ended the run
	readCtx  context.Context
	stopRead context.CancelFunc
	sendCtx  context.Context
	stopSend context.CancelFunc
}

// newStopper derives the read context from ctx (an interrupt stops reading
// at once) and a send context that outlives ctx by the grace period.
func newStopper(ctx context.Context) *stopper {
	s := &stopper{}
	s.readCtx, s.stopRead = context.WithCancel(ctx)
	s.sendCtx, s.stopSend = context.WithCancel(context.WithoutCancel(ctx))
	return s
}

// stop ends reading (and, when no request can succeed, sending) once; err,
// when not nil, is kept as the run's error.
func (s *stopper) stop(reason reports.StopReason, err error) {
	if err != nil {
		s.fatal.CompareAndSwap(nil, err)
	}
	s.once.Do(func() {
		s.why.Store(reason)
		s.stopRead()
		if stopsSending(reason) {
			s.stopSend()
		}
	})
}

// stopsSending reports whether no request can succeed after a stop for
// reason: then requests in flight are cut off too, not given their retries.
func stopsSending(reason reports.StopReason) bool {
	switch reason {
	case reports.StopAuth, reports.StopUnreachable, reports.StopServerFailing, reports.StopWrongServer, reports.StopRetryWait:
		return true
	}
	return false
}

// reason is why the run stopped, "" while it goes on.
func (s *stopper) reason() reports.StopReason {
	r, _ := s.why.Load().(reports.StopReason)
	return r
}

// err is the error that ended the run, if any.
func (s *stopper) err() error {
	err, _ := s.fatal.Load().(error)
	return err
}

// stopped reports whether reading has stopped.
func (s *stopper) stopped() bool { return s.readCtx.Err() != nil }

// release cancels both contexts; the run is over.
func (s *stopper) release() {
	s.stopRead()
	s.stopSend()
}

// limits are the error limits a run stops at, for messages.
type limits struct {
	maxErrors    int
	maxErrorRate float64
}

// notSentMessage says why rows were not sent after a stop.
func (s *stopper) notSentMessage(l limits) string {
	switch s.reason() {
	case reports.StopInterrupted:
		return "not sent: the run was interrupted before this row was sent"
	case reports.StopMaxErrors:
		return fmt.Sprintf("not sent: the run stopped after --max-errors %d was reached", l.maxErrors)
	case reports.StopMaxErrorRate:
		return fmt.Sprintf("not sent: the run stopped when more than %g of the rows so far had errors (--max-error-rate)", l.maxErrorRate)
	case reports.StopServerFailing:
		return "not sent: the run stopped because the server kept failing; rerun later with --resume"
	case reports.StopWrongServer:
		return "not sent: the URL does not answer like the XONVO API (check --url); nothing was sent there"
	case reports.StopRetryWait:
		return "not sent: the server asked to wait longer than --max-retry-wait; rerun later with --resume"
	case reports.StopAuth:
		return "not sent: authentication failed (the row's data was not checked by the server)"
	case reports.StopUnreachable:
		return "not sent: the server was unreachable"
	default:
		return "not sent: the run stopped before this row was sent"
	}
}

// inFlightMessage is the not_sent message of rows whose request was cut off
// by a stop: it may have reached the server.
func (s *stopper) inFlightMessage(l limits) string {
	if stopsSending(s.reason()) {
		return s.notSentMessage(l)
	}
	return "not sent: the run was stopped while this row's request was in flight; it may have been applied, and --resume sends it again"
}
