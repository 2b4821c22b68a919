package importer

import (
	"bufio"
	"sync"

	"github.com/xonvo/xonvo-import/reports"
)

// sink is where the mapping stage hands valid items: the API, or a dry run
// that reports them valid (and writes the requests it would have made).
type sink interface {
	// needsPayload tells the mapping stage to encode each item.
	needsPayload() bool
	// add takes one item from the mapping goroutine; it copies the item if
	// it keeps it. Results it can give at once go through ob.
	add(it *Item, ob *outbox)
	// close flushes open batches and waits for every request.
	close()
}

// apiSink batches items by account and sends the batches on a pool of
// workers.
type apiSink struct {
	sender  *sender
	batcher *batcher
	work    chan *batch
	wg      sync.WaitGroup
}

func newAPISink(s *sender, opts *Options) *apiSink {
	a := &apiSink{sender: s, work: make(chan *batch, opts.Concurrency)}
	a.batcher = newBatcher(opts.BatchRows, opts.BatchBytes, int64(opts.Window), func(b *batch) { a.work <- b })
	for range opts.Concurrency {
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			for b := range a.work {
				s.process(b)
			}
		}()
	}
	return a
}

func (a *apiSink) needsPayload() bool { return true }

func (a *apiSink) add(it *Item, _ *outbox) {
	own := *it // Lead, if any, is the item's own (Prepare)
	a.batcher.add(&own)
}

func (a *apiSink) close() {
	a.batcher.flush()
	close(a.work)
	a.wg.Wait()
}

// dryRunSink reports every item valid. With a payloads file it also batches
// them exactly as a real run would and writes each request body, one per
// line.
type dryRunSink struct {
	fin     *finisher
	action  Action
	payload *bufio.Writer // nil: no payloads
	batcher *batcher
}

func newDryRunSink(fin *finisher, action Action, payload *bufio.Writer, opts *Options) *dryRunSink {
	d := &dryRunSink{fin: fin, action: action, payload: payload}
	if payload != nil {
		d.batcher = newBatcher(opts.BatchRows, opts.BatchBytes, int64(opts.Window), d.write)
	}
	return d
}

func (d *dryRunSink) needsPayload() bool { return d.payload != nil }

func (d *dryRunSink) add(it *Item, ob *outbox) {
	d.fin.finish(ob, it, reports.StatusValid, "")
	if d.batcher == nil {
		return
	}
	// The report row is written; the batch needs only the payload.
	own := Item{AccountID: it.AccountID, Payload: it.Payload, Lead: it.Lead, seq: it.seq}
	d.batcher.add(&own)
}

// write writes one batch's request body; a write error surfaces at Flush.
func (d *dryRunSink) write(b *batch) {
	body := d.action.Body(b.items)
	if body == nil {
		return
	}
	_, _ = d.payload.Write(body)
	_ = d.payload.WriteByte('\n')
}

func (d *dryRunSink) close() {
	if d.batcher != nil {
		d.batcher.flush()
	}
}
