package offheap

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type slot struct{ hi, lo, at uint64 }

// TestOutsideMemory: memory outside the heap starts zeroed, and a released
// range reads as zeros whatever its alignment to pages, while the elements
// around it keep their values and everything stays writable.
func TestOutsideMemory(t *testing.T) {
	tests := []struct {
		name     string
		n        int
		from, to int // the range released
	}{
		{name: "whole table", n: 1 << 14, from: 0, to: 1 << 14},
		{name: "from an unaligned slot to an unaligned slot", n: 1 << 14, from: 1000, to: 9999},
		{name: "less than a page", n: 1 << 14, from: 10, to: 50},
		{name: "up to the end", n: 1 << 14, from: 333, to: 1 << 14},
		{name: "small table", n: 8, from: 0, to: 8},
	}
	for _, tt := range tests {
		for _, outside := range []bool{true, false} {
			name := tt.name + "/heap"
			if outside {
				name = tt.name + "/outside"
			}
			t.Run(name, func(t *testing.T) {
				var s []slot
				mapped := false
				if outside {
					s, mapped = Alloc[slot](tt.n)
				} else {
					s = make([]slot, tt.n)
				}
				defer Free(s, mapped)
				require.Len(t, s, tt.n)
				for i := range s {
					require.Zero(t, s[i], "slot %d starts empty", i)
					s[i] = slot{uint64(i) + 1, 2, 3}
				}
				Release(s[tt.from:tt.to], mapped)
				for i := range s {
					if i >= tt.from && i < tt.to {
						require.Zero(t, s[i], "slot %d released", i)
					} else {
						require.Equal(t, slot{uint64(i) + 1, 2, 3}, s[i], "slot %d kept", i)
					}
				}
				s[tt.from].at = 9
				assert.Equal(t, uint64(9), s[tt.from].at, "still writable")
			})
		}
	}
}

// TestAllocRefusesPointers: a type the collector must scan cannot go outside
// the heap.
func TestAllocRefusesPointers(t *testing.T) {
	tests := []struct {
		name  string
		alloc func()
		panic bool
	}{
		{name: "bytes", alloc: func() { Free(Alloc[byte](10)) }},
		{name: "a struct of numbers", alloc: func() { Free(Alloc[slot](10)) }},
		{name: "an array of numbers", alloc: func() { Free(Alloc[[4]int32](10)) }},
		{name: "a string", alloc: func() { Alloc[string](10) }, panic: true},
		{name: "a slice", alloc: func() { Alloc[[]byte](10) }, panic: true},
		{name: "a pointer in a struct", alloc: func() {
			Alloc[struct {
				n int
				p *int
			}](10)
		}, panic: true},
		{name: "a pointer in an array", alloc: func() { Alloc[[2]*int](10) }, panic: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.panic {
				assert.Panics(t, tt.alloc)
			} else {
				assert.NotPanics(t, tt.alloc)
			}
		})
	}
}
