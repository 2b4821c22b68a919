package importer

// batch is the open or closed group of rows of one account.
type batch struct {
	key      string
	items    []*Item
	bytes    int
	firstSeq int64
	closed   bool
}

// batcher groups items by account. A batch closes when it reaches maxRows
// rows or maxBytes of payload, or when its first row falls more than window
// rows behind the reader; the window bounds both the rows held in open
// batches and the report's reorder buffer, however the accounts are spread.
type batcher struct {
	maxRows  int
	maxBytes int
	window   int64
	open     map[string]*batch
	// fifo holds batches in creation order, so the oldest open batch is found
	// without scanning; closed ones are dropped lazily from its front.
	fifo []*batch
	emit func(*batch)
}

func newBatcher(maxRows, maxBytes int, window int64, emit func(*batch)) *batcher {
	return &batcher{maxRows: maxRows, maxBytes: maxBytes, window: window,
		open: make(map[string]*batch), emit: emit}
}

// add puts it into its account's batch, closing batches as the limits say.
func (b *batcher) add(it *Item) {
	bt := b.open[it.AccountID]
	if bt != nil && len(bt.items) > 0 && bt.bytes+len(it.Payload) > b.maxBytes {
		b.close(bt)
		bt = nil
	}
	if bt == nil {
		bt = &batch{key: it.AccountID, firstSeq: it.seq, items: make([]*Item, 0, min(b.maxRows, 64))}
		b.open[it.AccountID] = bt
		b.fifo = append(b.fifo, bt)
	}
	bt.items = append(bt.items, it)
	bt.bytes += len(it.Payload) + 1
	if len(bt.items) >= b.maxRows {
		b.close(bt)
	}
	b.closeOlderThan(it.seq - b.window)
}

// closeOlderThan closes every open batch whose first row came before seq.
func (b *batcher) closeOlderThan(seq int64) {
	for len(b.fifo) > 0 {
		front := b.fifo[0]
		if !front.closed && front.firstSeq >= seq {
			return
		}
		if !front.closed {
			b.close(front)
		}
		b.fifo[0] = nil
		b.fifo = b.fifo[1:]
	}
}

func (b *batcher) close(bt *batch) {
	bt.closed = true
	if b.open[bt.key] == bt {
		delete(b.open, bt.key)
	}
	b.emit(bt)
}

// flush closes every open batch, oldest first.
func (b *batcher) flush() {
	for _, bt := range b.fifo {
		if !bt.closed {
			b.close(bt)
		}
	}
	b.fifo = nil
}
