package state

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncedFreelist reads the current meta page of a closed bbolt file and
// reports whether it names a freelist page: without one, opening walks
// every page of the file to rebuild it. Layout (bbolt's file format): each
// of the two meta pages is a 16-byte page header, then magic, version,
// page size and flags (4 bytes each), the root bucket (16), the freelist
// page id (8), the high-water page id (8) and the transaction id (8).
func syncedFreelist(t *testing.T, path string) bool {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	const metaAt = 16
	pageSize := int(binary.LittleEndian.Uint32(b[metaAt+8:]))
	var freelist, txid uint64
	for _, off := range []int{0, pageSize} {
		m := b[off+metaAt:]
		if id := binary.LittleEndian.Uint64(m[48:]); id >= txid {
			txid, freelist = id, binary.LittleEndian.Uint64(m[32:])
		}
	}
	return freelist != ^uint64(0)
}

func TestTheFileCarriesItsFreelist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "job.state")
	s := fillStore(t, path, 5000, 500, true)
	_, err := s.Delete([]Key{benchKey(1), benchKey(2)})
	require.NoError(t, err)
	require.NoError(t, s.Close())
	assert.True(t, syncedFreelist(t, path), "reopening must not walk the whole file")
}

func TestReleaseKeepsEveryLeadReadable(t *testing.T) {
	const n = 3 * releaseEvery
	s := fillStore(t, filepath.Join(t.TempDir(), "job.state"), n, 1000, true)
	t.Cleanup(func() { _ = s.Close() })
	s.release()
	seen := 0
	require.NoError(t, s.ForEach(context.Background(), func(k Key, e Entry) error {
		seen++
		return nil
	}))
	assert.Equal(t, n, seen)
	for _, i := range []int{0, n / 2, n - 1} {
		e, found, err := s.Get(benchKey(i))
		require.NoError(t, err)
		require.True(t, found, "lead %d", i)
		assert.Equal(t, PayloadHash([]byte(fmt.Sprint(i))), e.Hash)
	}
}
