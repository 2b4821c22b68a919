package importer

import (
	"context"
	"errors"
	"io"

	"github.com/xonvo/xonvo-import/source"
)

// chunk is a run of records of one input, handed from the reading
// goroutine to the mapping one; err ends the input (io.EOF at its end).
type chunk struct {
	file int
	recs []source.Record
	err  error
}

// chunkSize is how many records travel together between the goroutines:
// one channel operation per chunk instead of per row.
const chunkSize = 256

// readRecords reads every input in order on its own goroutine, so decoding
// the file overlaps mapping and validating it. Reading goes on after a stop
// (ctx is never cancelled by one): rows not reached must still be reported,
// as not_sent.
func readRecords(ctx context.Context, set *inputSet, progress *Progress, out chan<- chunk) {
	defer close(out)
	for fi := range set.inputs {
		src := set.inputs[fi].src
		c := chunk{file: fi, recs: make([]source.Record, 0, chunkSize)}
		for {
			rec, err := src.Next(ctx)
			if err != nil {
				c.err = err
				break
			}
			c.recs = append(c.recs, rec)
			if len(c.recs) == chunkSize {
				out <- c
				c = chunk{file: fi, recs: make([]source.Record, 0, chunkSize)}
				done, total := src.Progress()
				progress.setPart(fi, done, total)
			}
		}
		done, total := src.Progress()
		progress.setPart(fi, done, total)
		out <- c
		if !errors.Is(c.err, io.EOF) {
			return
		}
	}
}
