package importer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAppendEntriesIsJSON: the journal's entries, written by hand, are the
// lines json.Marshal writes for them (one per input file, in the order the
// files first appear), and readJournal reads the rows back.
func TestAppendEntriesIsJSON(t *testing.T) {
	items := func(fileRows ...[2]int) []*Item {
		var out []*Item
		for _, fr := range fileRows {
			out = append(out, &Item{fileIdx: fr[0], Row: fr[1]})
		}
		return out
	}
	tests := []struct {
		name  string
		items []*Item
	}{
		{name: "none"},
		{name: "one row of the first file", items: items([2]int{0, 2})},
		{name: "rows of the first file", items: items([2]int{0, 2}, [2]int{0, 5}, [2]int{0, 1000000})},
		{name: "rows of a later file", items: items([2]int{3, 7}, [2]int{3, 8})},
		{name: "files interleaved", items: items([2]int{1, 2}, [2]int{0, 3}, [2]int{1, 4}, [2]int{2, 5}, [2]int{0, 6})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []byte
			done := map[int]bool{}
			for i, first := range tt.items {
				if done[first.fileIdx] {
					continue
				}
				done[first.fileIdx] = true
				e := journalEntry{File: first.fileIdx}
				for _, it := range tt.items[i:] {
					if it.fileIdx == first.fileIdx {
						e.Rows = append(e.Rows, it.Row)
					}
				}
				line, err := json.Marshal(e)
				require.NoError(t, err)
				want = append(append(want, line...), '\n')
			}
			got := appendEntries([]byte("x\n"), tt.items)
			assert.Equal(t, "x\n"+string(want), string(got))

			path := filepath.Join(t.TempDir(), "journal")
			hdr := `{"journal":"` + journalVersion + `","action":"a","inputs":[{},{},{},{}]}` + "\n"
			require.NoError(t, os.WriteFile(path, []byte(hdr+string(got[2:])), 0o600))
			jc, err := readJournal(path)
			require.NoError(t, err)
			assert.Equal(t, len(tt.items), jc.rows)
			for _, it := range tt.items {
				assert.True(t, jc.sent.has(it.fileIdx, it.Row), "file %d row %d", it.fileIdx, it.Row)
			}
		})
	}
}

// gapClock is the journal's clock in TestJournalSyncGap: the test moves the
// time (fakeClock), and each wait is handed to the test, which fires it.
type gapClock struct {
	*fakeClock
	waits chan gapWait
}

type gapWait struct {
	d        time.Duration
	fire     chan time.Time
	released chan struct{}
}

func (c *gapClock) wait(d time.Duration) (<-chan time.Time, func()) {
	w := gapWait{d: d, fire: make(chan time.Time, 1), released: make(chan struct{})}
	c.waits <- w
	return w.fire, func() { close(w.released) }
}

// TestJournalSyncGap: a batch confirmed within the gap after a sync waits
// for the rest of it, the batches that come meanwhile share its sync, one
// after the gap is synced at once, and draining never waits for a gap.
func TestJournalSyncGap(t *testing.T) {
	const gap = 10 * time.Millisecond
	tests := []struct {
		name     string
		after    time.Duration // from the first sync to the next batches
		batches  int           // confirmed after the first
		fire     bool          // the test fires the wait (else it drains)
		wantWait time.Duration // 0: no wait
	}{
		{name: "within the gap, two batches share one sync", after: 3 * time.Millisecond, batches: 2, fire: true, wantWait: 7 * time.Millisecond},
		{name: "after the gap, no wait", after: 12 * time.Millisecond, batches: 1},
		{name: "exactly at the gap, no wait", after: gap, batches: 1},
		{name: "draining ends the wait", after: 1 * time.Millisecond, batches: 1, wantWait: 9 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := os.Create(filepath.Join(t.TempDir(), "journal"))
			require.NoError(t, err)
			clock := &gapClock{fakeClock: newFakeClock(), waits: make(chan gapWait, 1)}
			j := startJournalClock(f, gap, clock.Now, clock.wait)
			done := make(chan int, 8)
			confirm := func(row int) {
				j.confirm([]*Item{{Row: row}}, func(err error) {
					assert.NoError(t, err)
					done <- row
				})
			}

			confirm(2)
			require.Equal(t, 2, <-done, "the first batch is synced at once")
			require.NoError(t, clock.Sleep(t.Context(), tt.after))
			for i := range tt.batches {
				confirm(3 + i)
			}
			if tt.wantWait == 0 {
				for i := range tt.batches {
					assert.Equal(t, 3+i, <-done)
				}
				assert.Empty(t, clock.waits, "no wait")
				require.NoError(t, j.close(true))
				return
			}
			w := <-clock.waits
			assert.Equal(t, tt.wantWait, w.d, "the rest of the gap")
			assert.Empty(t, done, "nothing is reported before its sync")
			if tt.fire {
				w.fire <- clock.Now()
				for i := range tt.batches {
					assert.Equal(t, 3+i, <-done)
				}
				<-w.released
				require.NoError(t, j.close(true))
			} else {
				require.NoError(t, j.close(true), "close drains without the wait firing")
				assert.Equal(t, 3, <-done)
				<-w.released
			}
			jc, err := readJournalRows(f.Name())
			require.NoError(t, err)
			assert.Equal(t, 1+tt.batches, jc, "every batch is in the journal")
		})
	}
}

// readJournalRows counts the rows a journal without a header confirms.
func readJournalRows(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	n := 0
	for line := range strings.SplitSeq(strings.TrimSpace(string(data)), "\n") {
		var e journalEntry
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			return 0, err
		}
		n += len(e.Rows)
	}
	return n, nil
}
