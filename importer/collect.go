package importer

import (
	"fmt"

	"github.com/xonvo/xonvo-import/reports"
)

// done is the final result of row seq.
type done struct {
	seq int64
	res reports.RowResult
}

// collector writes row results to the report in input order, on its own
// goroutine so that writing the report overlaps reading and mapping (on a
// dry run the two halves cost about the same). Rows finish out of order
// (batches by account, concurrent workers); a result that arrives before its
// predecessors waits in a buffer whose size the batcher's window bounds.
type collector struct {
	in   chan []done
	free chan []done // emptied chunks, handed back to the outboxes
	quit chan struct{}
	w    reports.Writer
	// onWriteErr stops the run when the report cannot be written.
	onWriteErr func(error)

	// Owned by the collector's goroutine until quit is closed.
	next    int64 // seq of the next row the report expects
	pending reorderBuffer
	counts  map[reports.Status]int64
	err     error // first write error
}

// collectorQueue is how many outboxes wait for the collector: 16 (4,096 rows)
// smooth its pace as well as 64 did (a million-row import: 8.54-8.76 s with
// 64, 8.67-8.81 s with 16), and the rows waiting hold their cells, which is
// peak memory: 2-8 MB less on a million-row dry run.
const collectorQueue = 16

func startCollector(w reports.Writer, onWriteErr func(error)) *collector {
	c := &collector{in: make(chan []done, collectorQueue), free: make(chan []done, 2*collectorQueue), quit: make(chan struct{}), w: w, onWriteErr: onWriteErr,
		counts: make(map[reports.Status]int64)}
	go c.loop()
	return c
}

func (c *collector) loop() {
	defer close(c.quit)
	for ds := range c.in {
		for _, d := range ds {
			c.complete(d)
		}
		clear(ds) // the results' strings must not outlive the report row
		select {
		case c.free <- ds[:0]:
		default:
		}
	}
}

// complete records one result, writing every row that is now in order.
func (c *collector) complete(d done) {
	c.counts[d.res.Status]++
	if d.seq != c.next {
		c.pending.put(d.seq-c.next, d.res)
		return
	}
	c.write(d.res)
	for {
		r, ok := c.pending.take()
		if !ok {
			return
		}
		c.write(r)
	}
}

// write writes the next row's result; the reorder buffer moves on with it.
func (c *collector) write(r reports.RowResult) {
	c.next++
	c.pending.advance()
	if c.err != nil {
		return
	}
	if err := c.w.Write(r); err != nil {
		c.err = fmt.Errorf("write report: %w", err)
		if c.onWriteErr != nil {
			c.onWriteErr(c.err)
		}
	}
}

// result waits for every submitted result to be handled and returns the
// counts, and an error if a row is missing from the report or a write failed:
// every row that entered must have left exactly once. No submit may follow.
func (c *collector) result(entered int64) (map[reports.Status]int64, error) {
	close(c.in)
	<-c.quit
	if c.err != nil {
		return c.counts, c.err
	}
	if c.next != entered || c.pending.n != 0 {
		return c.counts, fmt.Errorf("internal error: %d rows entered, %d reported, %d waiting", entered, c.next, c.pending.n)
	}
	return c.counts, nil
}

// outboxSize is how many results a goroutine gathers before handing them to
// the collector: one channel operation per chunk instead of per row.
const outboxSize = 256

// outbox gathers one goroutine's finished rows for the collector.
type outbox struct {
	c   *collector
	buf []done
}

func (o *outbox) add(seq int64, res reports.RowResult) {
	if o.buf == nil {
		select {
		case o.buf = <-o.c.free:
		default:
			o.buf = make([]done, 0, outboxSize)
		}
	}
	o.buf = append(o.buf, done{seq: seq, res: res})
	if len(o.buf) == outboxSize {
		o.flush()
	}
}

func (o *outbox) flush() {
	if len(o.buf) == 0 {
		return
	}
	o.c.in <- o.buf
	o.buf = nil
}
