package importer

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// failingBatches is how many batches in a row may fail after all their
// retries, with nothing succeeding in between, before the run stops: each
// has already waited through its backoff, so a server failing that long is
// down, and going on would only spend time linear in the input failing
// every row (409 s for 20k rows against a server answering 503 forever).
const failingBatches = 3

// failStreak counts batches that failed after every retry since the server
// last handled a request, and what their last attempts got.
type failStreak struct {
	mu    sync.Mutex
	n     int
	codes map[string]int // "503", "no response" → batches
}

// handled resets the streak: the server answered a request properly.
func (f *failStreak) handled() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n = 0
	clear(f.codes)
}

// failed records a batch that failed with code and reports, once the streak
// is long enough, the error that stops the run.
func (f *failStreak) failed(code string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.codes == nil {
		f.codes = map[string]int{}
	}
	f.n++
	f.codes[code]++
	if f.n < failingBatches {
		return nil
	}
	var parts []string
	for c, n := range f.codes {
		parts = append(parts, fmt.Sprintf("%s ×%d", c, n))
	}
	sort.Strings(parts)
	return fmt.Errorf("%w: %s: %d batches in a row failed after every retry, nothing succeeded in between; rerun later with --resume",
		ErrServerFailing, strings.Join(parts, ", "), f.n)
}
