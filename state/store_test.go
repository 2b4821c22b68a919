package state

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// openTemp opens a fresh store in the test's temp dir.
func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "job.state"), Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestOpenCreatesPrivateFileAndDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "dir", "job.state")
	s, err := Open(context.Background(), path, Options{})
	require.NoError(t, err)
	require.NoError(t, s.Confirm([]Confirmed{{Key: Key{AccountID: "18", ExternalID: "E-1"}, Hash: PayloadHash([]byte("{}"))}}))
	require.NoError(t, s.Close())

	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	di, err := os.Stat(filepath.Dir(path))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), di.Mode().Perm())

	s, err = Open(context.Background(), path, Options{})
	require.NoError(t, err)
	defer s.Close()
	n, err := s.Len()
	require.NoError(t, err)
	assert.Equal(t, int64(1), n, "a reopened file keeps its leads")
	assert.Equal(t, path, s.Path())
}

func TestOpenRefuses(t *testing.T) {
	write := func(t *testing.T, path string, setup func(tx *bolt.Tx) error) {
		t.Helper()
		db, err := bolt.Open(path, 0o600, nil)
		require.NoError(t, err)
		require.NoError(t, db.Update(setup))
		require.NoError(t, db.Close())
	}
	tests := []struct {
		name    string
		prepare func(t *testing.T, path string)
		want    error
		wantMsg string
	}{
		{"a text file", func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, []byte("account,phone\n18,2065550100\n"), 0o600))
		}, ErrNotStateFile, "not a state file of xonvo-import"},
		{"a page of zeros", func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, make([]byte, 16384), 0o600))
		}, ErrNotStateFile, "not a state file"},
		{"another program's bbolt database", func(t *testing.T, path string) {
			write(t, path, func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("widgets")); return err })
		}, ErrNotStateFile, "without its meta bucket"},
		{"a meta bucket naming another tool", func(t *testing.T, path string) {
			write(t, path, func(tx *bolt.Tx) error {
				m, err := tx.CreateBucket(bucketMeta)
				if err != nil {
					return err
				}
				return m.Put(metaTool, []byte("other-tool"))
			})
		}, ErrNotStateFile, `names "other-tool"`},
		{"a newer schema", func(t *testing.T, path string) {
			write(t, path, func(tx *bolt.Tx) error {
				m, err := tx.CreateBucket(bucketMeta)
				if err != nil {
					return err
				}
				if err := m.Put(metaTool, []byte(toolName)); err != nil {
					return err
				}
				return m.Put(metaSchema, binary.BigEndian.AppendUint32(nil, SchemaVersion+1))
			})
		}, ErrNewerSchema, "state schema 2; this build reads schema 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "job.state")
			tt.prepare(t, path)
			before, err := os.ReadFile(path)
			require.NoError(t, err)

			s, err := Open(context.Background(), path, Options{})
			require.Error(t, err)
			assert.Nil(t, s)
			require.ErrorIs(t, err, tt.want)
			assert.Contains(t, err.Error(), path)
			assert.Contains(t, err.Error(), tt.wantMsg)

			after, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, before, after, "a refused file is left as it was")
		})
	}
}

func TestOpenLockedFailsFastNamingThePath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "job.state")
	first, err := Open(context.Background(), path, Options{})
	require.NoError(t, err)

	// flock locks belong to an open file description, so a second Open in
	// the same process conflicts as a second process would (the crash test
	// checks across processes too).
	second, err := Open(context.Background(), path, Options{LockTimeout: 50 * time.Millisecond})
	require.ErrorIs(t, err, ErrLocked)
	assert.Nil(t, second)
	assert.Contains(t, err.Error(), path)
	assert.Contains(t, err.Error(), "same --state")

	_, err = Open(context.Background(), path, Options{ReadOnly: true, LockTimeout: 50 * time.Millisecond})
	require.ErrorIs(t, err, ErrLocked, "a reader waits for no writer either")

	require.NoError(t, first.Close())
	again, err := Open(context.Background(), path, Options{LockTimeout: 50 * time.Millisecond})
	require.NoError(t, err, "the lock goes with Close")
	require.NoError(t, again.Close())
}

func TestOpenReadOnly(t *testing.T) {
	dir := t.TempDir()
	t.Run("a missing file is an error, not a new file", func(t *testing.T) {
		path := filepath.Join(dir, "missing.state")
		_, err := Open(context.Background(), path, Options{ReadOnly: true})
		require.ErrorIs(t, err, os.ErrNotExist)
		assert.Contains(t, err.Error(), path)
		assert.NoFileExists(t, path)
	})
	t.Run("readers share the file and cannot write", func(t *testing.T) {
		path := filepath.Join(dir, "job.state")
		w, err := Open(context.Background(), path, Options{})
		require.NoError(t, err)
		require.NoError(t, w.Confirm([]Confirmed{{Key: Key{AccountID: "18", Phone: "2065550100"}}}))
		require.NoError(t, w.Close())

		r1, err := Open(context.Background(), path, Options{ReadOnly: true})
		require.NoError(t, err)
		defer r1.Close()
		r2, err := Open(context.Background(), path, Options{ReadOnly: true, LockTimeout: 50 * time.Millisecond})
		require.NoError(t, err)
		defer r2.Close()
		_, found, err := r2.Get(Key{AccountID: "18", Phone: "2065550100"})
		require.NoError(t, err)
		assert.True(t, found)
		require.Error(t, r1.Confirm([]Confirmed{{Key: Key{AccountID: "18", Phone: "1"}}}))
	})
}

func TestOpenCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := filepath.Join(t.TempDir(), "job.state")
	_, err := Open(ctx, path, Options{})
	require.ErrorIs(t, err, context.Canceled)
	assert.NoFileExists(t, path)
}
