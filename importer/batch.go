package importer

// batch is the open or closed group of rows of one account.
type batch struct {
	key      string
	items    []*Item
	bytes    int
	firstSeq int64
	closed   bool
	// body is the request body of the whole batch, joined as rows come
	// when the action has a bodyFrame (nil otherwise): the rows' payloads
	// are cut from it, so a payload is copied once, into its request.
	body []byte
}

// bodyFrame is what a batched action's request body has around the rows'
// payloads, which go between them separated by commas (BulkLeads:
// {"leadsByAccountId":{"<account>":[ ... ]}}).
type bodyFrame interface {
	Head(key string) []byte
	Tail() []byte
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
	fifo  []*batch
	emit  func(*batch)
	frame bodyFrame // nil: batches have no joined body
	// fill is about how many rows recent batches closed with (a moving
	// average, at first maxRows): a new body is sized for it, so that rows
	// spread over many accounts, whose batches the window closes nearly
	// empty, do not each reserve a full batch's bytes.
	fill int
	// bodies, when set, gives back the bodies of batches already sent.
	bodies *bodyPool
}

func newBatcher(maxRows, maxBytes int, window int64, frame bodyFrame, bodies *bodyPool, emit func(*batch)) *batcher {
	return &batcher{maxRows: maxRows, maxBytes: maxBytes, window: window,
		open: make(map[string]*batch), emit: emit, frame: frame, fill: maxRows, bodies: bodies}
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
		if b.frame != nil {
			bt.body = b.startBody(it)
		}
		b.open[it.AccountID] = bt
		b.fifo = append(b.fifo, bt)
	}
	if b.frame != nil {
		b.join(bt, it)
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

// startBody begins a batch's body with its frame's head, sized for as many
// rows like it as recent batches held, so that joining rarely moves it.
func (b *batcher) startBody(it *Item) []byte {
	head, tail := b.frame.Head(it.AccountID), b.frame.Tail()
	rows := min(b.fill+b.fill/8+1, b.maxRows)
	size := len(head) + len(tail) + min(rows*(len(it.Payload)+1)*9/8, b.maxBytes+b.maxBytes/8)
	return append(b.bodies.get(size), head...)
}

// bodyPool holds the bodies of batches the server accepted, for new batches
// to be joined into: a million-row import made 640 MB of bodies (40 KB a
// request), about half of what its garbage collector ran for. Taking and
// giving back never wait: an empty pool makes a new body, a full one lets
// the body go. The nil pool always makes a new one.
type bodyPool struct {
	free chan []byte
	// largest is the capacity of the largest body made so far, which every
	// new one gets at least: sizes vary with the first row's payload, and
	// bodies of one size fit each other's batches. Used by get only (the
	// mapping goroutine).
	largest int
}

func newBodyPool(n int) *bodyPool { return &bodyPool{free: make(chan []byte, n)} }

// get returns an empty body with room for size bytes.
func (p *bodyPool) get(size int) []byte {
	if p == nil {
		return make([]byte, 0, size)
	}
	select {
	case b := <-p.free:
		if cap(b) >= size {
			return b[:0]
		}
	default:
	}
	p.largest = max(p.largest, size)
	return make([]byte, 0, p.largest)
}

// put gives back a body that nothing reads or writes any more.
func (p *bodyPool) put(b []byte) {
	if p == nil {
		return
	}
	select {
	case p.free <- b[:0]:
	default:
	}
}

// join appends it's payload to the batch's body, and cuts it.Payload from
// there: the caller's copy (the mapping stage's buffer) is not kept. A body
// that outgrows its first guess moves; the payloads cut before then keep
// the old array, which holds the same bytes.
func (b *batcher) join(bt *batch, it *Item) {
	if len(bt.items) > 0 {
		bt.body = append(bt.body, ',')
	}
	at := len(bt.body)
	bt.body = append(bt.body, it.Payload...)
	it.Payload = bt.body[at:len(bt.body):len(bt.body)]
}

func (b *batcher) close(bt *batch) {
	bt.closed = true
	if b.frame != nil {
		bt.body = append(bt.body, b.frame.Tail()...)
		b.fill = max(1, b.fill+(len(bt.items)-b.fill)/4)
	}
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
