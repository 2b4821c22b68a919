package adaptive_test

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/adaptive"
)

// fakeClock is the limiter's clock in tests; advance moves it.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newLimiter builds a limiter on a fake clock.
func newLimiter(t *testing.T, o adaptive.Options) (*adaptive.Limiter, *fakeClock) {
	t.Helper()
	clk := newFakeClock()
	o.Now = clk.Now
	l, err := adaptive.New(o)
	require.NoError(t, err)
	return l, clk
}

// feed runs n requests one after another (TryAcquire, then Done with o),
// advancing the clock by gap before each answer, and returns the limit
// after each. With one request in flight the caller is app-limited.
func feed(t *testing.T, l *adaptive.Limiter, clk *fakeClock, n int, gap time.Duration, o adaptive.Outcome) []int {
	t.Helper()
	limits := make([]int, 0, n)
	for range n {
		tok, ok := l.TryAcquire()
		require.True(t, ok, "a slot is free: nothing else is in flight")
		clk.advance(gap)
		tok.Done(o)
		limits = append(limits, l.Limit())
	}
	return limits
}

// busy keeps a limiter full, as a pool of workers with requests to spare
// does: before each answer it takes every free slot; answers come gap
// apart, oldest first.
type busy struct {
	t    *testing.T
	l    *adaptive.Limiter
	clk  *fakeClock
	held []adaptive.Token
}

// run answers n requests with o and returns the limit after each answer.
func (b *busy) run(n int, gap time.Duration, o adaptive.Outcome) []int {
	limits := make([]int, 0, n)
	for range n {
		for {
			tok, ok := b.l.TryAcquire()
			if !ok {
				break
			}
			b.held = append(b.held, tok)
		}
		require.NotEmpty(b.t, b.held)
		b.clk.advance(gap)
		b.held[0].Done(o)
		b.held = b.held[1:]
		limits = append(limits, b.l.Limit())
	}
	return limits
}

func TestNew(t *testing.T) {
	tests := []struct {
		name      string
		opts      adaptive.Options
		wantErr   bool
		wantLimit int
	}{
		{name: "zero value: no rate starts at 4", opts: adaptive.Options{}, wantLimit: 4},
		{name: "rate 20 assumes a 1 s round trip", opts: adaptive.Options{Rate: 20}, wantLimit: 30},
		{name: "rate 50 is capped by the default max", opts: adaptive.Options{Rate: 50}, wantLimit: 64},
		{name: "rate with a small max", opts: adaptive.Options{Rate: 50, Max: 8}, wantLimit: 8},
		{name: "no rate with max below 4", opts: adaptive.Options{Max: 2}, wantLimit: 2},
		{name: "initial is clamped to min", opts: adaptive.Options{Min: 5, Initial: 2}, wantLimit: 5},
		{name: "initial is clamped to max", opts: adaptive.Options{Max: 10, Initial: 20}, wantLimit: 10},
		{name: "infinite rate means none", opts: adaptive.Options{Rate: posInf()}, wantLimit: 4},
		{name: "headroom scales the first guess", opts: adaptive.Options{Rate: 10, Headroom: 2}, wantLimit: 20},
		{name: "negative rate", opts: adaptive.Options{Rate: -1}, wantErr: true},
		{name: "NaN rate", opts: adaptive.Options{Rate: nan()}, wantErr: true},
		{name: "negative min", opts: adaptive.Options{Min: -1}, wantErr: true},
		{name: "min above max", opts: adaptive.Options{Min: 10, Max: 5}, wantErr: true},
		{name: "min above the default max", opts: adaptive.Options{Min: 100}, wantErr: true},
		{name: "headroom below 1", opts: adaptive.Options{Headroom: 0.9}, wantErr: true},
		{name: "tolerance below 1.1", opts: adaptive.Options{Tolerance: 1.05}, wantErr: true},
		{name: "NaN tolerance", opts: adaptive.Options{Tolerance: nan()}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := adaptive.New(tt.opts)
			if tt.wantErr {
				require.ErrorIs(t, err, adaptive.ErrInvalidOptions)
				assert.Nil(t, l)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantLimit, l.Limit())
			assert.Zero(t, l.InFlight())
		})
	}
}

// TestConvergesToLittle: with steady latency and a rate, the limit settles
// on ceil(rate × latency × headroom) (headroom 1.5), from the start and
// after a 429 alike.
func TestConvergesToLittle(t *testing.T) {
	tests := []struct {
		name    string
		rate    float64
		latency time.Duration
		want    int // ceil(rate × latency × 1.5), worked out by hand
	}{
		{"50ms at 20/s", 20, 50 * time.Millisecond, 2},
		{"50ms at 50/s", 50, 50 * time.Millisecond, 4},
		{"200ms at 20/s", 20, 200 * time.Millisecond, 6},
		{"200ms at 50/s", 50, 200 * time.Millisecond, 15},
		{"800ms at 20/s", 20, 800 * time.Millisecond, 24},
		{"800ms at 50/s", 50, 800 * time.Millisecond, 60},
	}
	for _, tt := range tests {
		gap := time.Duration(float64(time.Second) / tt.rate) // answers arrive at the rate
		t.Run(tt.name+"/from the start", func(t *testing.T) {
			l, clk := newLimiter(t, adaptive.Options{Rate: tt.rate})
			b := &busy{t: t, l: l, clk: clk}
			limits := b.run(300, gap, adaptive.Outcome{Latency: tt.latency})
			for i, got := range limits {
				require.Equal(t, tt.want, got, "after sample %d", i+1)
			}
			st := l.Stats()
			assert.Equal(t, tt.latency, st.RTT)
			assert.Equal(t, tt.latency, st.Floor)
			assert.Zero(t, st.Cuts)
		})
		t.Run(tt.name+"/after a 429", func(t *testing.T) {
			l, clk := newLimiter(t, adaptive.Options{Rate: tt.rate})
			b := &busy{t: t, l: l, clk: clk}
			b.run(200, gap, adaptive.Outcome{Latency: tt.latency})
			// The next answer to come back is of a request sent after the
			// first cut would be: drain, so that the 429 counts.
			for _, tok := range b.held {
				tok.Done(adaptive.Outcome{})
			}
			b.held = nil
			feed(t, l, clk, 1, gap, adaptive.Outcome{Dropped: true})
			require.Equal(t, max(tt.want/2, 1), l.Limit(), "halved")
			// Back within recoverTime (10 s) of answers at the rate.
			n := int(10*tt.rate) + 1
			limits := b.run(n+100, gap, adaptive.Outcome{Latency: tt.latency})
			assert.Equal(t, tt.want, limits[n-1], "back at the target after 10 s")
			for i, got := range limits {
				require.LessOrEqual(t, got, tt.want, "never above the target (sample %d)", i+1)
			}
			assert.Equal(t, tt.want, limits[len(limits)-1])
		})
	}
}

func TestDropHalves(t *testing.T) {
	tests := []struct {
		name     string
		opts     adaptive.Options
		drops    int // 429s in a row, each admitted after the previous cut
		want     int
		wantCuts uint64
	}{
		{"30 to 15", adaptive.Options{Initial: 30}, 1, 15, 1},
		{"odd limits round down", adaptive.Options{Initial: 13}, 1, 6, 1},
		{"twice is a quarter", adaptive.Options{Initial: 40}, 2, 10, 2},
		{"with a rate too", adaptive.Options{Rate: 20, Initial: 24}, 1, 12, 1},
		{"never below min", adaptive.Options{Min: 3, Initial: 4}, 3, 3, 1},
		{"at 1 stays 1", adaptive.Options{Initial: 1}, 2, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, clk := newLimiter(t, tt.opts)
			feed(t, l, clk, tt.drops, time.Millisecond, adaptive.Outcome{Dropped: true})
			assert.Equal(t, tt.want, l.Limit())
			assert.Equal(t, tt.wantCuts, l.Stats().Cuts)
		})
	}
}

// TestDropsOfOneRoundTripCutOnce: the requests already in flight when the
// limit was cut were sent under the old load; their 429s must not cut again.
func TestDropsOfOneRoundTripCutOnce(t *testing.T) {
	l, _ := newLimiter(t, adaptive.Options{Initial: 32})
	var toks []adaptive.Token
	for range 10 {
		tok, ok := l.TryAcquire()
		require.True(t, ok)
		toks = append(toks, tok)
	}
	for _, tok := range toks {
		tok.Done(adaptive.Outcome{Dropped: true})
	}
	assert.Equal(t, 16, l.Limit(), "ten 429s of one round trip halve once")
	tok, ok := l.TryAcquire()
	require.True(t, ok)
	tok.Done(adaptive.Outcome{Dropped: true})
	assert.Equal(t, 8, l.Limit(), "a 429 of a request sent after the cut halves again")
}

// TestRisingLatencyLowers: a clear slow-down (the recent RTT above twice the
// floor) cuts the limit, with or without a rate.
func TestRisingLatencyLowers(t *testing.T) {
	tests := []struct {
		name      string
		opts      adaptive.Options
		gap       time.Duration
		before    int // steady limit at 200 ms
		lowest    int // lowest limit once answers take 800 ms
		endsAt    int // limit after 30 s more at 800 ms
		wantCuts  uint64
		wantFloor time.Duration
	}{
		{
			// With a rate the rise is not ours: one cut per doubling, then
			// back to Little's target for the new latency.
			name: "with a rate", opts: adaptive.Options{Rate: 20}, gap: 50 * time.Millisecond,
			before: 6, lowest: 5, endsAt: 24, wantCuts: 1, wantFloor: 800 * time.Millisecond,
		},
		{
			// Without a rate the rise is taken for our own queue: cut each
			// round trip (20, 10, 5, 2.5, 1.25, 1) until the floor window
			// forgets the old floor, then grow by one per round trip.
			name: "without a rate", opts: adaptive.Options{Initial: 20, Max: 20}, gap: 50 * time.Millisecond,
			before: 20, lowest: 1, endsAt: 20, wantCuts: 5, wantFloor: 800 * time.Millisecond,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, clk := newLimiter(t, tt.opts)
			b := &busy{t: t, l: l, clk: clk}
			steady := b.run(200, tt.gap, adaptive.Outcome{Latency: 200 * time.Millisecond})
			require.Equal(t, tt.before, steady[len(steady)-1])
			slow := b.run(600, tt.gap, adaptive.Outcome{Latency: 800 * time.Millisecond})
			lowest := slow[0]
			for _, v := range slow {
				lowest = min(lowest, v)
			}
			assert.Equal(t, tt.lowest, lowest)
			assert.Less(t, lowest, tt.before, "rising latency lowers the limit")
			assert.Equal(t, tt.endsAt, slow[len(slow)-1])
			st := l.Stats()
			assert.Equal(t, tt.wantCuts, st.Cuts)
			assert.Equal(t, tt.wantFloor, st.Floor.Round(time.Millisecond))
		})
	}
}

// TestSmallRisesAreNotASlowdown: a recent RTT counts as a slow-down only
// above both Tolerance × the floor and the floor + MinSlowdown, so a few
// milliseconds over a fast floor (a server on the same machine, where our
// own scheduling moves the round trip) leave the limit alone, while a
// doubling of a slower floor still cuts it.
func TestSmallRisesAreNotASlowdown(t *testing.T) {
	tests := []struct {
		name       string
		opts       adaptive.Options
		floor, now time.Duration
		wantCut    bool
	}{
		{name: "8 times a 1 ms floor, 7 ms over it", floor: time.Millisecond, now: 8 * time.Millisecond},
		{name: "15 times a 1 ms floor, 14 ms over it", floor: time.Millisecond, now: 15 * time.Millisecond, wantCut: true},
		{name: "8 times a 1 ms floor, tolerance alone", opts: adaptive.Options{MinSlowdown: -1},
			floor: time.Millisecond, now: 8 * time.Millisecond, wantCut: true},
		{name: "8 times a 1 ms floor, 5 ms allowed", opts: adaptive.Options{MinSlowdown: 5 * time.Millisecond},
			floor: time.Millisecond, now: 8 * time.Millisecond, wantCut: true},
		{name: "a 100 ms floor doubled", floor: 100 * time.Millisecond, now: 210 * time.Millisecond, wantCut: true},
		{name: "a 100 ms floor, 1.9 times", floor: 100 * time.Millisecond, now: 190 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Max = 32
			l, clk := newLimiter(t, tt.opts)
			b := &busy{t: t, l: l, clk: clk}
			b.run(200, time.Millisecond, adaptive.Outcome{Latency: tt.floor})
			require.Zero(t, l.Stats().Cuts, "steady latency")
			b.run(200, time.Millisecond, adaptive.Outcome{Latency: tt.now})
			assert.Equal(t, tt.wantCut, l.Stats().Cuts > 0, "cuts: %d", l.Stats().Cuts)
		})
	}
}

// TestNoRateGrowsWhileLatencyHolds: without a rate the limit doubles per
// round trip until the first cut, then grows by one per round trip, and
// not at all while the caller uses less than half of it.
func TestNoRateGrowsWhileLatencyHolds(t *testing.T) {
	l, clk := newLimiter(t, adaptive.Options{Max: 100})
	b := &busy{t: t, l: l, clk: clk}
	ok := adaptive.Outcome{Latency: 100 * time.Millisecond}
	limits := b.run(28, 10*time.Millisecond, ok)
	// A round trip is Limit() answers: 4, then 8, then 16 of them.
	assert.Equal(t, []int{8, 16, 32}, []int{limits[3], limits[11], limits[27]}, "slow start")

	b.run(1, 10*time.Millisecond, adaptive.Outcome{Dropped: true})
	require.Equal(t, 16, l.Limit())
	// 16+17+18+19 answers are four round trips: 20, and a bit.
	b.run(75, 10*time.Millisecond, ok)
	assert.Equal(t, 20, l.Limit(), "one per round trip after a cut")

	// App-limited: one request at a time says nothing about 20.
	for _, tok := range b.held {
		tok.Done(adaptive.Outcome{})
	}
	feed(t, l, clk, 100, 10*time.Millisecond, ok)
	assert.Equal(t, 20, l.Limit())
}

func TestLimitStaysWithinBounds(t *testing.T) {
	tests := []struct {
		name string
		opts adaptive.Options
	}{
		{"no rate", adaptive.Options{Min: 3, Max: 12}},
		{"rate", adaptive.Options{Min: 2, Max: 9, Rate: 40}},
		{"min equals max", adaptive.Options{Min: 5, Max: 5, Rate: 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, clk := newLimiter(t, tt.opts)
			rng := rand.New(rand.NewPCG(7, 11))
			var held []adaptive.Token
			seen := map[int]bool{}
			for i := range 20_000 {
				if rng.IntN(2) == 0 {
					if tok, ok := l.TryAcquire(); ok {
						held = append(held, tok)
					}
				} else if len(held) > 0 {
					j := rng.IntN(len(held))
					o := adaptive.Outcome{Latency: time.Duration(1+rng.IntN(2000)) * time.Millisecond}
					if rng.IntN(20) == 0 {
						o = adaptive.Outcome{Dropped: true}
					}
					clk.advance(time.Duration(rng.IntN(50)) * time.Millisecond)
					held[j].Done(o)
					held = append(held[:j], held[j+1:]...)
				}
				got := l.Limit()
				seen[got] = true
				require.GreaterOrEqual(t, got, tt.opts.Min, "step %d", i)
				require.LessOrEqual(t, got, tt.opts.Max, "step %d", i)
				require.LessOrEqual(t, l.InFlight(), tt.opts.Max, "step %d", i)
			}
			if tt.opts.Min < tt.opts.Max {
				assert.True(t, seen[tt.opts.Min] && seen[tt.opts.Max], "the walk reached both bounds: %v", seen)
			}
		})
	}
}

// TestNoAdmissionAboveLimitAfterCut: a cut cannot recall requests already
// sent, but nothing new starts until fewer than Limit are in flight.
func TestNoAdmissionAboveLimitAfterCut(t *testing.T) {
	l, _ := newLimiter(t, adaptive.Options{Initial: 8})
	var toks []adaptive.Token
	for range 8 {
		tok, ok := l.TryAcquire()
		require.True(t, ok)
		toks = append(toks, tok)
	}
	_, ok := l.TryAcquire()
	require.False(t, ok, "full")
	toks[0].Done(adaptive.Outcome{Dropped: true})
	require.Equal(t, 4, l.Limit())
	require.Equal(t, 7, l.InFlight())
	for i := 1; i <= 3; i++ {
		_, ok := l.TryAcquire()
		require.False(t, ok, "%d in flight, limit 4", l.InFlight())
		toks[i].Done(adaptive.Outcome{}) // no sample: only frees the slot
	}
	require.Equal(t, 4, l.InFlight())
	_, ok = l.TryAcquire()
	require.False(t, ok)
	toks[4].Done(adaptive.Outcome{})
	_, ok = l.TryAcquire()
	assert.True(t, ok, "3 in flight, limit 4")
}

func TestAcquire(t *testing.T) {
	tests := []struct {
		name    string
		ctx     func(t *testing.T) context.Context
		wantErr error
	}{
		{
			name: "cancelled while waiting",
			ctx: func(t *testing.T) context.Context {
				ctx, cancel := context.WithCancel(t.Context())
				go cancel()
				return ctx
			},
			wantErr: context.Canceled,
		},
		{
			name: "deadline while waiting",
			ctx: func(t *testing.T) context.Context {
				ctx, cancel := context.WithTimeout(t.Context(), time.Millisecond)
				t.Cleanup(cancel)
				return ctx
			},
			wantErr: context.DeadlineExceeded,
		},
		{
			name: "already cancelled",
			ctx: func(t *testing.T) context.Context {
				ctx, cancel := context.WithCancel(t.Context())
				cancel()
				return ctx
			},
			wantErr: context.Canceled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := newLimiter(t, adaptive.Options{Min: 1, Max: 1})
			held, err := l.Acquire(t.Context())
			require.NoError(t, err)
			_, err = l.Acquire(tt.ctx(t))
			require.ErrorIs(t, err, tt.wantErr)
			assert.Equal(t, 1, l.InFlight())
			assert.Zero(t, l.Stats().Waiting, "the waiter left the queue")
			held.Done(adaptive.Outcome{})
			tok, err := l.Acquire(t.Context())
			require.NoError(t, err, "the slot went back")
			tok.Done(adaptive.Outcome{})
			assert.Zero(t, l.InFlight())
		})
	}
}

// waitForWaiters spins (yielding, never sleeping) until n callers block.
func waitForWaiters(t *testing.T, l *adaptive.Limiter, n int) {
	t.Helper()
	for l.Stats().Waiting != n {
		select {
		case <-t.Context().Done():
			t.Fatalf("never saw %d waiters", n)
		default:
			runtime.Gosched()
		}
	}
}

func TestAcquireFirstComeFirstServed(t *testing.T) {
	l, _ := newLimiter(t, adaptive.Options{Min: 1, Max: 1})
	first, err := l.Acquire(t.Context())
	require.NoError(t, err)
	order := make(chan int, 3)
	toks := make(chan adaptive.Token, 3)
	for i := range 3 {
		go func() {
			tok, err := l.Acquire(t.Context())
			if err == nil {
				order <- i
				toks <- tok
			}
		}()
		waitForWaiters(t, l, i+1)
	}
	first.Done(adaptive.Outcome{})
	for want := range 3 {
		assert.Equal(t, want, <-order)
		(<-toks).Done(adaptive.Outcome{})
	}
	assert.Zero(t, l.InFlight())
}

func TestDone(t *testing.T) {
	t.Run("zero token does nothing", func(t *testing.T) {
		var tok adaptive.Token
		assert.NotPanics(t, func() { tok.Done(adaptive.Outcome{Dropped: true}) })
	})
	t.Run("twice panics", func(t *testing.T) {
		l, _ := newLimiter(t, adaptive.Options{})
		tok, ok := l.TryAcquire()
		require.True(t, ok)
		tok.Done(adaptive.Outcome{})
		assert.Panics(t, func() { tok.Done(adaptive.Outcome{}) })
	})
}

// TestConcurrentInFlightNeverAboveLimit runs many goroutines through
// Acquire and Done (go test -race) and records the most tokens ever held at
// once. With steady answers the limit never falls, so that high-water mark
// must never pass it; with 429s mixed in it must never pass Max.
func TestConcurrentInFlightNeverAboveLimit(t *testing.T) {
	tests := []struct {
		name    string
		opts    adaptive.Options
		dropped func(i int) bool
		bound   func(l *adaptive.Limiter) int
	}{
		{
			name:    "steady answers",
			opts:    adaptive.Options{Rate: 100, Initial: 15, Max: 40}, // 100/s × 100 ms × 1.5
			dropped: func(int) bool { return false },
			bound:   func(l *adaptive.Limiter) int { return l.Limit() },
		},
		{
			name:    "with 429s",
			opts:    adaptive.Options{Max: 16},
			dropped: func(i int) bool { return i%7 == 0 },
			bound:   func(*adaptive.Limiter) int { return 16 },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, _ := newLimiter(t, tt.opts)
			var cur, high atomic.Int64
			var wg sync.WaitGroup
			for g := range 64 {
				wg.Go(func() {
					for i := range 200 {
						tok, err := l.Acquire(t.Context())
						if !assert.NoError(t, err) {
							return
						}
						n := cur.Add(1)
						for h := high.Load(); n > h && !high.CompareAndSwap(h, n); h = high.Load() {
						}
						runtime.Gosched()
						cur.Add(-1)
						tok.Done(adaptive.Outcome{Latency: 100 * time.Millisecond, Dropped: tt.dropped(g*200 + i)})
					}
				})
			}
			wg.Wait()
			assert.LessOrEqual(t, int(high.Load()), tt.bound(l))
			assert.Greater(t, high.Load(), int64(1), "the goroutines did overlap")
			assert.Zero(t, l.InFlight())
			assert.Zero(t, l.Stats().Waiting)
		})
	}
}

func posInf() float64 { return math.Inf(1) }

func nan() float64 { return math.NaN() }
