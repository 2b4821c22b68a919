package importer

import (
	"context"
	"errors"
	"io"
	"runtime"
	"sync"

	"github.com/xonvo/xonvo-import/keyset"
	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/source"
)

// chunk is a run of records of one input on its way from the reading
// goroutine, through a mapping worker, to the mapping stage; err ends the
// input (io.EOF at its end). Chunks are recycled, so that their records
// and mapped results are allocated once per run, not once per row.
type chunk struct {
	file int
	recs []source.Record
	err  error
	// mapped[i] is recs[i] mapped, for a record with neither Skip nor
	// Problem, unless the run had stopped when the worker got the chunk
	// (rows are not mapped after a stop). It is filled once mapping is done.
	mapped []mapping.Result
	// fps[i] is the key of mapped[i] when the row is valid (unkeyed
	// otherwise): hashing keys is done beside mapping, off the in-order path.
	fps     []keyset.Fingerprint
	mapping sync.WaitGroup
}

// chunkSize is how many records travel together between the goroutines:
// one channel operation per chunk instead of per row.
const chunkSize = 256

// chunkFlow carries chunks from the reader to the mapping stage. The
// reader sends each chunk twice: to the workers, which map its rows in
// parallel (mapping a row is a pure function of its cells, and it was over
// half of the mapping stage's time), and in input order to the mapping
// stage, which waits for a chunk's mapping and then does what must be done
// in order (duplicates, statuses, the report). The free list bounds the
// chunks in flight; the other channels hold every chunk there is, so
// sending on them never blocks.
type chunkFlow struct {
	free    chan *chunk
	work    chan *chunk
	ordered chan *chunk
}

// mapWorkers is how many goroutines map rows: one a core, up to four.
func mapWorkers() int { return min(runtime.GOMAXPROCS(0), 4) }

func newChunkFlow(workers int) *chunkFlow {
	n := 2*workers + 4
	fl := &chunkFlow{free: make(chan *chunk, n), work: make(chan *chunk, n), ordered: make(chan *chunk, n)}
	for range n {
		fl.free <- &chunk{recs: make([]source.Record, 0, chunkSize), mapped: make([]mapping.Result, chunkSize),
			fps: make([]keyset.Fingerprint, chunkSize)}
	}
	return fl
}

// get returns an empty chunk for input file, waiting for one to be free.
func (fl *chunkFlow) get(file int) *chunk {
	c := <-fl.free
	c.file = file
	return c
}

// send hands a filled chunk to the workers and to the mapping stage.
func (fl *chunkFlow) send(c *chunk) {
	c.mapping.Add(1)
	fl.ordered <- c
	fl.work <- c
}

// release empties a chunk the mapping stage is done with and frees it.
func (fl *chunkFlow) release(c *chunk) {
	clear(c.recs) // the rows' cells must not outlive their report rows
	c.recs, c.err = c.recs[:0], nil
	fl.free <- c
}

// mapChunks maps the rows of each chunk from the reader, and takes the
// keys of the valid ones with keys, until the reader is done: the workers'
// loop.
func mapChunks(fl *chunkFlow, set *inputSet, stop *stopper, keys *keyset.Set) {
	for c := range fl.work {
		if !stop.stopped() {
			mapper := set.inputs[c.file].mapper
			for i := range c.recs {
				c.fps[i] = keyset.Fingerprint{}
				if rec := &c.recs[i]; rec.Skip == "" && rec.Problem == "" {
					m := &c.mapped[i]
					mapper.MapInto(rec.Cells, m)
					if m.Valid() {
						c.fps[i] = keys.Fingerprint(m.AccountID, m.Lead.ExternalID, m.Lead.Phone)
					}
				}
			}
		}
		c.mapping.Done()
	}
}

// readRecords reads every input in order on its own goroutine, so decoding
// the file overlaps mapping and validating it. Reading goes on after a stop
// (ctx is never cancelled by one): rows not reached must still be reported,
// as not_sent.
func readRecords(ctx context.Context, set *inputSet, progress *Progress, fl *chunkFlow) {
	defer close(fl.ordered)
	defer close(fl.work)
	for fi := range set.inputs {
		src := set.inputs[fi].src
		c := fl.get(fi)
		for {
			rec, err := src.Next(ctx)
			if err != nil {
				c.err = err
				break
			}
			c.recs = append(c.recs, rec)
			if len(c.recs) == chunkSize {
				fl.send(c)
				c = fl.get(fi)
				done, total := src.Progress()
				progress.setPart(fi, done, total)
			}
		}
		done, total := src.Progress()
		progress.setPart(fi, done, total)
		err := c.err
		fl.send(c)
		if !errors.Is(err, io.EOF) {
			return
		}
	}
}
