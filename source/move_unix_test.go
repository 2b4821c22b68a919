//go:build unix

package source

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Across file systems a hard link fails; the file is copied, synced and removed.
func TestMoveAcrossDevices(t *testing.T) {
	other, err := os.MkdirTemp("/dev/shm", "move-test-")
	if err != nil {
		t.Skip("no /dev/shm here")
	}
	t.Cleanup(func() { _ = os.RemoveAll(other) })
	path := writeFile(t, "a.csv", []byte(leadsCSV))
	if sameDevice(t, filepath.Dir(path), other) {
		t.Skip("/dev/shm is on the same device as the temp dir")
	}
	require.NoError(t, os.Chmod(path, 0o640))
	ins, err := Resolve(context.Background(), []string{path}, Options{})
	require.NoError(t, err)
	defer CloseAll(ins)
	require.NoError(t, Move(context.Background(), ins[0], other))
	target := filepath.Join(other, "a.csv")
	got, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, leadsCSV, string(got))
	st, err := os.Stat(target)
	require.NoError(t, err)
	assert.Equal(t, fs.FileMode(0o640), st.Mode().Perm(), "permissions kept")
	_, err = os.Stat(path)
	assert.ErrorIs(t, err, fs.ErrNotExist)

	// And the copy refuses an existing target too.
	again := writeFile(t, "a.csv", []byte("new"))
	ins2, err := Resolve(context.Background(), []string{again}, Options{})
	require.NoError(t, err)
	defer CloseAll(ins2)
	require.ErrorIs(t, Move(context.Background(), ins2[0], other), ErrTargetExists)
	got, _ = os.ReadFile(target)
	assert.Equal(t, leadsCSV, string(got))
}

func sameDevice(t *testing.T, a, b string) bool {
	t.Helper()
	sa, err := os.Stat(a)
	require.NoError(t, err)
	sb, err := os.Stat(b)
	require.NoError(t, err)
	da, okA := sa.Sys().(*syscall.Stat_t)
	db, okB := sb.Sys().(*syscall.Stat_t)
	return !okA || !okB || da.Dev == db.Dev
}
