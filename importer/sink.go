package importer

import (
	"bufio"
	"sync"
	"sync/atomic"

	"github.com/xonvo/xonvo-import/internal/slab"
	"github.com/xonvo/xonvo-import/reports"
)

// sink is where the mapping stage hands valid items: the API, or a dry run
// that reports them valid (and writes the requests it would have made).
type sink interface {
	// needsPayload tells the mapping stage to encode each item.
	needsPayload() bool
	// add takes one item from the mapping goroutine; it copies the item,
	// and its Payload (which the next row's encoding overwrites), if it
	// keeps it. Results it can give at once go through ob.
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
	kept    keptItems
}

func newAPISink(s *sender, opts *Options) *apiSink {
	a := &apiSink{sender: s, work: make(chan *batch, opts.Concurrency)}
	frame, _ := s.action.(bodyFrame)
	if frame != nil {
		// As many bodies as can be in flight and queued for the workers.
		s.bodies = newBodyPool(2 * opts.Concurrency)
	}
	a.batcher = newBatcher(opts.BatchRows, opts.BatchBytes, int64(opts.Window), frame, s.bodies, func(b *batch) { a.work <- b })
	a.kept = newKeptItems(frame != nil)
	// The API sink finishes every item it keeps (finisher.finish), so
	// their blocks can be given back and refilled.
	a.kept.blocks = newItemBlocks(32)
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
	a.batcher.add(a.kept.keep(it))
}

// keptItems copies the items a sink keeps, with their payloads, into
// shared blocks: two allocations a row (the item, its JSON) were a tenth
// of a million-row import's in-order stage. Queued rows are sent and let
// go in about the order they came, so their blocks go too. Used by the
// mapping goroutine only.
type keptItems struct {
	items    slab.Slab[Item]
	payloads slab.Slab[byte]
	joined   bool // the batcher copies payloads into batch bodies (bodyFrame)
	// blocks, when set, cuts the items instead of items, from blocks that
	// come back once all their items are finished.
	blocks *itemBlocks
}

// newKeptItems cuts items 256 at a time and payloads 64 KB at a time; joined
// says the batcher copies payloads into batch bodies itself.
func newKeptItems(joined bool) keptItems {
	return keptItems{items: slab.Slab[Item]{Block: 256}, payloads: slab.Slab[byte]{Block: 64 << 10}, joined: joined}
}

// keep returns the sink's own copy of it. Lead, if any, is already the
// item's own (Prepare); Payload is not (Encode reuses its buffer), and is
// copied here unless the batcher joins it into its batch's body.
func (k *keptItems) keep(it *Item) *Item {
	var own *Item
	if k.blocks != nil {
		own = k.blocks.new(it)
	} else {
		own = k.items.New(*it)
	}
	if !k.joined {
		own.Payload = k.payloads.Copy(it.Payload)
	}
	return own
}

// itemBlockSize is how many items a block holds.
const itemBlockSize = 256

// itemBlock is a block of kept items that is refilled once every one of
// them is finished: a kept item for every row sent was 270 MB of a
// million-row import's allocation, a third of what its garbage collector
// ran for.
type itemBlock struct {
	items [itemBlockSize]Item
	done  atomic.Int32 // items finished (itemBlocks.release)
	back  chan<- *itemBlock
}

// itemBlocks cuts items from blocks; new is for the mapping goroutine only.
type itemBlocks struct {
	cur  *itemBlock
	next int // the next item of cur to cut
	free chan *itemBlock
}

func newItemBlocks(n int) *itemBlocks { return &itemBlocks{free: make(chan *itemBlock, n)} }

// new returns a copy of it in a block, made or given back.
func (p *itemBlocks) new(it *Item) *Item {
	if p.cur == nil || p.next == itemBlockSize {
		select {
		case b := <-p.free:
			p.cur = b
			b.done.Store(0)
		default:
			p.cur = &itemBlock{back: p.free}
		}
		p.next = 0
	}
	own := &p.cur.items[p.next]
	p.next++
	*own = *it
	own.block = p.cur
	return own
}

// releaseItem counts it finished: nothing may touch it after. The last
// item of a block to finish gives the block back (or lets it go, when
// enough wait). An item not cut from a block is left alone.
func releaseItem(it *Item) {
	b := it.block
	if b == nil || b.done.Add(1) != itemBlockSize {
		return
	}
	select {
	case b.back <- b:
	default:
	}
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
	kept    keptItems
}

func newDryRunSink(fin *finisher, action Action, payload *bufio.Writer, opts *Options) *dryRunSink {
	d := &dryRunSink{fin: fin, action: action, payload: payload}
	if payload != nil {
		frame, _ := action.(bodyFrame)
		d.batcher = newBatcher(opts.BatchRows, opts.BatchBytes, int64(opts.Window), frame, nil, d.write)
		d.kept = newKeptItems(frame != nil)
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
	d.batcher.add(d.kept.keep(&Item{AccountID: it.AccountID, Payload: it.Payload, Lead: it.Lead, seq: it.seq}))
}

// write writes one batch's request body; a write error surfaces at Flush.
func (d *dryRunSink) write(b *batch) {
	body := b.body
	if body == nil {
		body = d.action.Body(b.items)
	}
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
