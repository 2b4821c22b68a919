package importer

import (
	"fmt"
	"sync"

	"github.com/xonvo/xonvo-import/reports"
)

// collector writes row results to the report in input order. Rows finish out
// of order (batches by account, concurrent workers); a result that arrives
// before its predecessors waits in a buffer whose size the batcher's window
// bounds.
type collector struct {
	mu      sync.Mutex
	w       reports.Writer
	next    int64 // seq of the next row the report expects
	pending map[int64]reports.RowResult
	counts  map[reports.Status]int64
	errors  int64 // invalid, duplicate, rejected and failed rows so far
	err     error // first write error

	maxErrors int64
	onMax     func()
}

func newCollector(w reports.Writer, maxErrors int64, onMax func()) *collector {
	return &collector{w: w, pending: make(map[int64]reports.RowResult),
		counts: make(map[reports.Status]int64), maxErrors: maxErrors, onMax: onMax}
}

// complete records the result of row seq. It is safe for concurrent use.
func (c *collector) complete(seq int64, r reports.RowResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[r.Status]++
	switch r.Status {
	case reports.StatusInvalid, reports.StatusDuplicate, reports.StatusRejected, reports.StatusFailed:
		c.errors++
		if c.maxErrors > 0 && c.errors == c.maxErrors && c.onMax != nil {
			c.onMax()
		}
	}
	if seq != c.next {
		c.pending[seq] = r
		return
	}
	c.write(r)
	for {
		r, ok := c.pending[c.next]
		if !ok {
			return
		}
		delete(c.pending, c.next)
		c.write(r)
	}
}

func (c *collector) write(r reports.RowResult) {
	c.next++
	if c.err == nil {
		if err := c.w.Write(r); err != nil {
			c.err = fmt.Errorf("write report: %w", err)
		}
	}
}

// result returns the counts, and an error if a row is missing from the report
// or a write failed: every row that entered must have left exactly once.
func (c *collector) result(entered int64) (map[reports.Status]int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.counts, c.err
	}
	if c.next != entered || len(c.pending) != 0 {
		return c.counts, fmt.Errorf("internal error: %d rows entered, %d reported, %d waiting", entered, c.next, len(c.pending))
	}
	return c.counts, nil
}

func (c *collector) writeErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}
