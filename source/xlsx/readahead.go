package xlsx

import (
	"errors"
	"io"
	"sync"
)

// readAhead inflates a zip part on its own goroutine while the XML scanner
// works on what was already inflated. The profile of an XLSX dry run showed
// the reading goroutine spending about a third of its time in
// compress/flate; running the two side by side on two cores took the
// 100k-row sheet from ~45k to over 60k rows/s.
type readAhead struct {
	src    io.ReadCloser
	blocks chan []byte // filled blocks, in order
	free   chan []byte // emptied blocks, back to the filler
	done   chan struct{}
	wg     sync.WaitGroup
	err    error  // the filler's final error; read after blocks is closed
	blk    []byte // the block being read, whole, to hand back
	cur    []byte // what is left of it
	once   sync.Once
}

// errReadAheadClosed is what a read gets once the reader is closed (a tokenizer still
// reading then stops instead of waiting).
var errReadAheadClosed = errors.New("read after close")

const (
	readAheadBlock  = 256 << 10
	readAheadBlocks = 4
)

func newReadAhead(src io.ReadCloser) *readAhead {
	r := &readAhead{src: src, blocks: make(chan []byte, readAheadBlocks),
		free: make(chan []byte, readAheadBlocks), done: make(chan struct{})}
	for range readAheadBlocks {
		r.free <- make([]byte, readAheadBlock)
	}
	r.wg.Add(1)
	go r.fill()
	return r
}

func (r *readAhead) fill() {
	defer r.wg.Done()
	defer close(r.blocks)
	for {
		var buf []byte
		select {
		case buf = <-r.free:
		case <-r.done:
			r.err = errReadAheadClosed
			return
		}
		n, err := io.ReadFull(r.src, buf[:cap(buf)])
		if n > 0 {
			select {
			case r.blocks <- buf[:n]:
			case <-r.done:
				r.err = errReadAheadClosed
				return
			}
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				err = io.EOF
			}
			r.err = err
			return
		}
	}
}

// Read implements io.Reader.
func (r *readAhead) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		blk, ok := <-r.blocks
		if !ok {
			return 0, r.err
		}
		r.blk, r.cur = blk, blk
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	if len(r.cur) == 0 {
		select {
		case r.free <- r.blk[:cap(r.blk)]:
		default:
		}
		r.blk = nil
	}
	return n, nil
}

// Close stops the filler and closes the part.
func (r *readAhead) Close() error {
	r.once.Do(func() { close(r.done) })
	r.wg.Wait()
	return r.src.Close()
}
