package adaptive

import (
	"container/list"
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// Defaults for Options (doc.go says why).
const (
	// DefaultMax is the highest limit when Options.Max is 0.
	DefaultMax = 64
	// DefaultHeadroom multiplies Little's law target.
	DefaultHeadroom = 1.5
	// DefaultTolerance: a recent RTT above twice the floor is a slow-down.
	DefaultTolerance = 2.0
	// DefaultInitialNoRate is the first limit when no rate is set: today's
	// fixed pool size.
	DefaultInitialNoRate = 4
	// DefaultMinSlowdown: a recent RTT must also be this far above the
	// floor to count as a slow-down.
	DefaultMinSlowdown = 10 * time.Millisecond
	// InitialRTT is the round trip assumed before the first sample, when a
	// rate is set: the first limit is ceil(Rate × InitialRTT × Headroom).
	InitialRTT = time.Second
)

// Options configure a Limiter. The zero value is valid: no rate, limits
// 1..DefaultMax. Min above Max, negative or NaN values are refused.
type Options struct {
	// Min and Max bound the limit. Max is the CLI's --concurrency.
	// Zero means 1 and DefaultMax.
	Min, Max int
	// Rate is the token bucket's rate in requests per second; 0 (or +Inf,
	// rate.Inf) means no rate, and the limit is found from latency alone.
	Rate float64
	// Initial is the limit before the first sample. Zero means
	// ceil(Rate × InitialRTT × Headroom) with a rate, DefaultInitialNoRate
	// without. It is clamped to [Min, Max].
	Initial int
	// Headroom multiplies Little's law in-flight target so that short
	// latency swings do not leave the bucket idle. Zero means
	// DefaultHeadroom; it must be at least 1.
	Headroom float64
	// Tolerance: a recent RTT above Tolerance × the floor RTT is a
	// slow-down. Zero means DefaultTolerance; it must be at least 1.1.
	Tolerance float64
	// MinSlowdown: a recent RTT counts as a slow-down only if it is also
	// this much above the floor RTT. Over a floor of under a millisecond (a
	// server on the same machine or network) our own scheduling doubles a
	// round trip without any queue at the server. Zero means
	// DefaultMinSlowdown; negative means none (Tolerance alone).
	MinSlowdown time.Duration
	// Now is the clock of the floor RTT's window and of the recovery after
	// a cut; tests and simulations drive it. Nil means time.Now.
	Now func() time.Time
}

// Outcome is what one finished attempt tells the limiter (doc.go: one
// token per attempt).
type Outcome struct {
	// Latency is the attempt's round trip: from the moment the token bucket
	// let it start to its response. It must not include the bucket wait or
	// a retry's backoff, or the limiter would read its own queue as server
	// latency. Zero means no sample (cancelled, failed locally, or an
	// answer that says nothing of the server's load): the slot is freed and
	// nothing is learnt.
	Latency time.Duration
	// Dropped means the server shed the attempt or did not answer in time:
	// a 429, a 503, a timeout. The limit is halved (once per round trip);
	// Latency is ignored.
	Dropped bool
}

// Stats is a snapshot for metrics and logs.
type Stats struct {
	Limit    int           // requests allowed in flight
	InFlight int           // requests in flight (may exceed Limit just after a decrease)
	Waiting  int           // callers blocked in Acquire
	RTT      time.Duration // smoothed recent round trip (0 before the first sample)
	Floor    time.Duration // floor round trip (0 before the first sample)
	Cuts     uint64        // times the limit was cut (for a 429 or a slow-down)
}

// Limiter caps how many requests are in flight, adjusting the cap from each
// request's Outcome. It never starts a request: callers still pass the token
// bucket, which alone decides when a request may start. Build it with New;
// it is safe for concurrent use.
type Limiter struct {
	mu       sync.Mutex
	inFlight int
	waiters  list.List // of *waiter, first come first served
	ctl      control
}

// waiter is a blocked Acquire. ready is closed once it holds a slot.
type waiter struct {
	ready chan struct{}
	epoch uint64
}

// Token is a slot held by one attempt; call Done exactly once. The zero
// Token's Done does nothing, so an error path may call it freely.
type Token struct {
	l     *Limiter
	epoch uint64 // control epoch at admission: see control.epoch
}

// New returns a Limiter for o, or an error wrapping ErrInvalidOptions.
func New(o Options) (*Limiter, error) {
	ctl, err := newControl(o)
	if err != nil {
		return nil, err
	}
	return &Limiter{ctl: ctl}, nil
}

// TryAcquire takes a slot if one is free and nobody is waiting.
func (l *Limiter) TryAcquire() (Token, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.waiters.Len() > 0 || l.inFlight >= l.ctl.capacity() {
		return Token{}, false
	}
	l.inFlight++
	return Token{l: l, epoch: l.ctl.epoch}, true
}

// Acquire blocks until fewer than Limit requests are in flight (callers are
// served in arrival order) or ctx is done.
func (l *Limiter) Acquire(ctx context.Context) (Token, error) {
	if err := ctx.Err(); err != nil {
		return Token{}, fmt.Errorf("adaptive: %w", err)
	}
	l.mu.Lock()
	if l.waiters.Len() == 0 && l.inFlight < l.ctl.capacity() {
		l.inFlight++
		t := Token{l: l, epoch: l.ctl.epoch}
		l.mu.Unlock()
		return t, nil
	}
	w := &waiter{ready: make(chan struct{})}
	elem := l.waiters.PushBack(w)
	l.mu.Unlock()

	select {
	case <-w.ready:
		return Token{l: l, epoch: w.epoch}, nil
	case <-ctx.Done():
		l.mu.Lock()
		select {
		case <-w.ready:
			// Granted while we gave up: hand the slot on.
			l.inFlight--
		default:
			l.waiters.Remove(elem)
		}
		l.grantLocked()
		l.mu.Unlock()
		return Token{}, fmt.Errorf("adaptive: waiting for a slot: %w", ctx.Err())
	}
}

// Done frees the token's slot and feeds o to the limit.
func (t Token) Done(o Outcome) {
	l := t.l
	if l == nil {
		return
	}
	var now time.Time
	if !o.Dropped && o.Latency > 0 {
		now = l.ctl.now() // outside the lock: the clock can be slow
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.inFlight <= 0 {
		// Like sync.WaitGroup's negative counter: a caller bug that would
		// otherwise silently raise the real concurrency.
		panic("adaptive: Token.Done called more often than Acquire")
	}
	inFlight := l.inFlight
	l.inFlight--
	switch {
	case o.Dropped:
		l.ctl.onDrop(t.epoch)
	case o.Latency > 0:
		l.ctl.onSample(o.Latency.Seconds(), inFlight, t.epoch, now)
	}
	l.grantLocked()
}

// grantLocked admits waiters, oldest first, while there is room.
func (l *Limiter) grantLocked() {
	for l.waiters.Len() > 0 && l.inFlight < l.ctl.capacity() {
		w := l.waiters.Remove(l.waiters.Front()).(*waiter)
		l.inFlight++
		w.epoch = l.ctl.epoch
		close(w.ready)
	}
}

// Limit returns how many requests may be in flight now.
func (l *Limiter) Limit() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ctl.capacity()
}

// InFlight returns how many tokens are held.
func (l *Limiter) InFlight() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.inFlight
}

// Stats returns a consistent snapshot.
func (l *Limiter) Stats() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return Stats{
		Limit:    l.ctl.capacity(),
		InFlight: l.inFlight,
		Waiting:  l.waiters.Len(),
		RTT:      seconds(l.ctl.short),
		Floor:    seconds(l.ctl.floor.value()),
		Cuts:     l.ctl.epoch,
	}
}

func seconds(s float64) time.Duration {
	return time.Duration(math.Round(s * float64(time.Second)))
}
