package sandbox

import (
	"sync"
	"time"
)

// RequestRecord is one API request the sandbox answered (or dropped).
type RequestRecord struct {
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
func (l *requestLog) records() []RequestRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.full {
		return append(make([]RequestRecord, 0, len(l.ring)), l.ring...)
	}
	out := make([]RequestRecord, 0, len(l.ring))
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
