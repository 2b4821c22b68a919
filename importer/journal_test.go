package importer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

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
