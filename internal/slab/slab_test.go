package slab

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSlabSlicesAreIndependent(t *testing.T) {
	tests := []struct {
		name  string
		block int
		sizes []int
	}{
		{name: "many small in one block", block: 64, sizes: []int{3, 5, 1, 7, 2}},
		{name: "across block boundaries", block: 8, sizes: []int{5, 5, 5, 5}},
		{name: "larger than a block", block: 4, sizes: []int{2, 9, 2}},
		{name: "default block", sizes: []int{DefaultBlock - 1, 2, 1}},
		{name: "empty ones", block: 4, sizes: []int{0, 3, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Slab[int]{Block: tt.block}
			var got [][]int
			for i, n := range tt.sizes {
				v := make([]int, n)
				for j := range v {
					v[j] = 100*i + j
				}
				got = append(got, s.Copy(v))
			}
			for i, n := range tt.sizes {
				if n == 0 {
					assert.Nil(t, got[i])
					continue
				}
				require.Len(t, got[i], n)
				assert.Equal(t, n, cap(got[i]), "capacity is the length: an append never runs into the next")
				_ = append(got[i], -1)
				for j, v := range got[i] {
					assert.Equal(t, 100*i+j, v, "slice %d element %d", i, j)
				}
			}
		})
	}
}

func TestSlabNew(t *testing.T) {
	s := Slab[string]{Block: 2}
	a, b, c := s.New("a"), s.New("b"), s.New("c")
	*a = "changed"
	assert.Equal(t, []string{"changed", "b", "c"}, []string{*a, *b, *c})
	assert.Nil(t, s.Make(0))
}
