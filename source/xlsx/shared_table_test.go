package xlsx

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSharedTable(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		big    bool  // some strings large enough to close chunks early
		budget int64 // bytes in memory before spilling
		cache  int   // bytes of spilled chunks cached
	}{
		{name: "empty", n: 0, budget: -1},
		{name: "one", n: 1, budget: -1},
		{name: "exactly a chunk", n: chunkStrings, budget: -1},
		{name: "several chunks and a bit, in memory", n: 3*chunkStrings + 5, budget: -1},
		{name: "chunks closed early by large strings", n: 2000, big: true, budget: -1},
		{name: "spilled from the first chunk, tiny cache", n: 3000, budget: 0, cache: 1},
		{name: "spilled midway, large strings, small cache", n: 3000, big: true, budget: 100 << 10, cache: 200 << 10},
		// A few chunks' worth: loads evict and reuse buffers all the time, while the
		// latest lookups' chunks must stay as they were.
		{name: "spilled, a cache of a few chunks", n: 20000, budget: 0, cache: 12 << 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tab := newSharedTable(tc.budget, t.TempDir())
			if tc.cache > 0 {
				// The string cache as small: when full it starts again in its own memory.
				tab.cache.limit, tab.strs.limit = tc.cache, tc.cache
			}
			t.Cleanup(func() { require.NoError(t, tab.Close()) })
			want := make([]string, tc.n)
			for i := range want {
				want[i] = fmt.Sprintf("s%d", i)
				switch {
				case i%7 == 0:
					want[i] = "" // empty strings are strings too
				case tc.big && i%50 == 1:
					want[i] = strings.Repeat(want[i], 5000)
				}
				if i == 5 {
					require.NoError(t, tab.addOversized(3<<20))
					continue
				}
				require.NoError(t, tab.add([]byte(want[i])))
			}
			require.NoError(t, tab.finish())
			require.Equal(t, tc.n, tab.len())
			assert.Equal(t, tc.budget == 0 || tc.budget > 0 && tc.big, tab.file != nil, "spilled")
			// In order, then in a random order (a sorted sheet).
			order := make([]int, tc.n)
			for i := range order {
				order[i] = i
			}
			random := rand.New(rand.NewPCG(1, 2)).Perm(tc.n)
			for _, i := range append(order, random...) {
				got, oversize, err := tab.get(i)
				require.NoError(t, err)
				if i == 5 {
					assert.Equal(t, int64(3<<20), oversize)
					continue
				}
				require.Equal(t, want[i], string(got), "string %d", i)
			}
			_, _, err := tab.get(tc.n)
			assert.ErrorIs(t, err, errNoSharedString)
			_, _, err = tab.get(-1)
			assert.ErrorIs(t, err, errNoSharedString)
		})
	}
}
