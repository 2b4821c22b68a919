package source

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSharedTable(t *testing.T) {
	tests := []struct {
		name string
		n    int
	}{
		{name: "empty", n: 0},
		{name: "one", n: 1},
		{name: "one short of a chunk", n: sharedChunk - 1},
		{name: "exactly a chunk", n: sharedChunk},
		{name: "several chunks and a bit", n: 3*sharedChunk + 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tab sharedTable
			want := make([]string, tc.n)
			for i := range want {
				want[i] = fmt.Sprintf("s%d", i)
				if i%7 == 0 {
					want[i] = "" // empty strings are strings too
				}
				tab.add([]byte(want[i]))
			}
			tab.finish()
			require.Equal(t, tc.n, tab.len())
			for i, w := range want {
				got, ok := tab.get(i)
				require.True(t, ok)
				require.Equal(t, w, got, "string %d", i)
			}
			_, ok := tab.get(tc.n)
			assert.False(t, ok)
			_, ok = tab.get(-1)
			assert.False(t, ok)
		})
	}
}
