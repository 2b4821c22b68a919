package source

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCellSlabRowsAreIndependent: rows' cells are cut from shared blocks,
// and no row may see another's cells, whatever a reader does with its slice.
func TestCellSlabRowsAreIndependent(t *testing.T) {
	tests := []struct {
		name  string
		rows  [][]string
		check func(t *testing.T, got [][]string)
	}{
		{name: "appending to a row leaves the next row alone",
			rows: [][]string{{"a", "b"}, {"c", "d"}},
			check: func(t *testing.T, got [][]string) {
				_ = append(got[0], "x")
				assert.Equal(t, []string{"c", "d"}, got[1])
			}},
		{name: "a row wider than a block gets its own",
			rows: [][]string{{"a"}, strings.Split(strings.Repeat("w,", cellSlabSize)+"end", ",")},
			check: func(t *testing.T, got [][]string) {
				assert.Len(t, got[1], cellSlabSize+1)
				assert.Equal(t, "end", got[1][cellSlabSize])
				assert.Equal(t, []string{"a"}, got[0])
			}},
		{name: "rows across a block boundary keep their cells",
			rows: func() [][]string {
				var rows [][]string
				for range cellSlabSize/3 + 2 {
					rows = append(rows, []string{"1", "2", "3"})
				}
				return rows
			}(),
			check: func(t *testing.T, got [][]string) {
				for i, r := range got {
					require.Equal(t, []string{"1", "2", "3"}, r, "row %d", i)
				}
			}},
		{name: "no cells is nil", rows: [][]string{{}},
			check: func(t *testing.T, got [][]string) { assert.Nil(t, got[0]) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var slab cellSlab
			reused := make([]string, 0, 8) // as encoding/csv's ReuseRecord hands rows out
			var got [][]string
			for _, r := range tt.rows {
				reused = append(reused[:0], r...)
				got = append(got, slab.copy(reused))
				clear(reused)
			}
			tt.check(t, got)
		})
	}
}
