package state

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mappedKiB is the resident size of this process's mappings of path, from
// /proc/self/smaps.
func mappedKiB(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	require.NoError(t, err)
	defer f.Close()
	total, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":"):
			// A mapping's first line: range, perms, offset, device,
			// inode, and the path when it maps a file.
			in = len(fields) == 6 && fields[5] == path
		case in && len(fields) == 3 && fields[0] == "Rss:":
			kb, err := strconv.Atoi(fields[1])
			require.NoError(t, err)
			total += kb
		}
	}
	require.NoError(t, sc.Err())
	return total
}

func TestMappedPagesAreGivenBack(t *testing.T) {
	const n = 100_000 // ~12 MB of file
	path := filepath.Join(t.TempDir(), "job.state")
	s := fillStore(t, path, n, 10_000, true)
	require.NoError(t, s.Close())
	fi, err := os.Stat(path)
	require.NoError(t, err)
	fileKiB := int(fi.Size() >> 10)

	s, err = Open(context.Background(), path, Options{})
	require.NoError(t, err)
	defer s.Close()
	assert.Less(t, mappedKiB(t, path), 256, "opening maps next to nothing (file %d KiB)", fileKiB)

	// A walk touches every page; lookups in random order each touch a leaf.
	require.NoError(t, s.ForEach(context.Background(), func(Key, Entry) error { return nil }))
	for i := 0; i < n; i += 7 {
		_, _, err := s.Get(benchKey(i))
		require.NoError(t, err)
	}
	// The walk alone maps ~15 MB when nothing is given back (the file is
	// larger: bbolt grows it ahead); ~0.8 MB stays mapped with releases.
	assert.Less(t, mappedKiB(t, path), 4096, "the pages read were given back (file %d KiB)", fileKiB)
}
