package importer

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/reports"
)

// TestReorderBufferWritesEveryRowOnceInOrder feeds a collector results in several arrival orders and checks that rows come out in
// order, each once, with nothing left held.
func TestReorderBufferWritesEveryRowOnceInOrder(t *testing.T) {
	const rows = 5000
	shuffled := func(seed uint64, window int) []int64 {
		order := make([]int64, rows)
		for i := range order {
			order[i] = int64(i)
		}
		r := rand.New(rand.NewPCG(seed, 1))
		for lo := 0; lo < rows; lo += window {
			hi := min(lo+window, rows)
			r.Shuffle(hi-lo, func(i, j int) { order[lo+i], order[lo+j] = order[lo+j], order[lo+i] })
		}
		return order
	}
	reversed := make([]int64, rows)
	for i := range reversed {
		reversed[i] = int64(rows - 1 - i)
	}
	tests := []struct {
		name  string
		order []int64
	}{
		{name: "in order", order: shuffled(0, 1)},
		{name: "shuffled within 100 rows", order: shuffled(1, 100)},
		{name: "shuffled within 1000 rows (grows while wrapped)", order: shuffled(2, 1000)},
		{name: "last row first, all held at once", order: reversed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &rowRecorder{}
			c := startCollector(rec, nil)
			for lo := 0; lo < rows; lo += outboxSize {
				ds := make([]done, 0, outboxSize)
				for _, seq := range tt.order[lo:min(lo+outboxSize, rows)] {
					ds = append(ds, done{seq: seq, res: reports.RowResult{Row: int(seq), Status: reports.StatusSent}})
				}
				c.in <- ds
			}
			counts, err := c.result(rows)
			require.NoError(t, err)
			assert.Equal(t, int64(rows), counts[reports.StatusSent])
			got := rec.rows
			require.Len(t, got, rows)
			for i, row := range got {
				require.Equal(t, i, row, "row %d out of order", i)
			}
			assert.Zero(t, c.pending.n, "nothing left held")
			for i, r := range c.pending.slots {
				assert.Empty(t, r.Status, "slot %d still holds a result", i)
			}
		})
	}
}

// rowRecorder is a report writer that keeps the rows' numbers.
type rowRecorder struct{ rows []int }

func (r *rowRecorder) Write(res reports.RowResult) error {
	r.rows = append(r.rows, res.Row)
	return nil
}
func (r *rowRecorder) Finish(reports.Summary) error { return nil }
func (r *rowRecorder) Abort() error                 { return nil }
