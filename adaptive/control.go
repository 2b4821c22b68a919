package adaptive

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Constants of the control law; doc.go says why each has its value.
const (
	// shortAlpha weighs a new sample in the recent RTT (about the last 10).
	shortAlpha = 0.1
	// warmup samples pass before the floor separates from the recent RTT,
	// so that one early fast answer is not taken for the floor.
	warmup = 10
	// floorWindow is how far back the floor RTT, the lowest recent RTT,
	// looks.
	floorWindow = 10 * time.Second
	// backoff multiplies the limit on a 429, 503, timeout or slow-down.
	backoff = 0.5
	// recoverTime: with a rate, after a decrease the limit climbs back to
	// Little's target linearly over this much time.
	recoverTime = 10 * time.Second
	// ceilSlack keeps float noise from pushing ceil one step up
	// (50 × 0.2 × 1.2 is 12.000000000000002).
	ceilSlack = 1e-9
)

// ErrInvalidOptions is wrapped by New for options out of range.
var ErrInvalidOptions = errors.New("adaptive: invalid options")

// control is the limit and what it is computed from; the Limiter's mutex
// guards it. Times are in seconds.
type control struct {
	min, max  float64
	rate      float64 // requests per second, 0 for none
	headroom  float64
	tolerance float64
	slack     float64 // MinSlowdown, in seconds
	now       func() time.Time

	limit float64   // in [min, max]; capacity() is its floor
	short float64   // recent RTT (EWMA); 0 before the first sample
	floor windowMin // lowest short over the last floorWindow
	last  time.Time
	seen  int // samples observed, up to warmup

	// epoch counts decreases. A token remembers the epoch it was admitted
	// in; only a token admitted since the last decrease can cause the next
	// one, so the requests already in flight when the limit was cut (and
	// that were answered under the old load) cannot cut it again: at most
	// one decrease per round trip, as in TCP.
	epoch uint64
	// avoid is set by a decrease: the limit then climbs back over
	// recoverTime instead of jumping to Little's target (with a rate; cleared
	// once back at the target), or grows by one per round trip (1/limit per
	// sample) instead of one per sample (without a rate).
	avoid bool
}

// newControl validates o and fills in its defaults.
func newControl(o Options) (control, error) {
	switch {
	case o.Min < 0 || o.Max < 0 || o.Initial < 0:
		return control{}, fmt.Errorf("%w: min %d, max %d and initial %d must not be negative", ErrInvalidOptions, o.Min, o.Max, o.Initial)
	case math.IsNaN(o.Rate) || o.Rate < 0:
		return control{}, fmt.Errorf("%w: rate %v must be 0 (none) or positive", ErrInvalidOptions, o.Rate)
	case math.IsNaN(o.Headroom) || math.IsInf(o.Headroom, 0) || (o.Headroom != 0 && o.Headroom < 1):
		return control{}, fmt.Errorf("%w: headroom %v must be at least 1", ErrInvalidOptions, o.Headroom)
	case math.IsNaN(o.Tolerance) || math.IsInf(o.Tolerance, 0) || (o.Tolerance != 0 && o.Tolerance < 1.1):
		return control{}, fmt.Errorf("%w: tolerance %v must be at least 1.1", ErrInvalidOptions, o.Tolerance)
	}
	c := control{min: 1, max: DefaultMax, rate: o.Rate, headroom: DefaultHeadroom, tolerance: DefaultTolerance,
		slack: DefaultMinSlowdown.Seconds(), now: o.Now}
	switch {
	case o.MinSlowdown > 0:
		c.slack = o.MinSlowdown.Seconds()
	case o.MinSlowdown < 0:
		c.slack = 0
	}
	if o.Min > 0 {
		c.min = float64(o.Min)
	}
	if o.Max > 0 {
		c.max = float64(o.Max)
	}
	if c.min > c.max {
		return control{}, fmt.Errorf("%w: min %d is above max %d", ErrInvalidOptions, o.Min, o.Max)
	}
	if math.IsInf(c.rate, 1) {
		c.rate = 0 // rate.Inf: no rate
	}
	if o.Headroom != 0 {
		c.headroom = o.Headroom
	}
	if o.Tolerance != 0 {
		c.tolerance = o.Tolerance
	}
	if c.now == nil {
		c.now = time.Now
	}
	switch {
	case o.Initial > 0:
		c.limit = float64(o.Initial)
	case c.rate > 0:
		c.limit = roundUp(c.rate * InitialRTT.Seconds() * c.headroom)
	default:
		c.limit = DefaultInitialNoRate
	}
	c.limit = c.clamp(c.limit)
	return c, nil
}

// capacity is the whole number of requests the limit allows in flight.
func (c *control) capacity() int { return int(c.limit) }

func (c *control) clamp(v float64) float64 { return min(max(v, c.min), c.max) }

func roundUp(v float64) float64 { return math.Ceil(v - ceilSlack) }

// onDrop handles a 429, 503 or timeout of a token admitted in epoch.
func (c *control) onDrop(epoch uint64) {
	if epoch == c.epoch {
		c.decrease(backoff)
	}
}

// onSample handles a round trip of rtt seconds, answered at now, of a token
// admitted in epoch; inFlight counts that token.
func (c *control) onSample(rtt float64, inFlight int, epoch uint64, now time.Time) {
	dt := c.observe(rtt, now)
	if floor := c.floor.value(); c.short > max(c.tolerance*floor, floor+c.slack) {
		if epoch == c.epoch {
			c.decrease(backoff)
			if c.rate > 0 {
				// The bucket fixes our load, so a rise in latency is not
				// of our making (a slower route, a busy server): one cut
				// per Tolerance-fold rise is the answer, not one per round
				// trip until the floor window has forgotten the old floor.
				// Re-anchor on the recent RTT. Without a rate the load is
				// ours: a cut must drain the server's queue, so the floor
				// keeps the unloaded round trip.
				c.floor.raise(c.short)
			}
		}
		return
	}
	if c.rate > 0 {
		c.followRate(inFlight, dt)
	} else {
		c.probe(inFlight)
	}
}

// observe folds rtt into the recent and floor RTT and returns the seconds
// since the previous sample.
func (c *control) observe(rtt float64, now time.Time) float64 {
	if c.seen == 0 {
		c.short, c.last, c.seen = rtt, now, 1
		c.floor.reset(rtt, now)
		return 0
	}
	c.short += shortAlpha * (rtt - c.short)
	dt := max(now.Sub(c.last).Seconds(), 0)
	c.last = now
	if c.seen < warmup {
		c.seen++
		c.floor.reset(c.short, now)
	} else {
		c.floor.add(c.short, now)
	}
	return dt
}

// followRate sets the limit to Little's law target, rate × recent RTT ×
// headroom; after a decrease it climbs back toward it by target/recoverTime
// per second (dt seconds since the previous sample).
func (c *control) followRate(inFlight int, dt float64) {
	target := c.clamp(roundUp(c.rate * c.short * c.headroom))
	if !c.avoid || c.limit >= target {
		c.limit, c.avoid = target, false
		return
	}
	if c.appLimited(inFlight) {
		return
	}
	c.limit += target * dt / recoverTime.Seconds()
	if c.limit >= target {
		c.limit, c.avoid = target, false
	}
}

// probe raises the limit while latency holds: by one per sample (doubling
// per round trip) until the first decrease, then by one per round trip.
func (c *control) probe(inFlight int) {
	if c.appLimited(inFlight) {
		return
	}
	if c.avoid {
		c.limit += 1 / c.limit
	} else {
		c.limit++
	}
	c.limit = c.clamp(c.limit)
}

// appLimited: fewer than half the slots were in use, so a good sample says
// nothing about whether the limit could be higher.
func (c *control) appLimited(inFlight int) bool { return float64(inFlight)*2 < c.limit }

// decrease cuts the limit by factor and starts a new epoch; at Min there
// is nothing to cut, and no older request's news to discard.
func (c *control) decrease(factor float64) {
	c.avoid = true
	if c.limit <= c.min {
		return
	}
	c.limit = c.clamp(c.limit * factor)
	c.epoch++
}

// windowMin is the minimum of the values added over the last floorWindow
// (between one half and one whole window, in fact): the minimum of two
// half-window buckets, the older dropped as a new one starts. Cheap, and
// it forgets, so that a lasting rise in latency becomes the new floor.
type windowMin struct {
	cur, prev float64
	start     time.Time // when cur began
}

func (w *windowMin) reset(v float64, now time.Time) { w.cur, w.prev, w.start = v, v, now }

func (w *windowMin) add(v float64, now time.Time) {
	switch age := now.Sub(w.start); {
	case age >= floorWindow:
		w.reset(v, now)
	case age >= floorWindow/2:
		w.prev, w.cur, w.start = w.cur, v, now
	default:
		w.cur = min(w.cur, v)
	}
}

// raise lifts the floor to at least v; lower values added later win again.
func (w *windowMin) raise(v float64) { w.cur, w.prev = max(w.cur, v), max(w.prev, v) }

func (w *windowMin) value() float64 { return min(w.cur, w.prev) }
