package sandbox

import (
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// fault is what the fault knobs decided for one API request.
type fault int

const (
	faultNone fault = iota
	faultRateLimited
	faultFailed
	faultDropped
)

func (f fault) String() string {
	switch f {
	case faultRateLimited:
		return "rate_limited"
	case faultFailed:
		return "failed"
	case faultDropped:
		return "dropped"
	}
	return ""
}

// failStatus maps a draw in 0..2 to the answer FailRate gives.
func failStatus(pick int) int {
	switch pick {
	case 0:
		return http.StatusInternalServerError
	case 1:
		return http.StatusBadGateway
	}
	return http.StatusServiceUnavailable
}

// faults holds the one random source and the rate-limit window. Draws happen
// under its mutex, in the order requests reach it, so a given Seed and
// request order always give the same faults.
type faults struct {
	mu         sync.Mutex
	rng        *rand.Rand
	rateLimit  int
	failRate   float64
	dropRate   float64
	now        func() time.Time
	window     int64 // unix second of the current rate-limit window
	windowUsed int
}

func newFaults(o Options) *faults {
	seed := uint64(o.Seed)
	return &faults{
		rng:       rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		rateLimit: o.RateLimit,
		failRate:  o.FailRate,
		dropRate:  o.DropRate,
		now:       o.Now,
	}
}

// decision is the outcome of draw: the fault, the status a failure answers
// with, and for a 429 how many seconds to wait.
type decision struct {
	fault      fault
	status     int
	retryAfter int
}

// draw decides the fate of one request. Every request that reaches it
// consumes the same number of random values whatever the outcome, so one
// request's fate never shifts the draws of the next.
func (f *faults) draw() decision {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.rateLimit > 0 {
		now := f.now()
		sec := now.Unix()
		if sec != f.window {
			f.window, f.windowUsed = sec, 0
		}
		if f.windowUsed >= f.rateLimit {
			// Whole seconds until the window turns, at least one.
			wait := time.Unix(sec+1, 0).Sub(now)
			secs := int((wait + time.Second - 1) / time.Second)
			return decision{fault: faultRateLimited, status: http.StatusTooManyRequests, retryAfter: max(secs, 1)}
		}
		f.windowUsed++
	}
	if f.failRate == 0 && f.dropRate == 0 {
		return decision{}
	}
	failRoll, pick, dropRoll := f.rng.Float64(), f.rng.IntN(3), f.rng.Float64()
	switch {
	case failRoll < f.failRate:
		return decision{fault: faultFailed, status: failStatus(pick)}
	case dropRoll < f.dropRate:
		return decision{fault: faultDropped}
	}
	return decision{}
}
