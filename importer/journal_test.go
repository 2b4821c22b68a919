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
// time (fakeClock), and each wait is handed to the test, which fires it. A
// case that must not wait fails at once instead, and its wait has fired.
type gapClock struct {
	*fakeClock
	t      *testing.T
	noWait bool
	waits  chan gapWait
}

type gapWait struct {
	d        time.Duration
	fire     chan time.Time
	released chan struct{}
}

func (c *gapClock) wait(d time.Duration) (<-chan time.Time, func()) {
	w := gapWait{d: d, fire: make(chan time.Time, 1), released: make(chan struct{})}
	if c.noWait {
		c.t.Errorf("the journal waited %v", d)
		w.fire <- c.Now()
		return w.fire, func() {}
	}
	c.waits <- w
	return w.fire, func() { close(w.released) }
}

// gapDone is a batch's row and what the journal told its worker.
type gapDone struct {
	row int
	err error
}

// TestJournalSyncGap: a batch confirmed within the gap after a sync waits
// for the rest of it, the batches that come meanwhile share its sync, one
// after the gap is synced at once, a full group does not wait for the gap,
// draining never waits for it, and a failed write reaches every batch of
// the group. The groups are what the --state hook (afterSync) saw.
func TestJournalSyncGap(t *testing.T) {
	const gap = 10 * time.Millisecond
	const (
		fire  = iota // the test fires the wait
		drain        // the test closes the journal while it waits
		full         // the group fills before the wait fires
	)
	tests := []struct {
		name       string
		after      time.Duration // from the first sync to the next batches
		batches    int           // confirmed after the first
		end        int
		wantWait   time.Duration // 0: no wait
		failWrite  bool          // the file is closed after the first sync
		wantGroups []int
	}{
		{name: "within the gap, two batches share one sync", after: 3 * time.Millisecond, batches: 2,
			end: fire, wantWait: 7 * time.Millisecond, wantGroups: []int{1, 2}},
		{name: "after the gap, no wait", after: 12 * time.Millisecond, batches: 1, wantGroups: []int{1, 1}},
		{name: "exactly at the gap, no wait", after: gap, batches: 1, wantGroups: []int{1, 1}},
		{name: "draining ends the wait", after: time.Millisecond, batches: 1,
			end: drain, wantWait: 9 * time.Millisecond, wantGroups: []int{1, 1}},
		{name: "a full group is synced without waiting out the gap", after: time.Millisecond, batches: journalGroup,
			end: full, wantWait: 9 * time.Millisecond, wantGroups: []int{1, journalGroup}},
		{name: "a failed write reaches every batch of the group", after: 2 * time.Millisecond, batches: 2,
			end: fire, wantWait: 8 * time.Millisecond, failWrite: true, wantGroups: []int{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := os.Create(filepath.Join(t.TempDir(), "journal"))
			require.NoError(t, err)
			path := f.Name()
			clock := &gapClock{fakeClock: newFakeClock(), t: t, noWait: tt.wantWait == 0, waits: make(chan gapWait, 1)}
			j := startJournalClock(f, gap, clock.Now, clock.wait)
			var groups []int // written by the journal's goroutine, read after close
			j.afterSync = func(items []*Item) error {
				groups = append(groups, len(items))
				return nil
			}
			done := make(chan gapDone, journalGroup+1)
			confirm := func(row int) {
				j.confirm([]*Item{{Row: row}}, func(err error) { done <- gapDone{row, err} })
			}
			next := func() gapDone {
				select {
				case d := <-done:
					return d
				case <-time.After(10 * time.Second): // a hang, not a timing: the case fails
					t.Fatal("no batch came back")
					return gapDone{}
				}
			}

			confirm(2)
			require.Equal(t, gapDone{row: 2}, next(), "the first batch is synced at once")
			if tt.failWrite {
				require.NoError(t, f.Close())
			}
			require.NoError(t, clock.Sleep(t.Context(), tt.after))
			for i := range tt.batches {
				confirm(3 + i)
			}
			var released chan struct{} // the wait's, once it was asked for
			if tt.wantWait != 0 {
				var w gapWait
				select {
				case w = <-clock.waits:
				case <-time.After(10 * time.Second): // a hang, not a timing
					t.Fatal("the journal did not wait")
				}
				assert.Equal(t, tt.wantWait, w.d, "the rest of the gap")
				switch tt.end {
				case fire:
					assert.Empty(t, done, "nothing is reported before its sync")
					w.fire <- clock.Now()
				case drain:
					j.drain()
				}
				released = w.released
			}
			for i := range tt.batches {
				d := next()
				assert.Equal(t, 3+i, d.row)
				if tt.failWrite {
					assert.ErrorContains(t, d.err, "write journal", "batch %d", i)
				} else {
					assert.NoError(t, d.err)
				}
			}
			err = j.close(true)
			if released != nil {
				select {
				case <-released:
				case <-time.After(10 * time.Second): // a hang, not a timing
					t.Error("the journal did not let its wait go")
				}
			}
			if tt.failWrite {
				require.Error(t, err)
				assert.Equal(t, tt.wantGroups, groups, "a group that failed is not recorded")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantGroups, groups)
			rows, err := readJournalRows(path)
			require.NoError(t, err)
			assert.Equal(t, 1+tt.batches, rows, "every batch is in the journal")
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
