package sandbox

import (
	"slices"
	"sync"
	"time"
)

// RequestRecord is one API request the sandbox answered (or dropped).
type RequestRecord struct {
	// Time is when the request arrived, by Options.Now (before Latency and
	// before the body was read), so it measures the client's pace.
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	// Status is the status sent, or for a dropped request the one it would
	// have had; 0 when the caller left before an answer.
	Status int `json:"status"`
	// Leads is the number of leads the body carried (read so far, when
	// decoding stopped at an error).
	Leads int `json:"leads"`
	// Fault is "rate_limited", "failed", "dropped" or empty.
	Fault string `json:"fault,omitempty"`
}

// RequestStats are the totals over every API request since the start, also
// those the bounded log has forgotten.
type RequestStats struct {
	Total    int64            `json:"total"`
	Leads    int64            `json:"leads"`
	ByStatus map[int]int64    `json:"byStatus"`
	ByFault  map[string]int64 `json:"byFault"`
}

// RequestLog is a list of request records, as Server.Requests and
// GET /_sandbox/requests give them, with the measures of rate adherence
// seen from the server's side. Records are kept in the order answered; the
// measures go by arrival Time whatever the order.
type RequestLog []RequestRecord

// arrivals returns the arrival times in order.
func (l RequestLog) arrivals() []time.Time {
	times := make([]time.Time, len(l))
	for i, r := range l {
		times[i] = r.Time
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	return times
}

// MaxInWindow is the most requests that arrived within any window of
// length d, [t, t+d): with d = time.Second, the worst one-second window,
// to compare with the client's --rate plus its --burst. 0 for d <= 0.
func (l RequestLog) MaxInWindow(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	times := l.arrivals()
	best, start := 0, 0
	for end, t := range times {
		for t.Sub(times[start]) >= d {
			start++
		}
		best = max(best, end-start+1)
	}
	return best
}

// Span is the time from the first arrival to the last.
func (l RequestLog) Span() time.Duration {
	if len(l) < 2 {
		return 0
	}
	times := l.arrivals()
	return times[len(times)-1].Sub(times[0])
}

// PerSecond is the mean arrival rate: the requests after the first, per
// second of Span (n requests evenly 1/r apart give exactly r). 0 with
// fewer than two requests or no time between them.
func (l RequestLog) PerSecond() float64 {
	span := l.Span()
	if span <= 0 {
		return 0
	}
	return float64(len(l)-1) / span.Seconds()
}

// Utilisation is PerSecond as a fraction of limit, the rate the client was
// allowed (--rate): 1 means it used all of it; a little above 1 is the
// initial burst. 0 when limit is not positive.
func (l RequestLog) Utilisation(limit float64) float64 {
	if limit <= 0 {
		return 0
	}
	return l.PerSecond() / limit
}

// requestLog keeps the last requestLogSize records in a ring, plus totals.
type requestLog struct {
	mu    sync.Mutex
	ring  []RequestRecord
	next  int
	full  bool
	stats RequestStats
}

func newRequestLog() *requestLog {
	return &requestLog{stats: RequestStats{ByStatus: map[int]int64{}, ByFault: map[string]int64{}}}
}

func (l *requestLog) add(rec RequestRecord) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.ring) < requestLogSize {
		l.ring = append(l.ring, rec)
	} else {
		l.ring[l.next] = rec
		l.full = true
	}
	l.next = (l.next + 1) % requestLogSize
	l.stats.Total++
	l.stats.Leads += int64(rec.Leads)
	l.stats.ByStatus[rec.Status]++
	if rec.Fault != "" {
		l.stats.ByFault[rec.Fault]++
	}
}

// records returns the kept records, oldest first.
func (l *requestLog) records() RequestLog {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.full {
		return append(make(RequestLog, 0, len(l.ring)), l.ring...)
	}
	out := make(RequestLog, 0, len(l.ring))
	out = append(out, l.ring[l.next:]...)
	return append(out, l.ring[:l.next]...)
}

func (l *requestLog) totals() RequestStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := RequestStats{Total: l.stats.Total, Leads: l.stats.Leads,
		ByStatus: make(map[int]int64, len(l.stats.ByStatus)), ByFault: make(map[string]int64, len(l.stats.ByFault))}
	for k, v := range l.stats.ByStatus {
		out.ByStatus[k] = v
	}
	for k, v := range l.stats.ByFault {
		out.ByFault[k] = v
	}
	return out
}
