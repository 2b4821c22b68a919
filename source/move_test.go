package source

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMoveLocal(t *testing.T) {
	ctx := context.Background()
	resolve := func(t *testing.T, args ...string) *Input {
		ins, err := Resolve(ctx, args, Options{Stdin: strings.NewReader(leadsCSV)})
		require.NoError(t, err)
		t.Cleanup(func() { _ = CloseAll(ins) })
		return ins[0]
	}
	t.Run("into a directory it creates", func(t *testing.T) {
		path := writeFile(t, "a.csv.gz", []byte("data"))
		dest := filepath.Join(t.TempDir(), "done", "2026")
		require.NoError(t, Move(ctx, resolve(t, path), dest))
		got, err := os.ReadFile(filepath.Join(dest, "a.csv.gz"))
		require.NoError(t, err)
		assert.Equal(t, "data", string(got))
		_, err = os.Stat(path)
		assert.ErrorIs(t, err, fs.ErrNotExist)
	})
	t.Run("never overwrites", func(t *testing.T) {
		path := writeFile(t, "b.csv", []byte("new"))
		dest := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dest, "b.csv"), []byte("old"), 0o600))
		err := Move(ctx, resolve(t, path), dest)
		require.ErrorIs(t, err, ErrTargetExists)
		assert.Contains(t, err.Error(), filepath.Join(dest, "b.csv"))
		got, _ := os.ReadFile(filepath.Join(dest, "b.csv"))
		assert.Equal(t, "old", string(got))
		_, err = os.Stat(path)
		assert.NoError(t, err, "the input stays")
	})
	t.Run("stdin cannot be moved", func(t *testing.T) {
		err := Move(ctx, resolve(t, "-"), t.TempDir())
		require.ErrorIs(t, err, ErrNotMovable)
	})
	t.Run("not to an http URL", func(t *testing.T) {
		path := writeFile(t, "c.csv", []byte("x"))
		require.ErrorIs(t, Move(ctx, resolve(t, path), "https://example.com/done/"), ErrUnsupportedURL)
	})
}
