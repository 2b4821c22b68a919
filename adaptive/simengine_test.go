package adaptive_test

import (
	"container/heap"
	"math/rand/v2"
	"slices"
	"time"

	"golang.org/x/time/rate"

	"github.com/xonvo/xonvo-import/adaptive"
)

// The simulation runs an import in virtual time, wired as doc.go says the
// client should be: a pool of workers (one per allowed slot, as the
// importer's pool of Max goroutines) each takes a request and, for every
// attempt, takes a slot from the limiter (first come first served), waits
// on a real golang.org/x/time/rate bucket driven with explicit times, is
// answered by the server after its latency, and calls Done. A 429 is retried
// after Retry-After without holding a slot, through the limiter and the
// bucket again. Nothing reads the wall clock: every run gives the same
// numbers.

// simConfig is one scenario.
type simConfig struct {
	rate     float64 // 0: no rate (the bucket lets everything through)
	burst    int
	requests int
	latency  func(attempt int) time.Duration
	// serverLimit > 0 answers 429 to the arrivals beyond serverLimit within
	// one clock second, as the sandbox's RateLimit does.
	serverLimit int
	retryAfter  time.Duration
	// holdAcrossRetries wires the limiter per call instead of per attempt:
	// a worker keeps its slot through Retry-After and its retries, and
	// reports one Outcome (Dropped if any attempt got a 429) at the end.
	holdAcrossRetries bool
	// serverWorkers > 0 replaces latency by a server of that many workers,
	// each taking service per request, queueing the rest in arrival order,
	// so that latency grows with load.
	serverWorkers int
	service       time.Duration
	opts          adaptive.Options // Rate and Now are filled in
}

// simResult is what a scenario measured.
type simResult struct {
	utilisation  float64       // ideal time for the starts ÷ time of the last start (with a rate)
	throughput   float64       // attempts started per second
	maxPerSecond int           // most starts in any closed one-second window
	peakInFlight int           // most slots held at once
	steadyQueued int           // most attempts holding a slot but waiting on the bucket, after simSettle
	finalLimit   int           // the limit at the end
	cuts         uint64        // decreases of the limit
	starts       int           // attempts started (first tries and retries)
	rejected     int           // attempts answered 429
	meanRTT      time.Duration // mean round trip of the attempts
	elapsed      time.Duration // until the last answer
}

// simSettle is when a run counts as past its start: the first answers have
// long come back and the limit has left its initial value.
const simSettle = 5 * time.Second

type simEventKind int

const (
	evReady  simEventKind = iota // a worker asks the limiter for a slot
	evRetry                      // a worker holding its slot retries: to the bucket
	evStart                      // the bucket lets its attempt go
	evAnswer                     // the server's answer arrives
)

type simEvent struct {
	at   time.Duration
	seq  int // ties break in scheduling order
	kind simEventKind
	w    *simWorker
}

// simWorker is one importer goroutine and the request it is on.
type simWorker struct {
	tok      adaptive.Token
	rtt      time.Duration
	rejected bool // the current attempt got a 429
	dropped  bool // some attempt of the request got a 429
}

type eventQueue []*simEvent

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(i, j int) bool {
	if q[i].at != q[j].at {
		return q[i].at < q[j].at
	}
	return q[i].seq < q[j].seq
}
func (q eventQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *eventQueue) Push(x any)   { *q = append(*q, x.(*simEvent)) }
func (q *eventQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// simulation is the state of one run.
type simulation struct {
	cfg    simConfig
	epoch  time.Time
	now    time.Duration
	lim    *adaptive.Limiter
	bucket *rate.Limiter
	events eventQueue
	seq    int
	fifo   []*simWorker // workers blocked in Acquire, oldest first
	queued int          // attempts holding a slot, waiting on the bucket
	issued int          // requests taken by workers
	server []time.Duration
	starts []time.Duration
	perSec map[time.Duration]int
	rttSum time.Duration
	res    simResult
}

// simulate runs cfg and returns what it measured.
func simulate(cfg simConfig) (simResult, error) {
	s := &simulation{cfg: cfg, epoch: time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC),
		server: make([]time.Duration, cfg.serverWorkers), perSec: map[time.Duration]int{}}
	opts := cfg.opts
	opts.Rate = cfg.rate
	opts.Now = func() time.Time { return s.epoch.Add(s.now) }
	lim, err := adaptive.New(opts)
	if err != nil {
		return simResult{}, err
	}
	s.lim = lim
	s.bucket = rate.NewLimiter(rate.Limit(cfg.rate), cfg.burst)
	if cfg.rate == 0 {
		s.bucket = rate.NewLimiter(rate.Inf, 0)
	}
	workers := opts.Max
	if workers == 0 {
		workers = adaptive.DefaultMax
	}
	for range workers {
		s.takeRequest(&simWorker{})
	}
	s.admit()
	for s.events.Len() > 0 {
		e := heap.Pop(&s.events).(*simEvent)
		s.now = e.at
		switch e.kind {
		case evReady:
			s.fifo = append(s.fifo, e.w)
		case evRetry:
			s.toBucket(e.w)
		case evStart:
			s.start(e.w)
		case evAnswer:
			s.answer(e.w)
		}
		s.admit()
	}
	return s.result(), nil
}

func (s *simulation) push(at time.Duration, kind simEventKind, w *simWorker) {
	s.seq++
	heap.Push(&s.events, &simEvent{at: at, seq: s.seq, kind: kind, w: w})
}

// takeRequest gives w the next request, if any: it asks for a slot now.
func (s *simulation) takeRequest(w *simWorker) {
	if s.issued < s.cfg.requests {
		s.issued++
		s.push(s.now, evReady, w)
	}
}

// admit hands slots to blocked workers in order; each then waits on the
// bucket.
func (s *simulation) admit() {
	for len(s.fifo) > 0 {
		tok, ok := s.lim.TryAcquire()
		if !ok {
			return
		}
		w := s.fifo[0]
		s.fifo = s.fifo[1:]
		w.tok = tok
		s.res.peakInFlight = max(s.res.peakInFlight, s.lim.InFlight())
		s.toBucket(w)
	}
}

// toBucket makes w, holding a slot, wait on the bucket.
func (s *simulation) toBucket(w *simWorker) {
	{
		at := s.epoch.Add(s.now)
		delay := s.bucket.ReserveN(at, 1).DelayFrom(at)
		s.queued++
		if s.now >= simSettle {
			s.res.steadyQueued = max(s.res.steadyQueued, s.queued)
		}
		s.push(s.now+delay, evStart, w)
	}
}

// start sends w's attempt: the server decides now, answers after the
// round trip.
func (s *simulation) start(w *simWorker) {
	s.queued--
	s.starts = append(s.starts, s.now)
	if s.cfg.serverWorkers > 0 {
		i := slices.Index(s.server, slices.Min(s.server))
		s.server[i] = max(s.server[i], s.now) + s.cfg.service
		w.rtt = s.server[i] - s.now
	} else {
		w.rtt = s.cfg.latency(len(s.starts) - 1)
	}
	s.rttSum += w.rtt
	sec := s.now.Truncate(time.Second)
	s.perSec[sec]++
	w.rejected = s.cfg.serverLimit > 0 && s.perSec[sec] > s.cfg.serverLimit
	s.push(s.now+w.rtt, evAnswer, w)
}

// answer reports the attempt to the limiter; a 429 is retried after
// Retry-After, anything else finishes the request.
func (s *simulation) answer(w *simWorker) {
	if w.rejected {
		s.res.rejected++
		w.dropped = true
		if s.cfg.holdAcrossRetries {
			s.push(s.now+s.cfg.retryAfter, evRetry, w)
			return
		}
		w.tok.Done(adaptive.Outcome{Dropped: true})
		s.push(s.now+s.cfg.retryAfter, evReady, w)
		return
	}
	w.tok.Done(adaptive.Outcome{Latency: w.rtt, Dropped: s.cfg.holdAcrossRetries && w.dropped})
	w.dropped = false
	s.takeRequest(w)
}

func (s *simulation) result() simResult {
	r := s.res
	r.starts = len(s.starts)
	r.elapsed = s.now
	r.finalLimit = s.lim.Limit()
	r.cuts = s.lim.Stats().Cuts
	r.maxPerSecond = maxInWindow(s.starts, time.Second)
	r.meanRTT = s.rttSum / time.Duration(len(s.starts))
	last := s.starts[len(s.starts)-1]
	r.throughput = float64(len(s.starts)) / last.Seconds()
	r.utilisation = 1
	if s.cfg.rate > 0 && last > 0 {
		ideal := float64(len(s.starts)-s.cfg.burst) / s.cfg.rate
		r.utilisation = ideal / last.Seconds()
	}
	return r
}

// maxInWindow returns the most times within any closed window of length w.
func maxInWindow(times []time.Duration, w time.Duration) int {
	times = slices.Clone(times)
	slices.Sort(times)
	best, i := 0, 0
	for j := range times {
		for times[j]-times[i] > w {
			i++
		}
		best = max(best, j-i+1)
	}
	return best
}

// fixedLatency answers every attempt after d.
func fixedLatency(d time.Duration) func(int) time.Duration {
	return func(int) time.Duration { return d }
}

// jitteredLatency answers after d ± frac·d, uniform, from a seeded source.
func jitteredLatency(d time.Duration, frac float64, seed uint64) func(int) time.Duration {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return func(int) time.Duration {
		return time.Duration(float64(d) * (1 + frac*(2*rng.Float64()-1)))
	}
}

// stepLatency answers after a until attempt n, after b from then on.
func stepLatency(a, b time.Duration, n int) func(int) time.Duration {
	return func(i int) time.Duration {
		if i < n {
			return a
		}
		return b
	}
}
