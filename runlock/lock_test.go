//go:build unix

package runlock

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testStart = time.Date(2026, 11, 29, 2, 0, 3, 500_000_000, time.UTC)

func testOptions() Options {
	return Options{Program: "xonvo-import", Now: func() time.Time { return testStart }}
}

// readLockFile parses the holder line of the lock file at path.
func readLockFile(t *testing.T, path string) Holder {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(string(raw), "}\n"), "one JSON line: %q", raw)
	var h Holder
	require.NoError(t, json.Unmarshal(raw, &h))
	return h
}

func TestPathFor(t *testing.T) {
	assert.Equal(t, "out/r.csv.lock", PathFor("out/r.csv"))
}

func TestAcquire(t *testing.T) {
	host, err := os.Hostname()
	require.NoError(t, err)
	me := Holder{PID: os.Getpid(), Host: host, Since: testStart.Truncate(time.Second),
		Program: "xonvo-import", Report: "r.csv"}

	tests := []struct {
		name    string
		setup   func(t *testing.T, path string) // prepares the directory
		wantErr error                           // nil: Acquire must succeed
		check   func(t *testing.T, path string) // runs after Acquire (and Release when it succeeded)
	}{
		{
			name:  "free path",
			setup: func(*testing.T, string) {},
		},
		{
			name: "stale file of a dead run is taken over",
			setup: func(t *testing.T, path string) {
				stale := `{"pid":999999,"host":"gone","since":"2020-01-01T00:00:00Z","program":"xonvo-import"}` + "\n"
				require.NoError(t, os.WriteFile(path, []byte(stale), 0o600))
			},
		},
		{
			name: "garbage in an unlocked file is overwritten",
			setup: func(t *testing.T, path string) {
				require.NoError(t, os.WriteFile(path, []byte(strings.Repeat("x", 10_000)), 0o600))
			},
		},
		{
			name: "a wider mode is narrowed to 0600",
			setup: func(t *testing.T, path string) {
				require.NoError(t, os.WriteFile(path, nil, 0o644))
				require.NoError(t, os.Chmod(path, 0o644)) // past the umask
			},
		},
		{
			name: "symlink to a file is refused and its target untouched",
			setup: func(t *testing.T, path string) {
				target := filepath.Join(filepath.Dir(path), "precious")
				require.NoError(t, os.WriteFile(target, []byte("keep me"), 0o644))
				require.NoError(t, os.Symlink(target, path))
			},
			wantErr: ErrSymlink,
			check: func(t *testing.T, path string) {
				target := filepath.Join(filepath.Dir(path), "precious")
				raw, err := os.ReadFile(target)
				require.NoError(t, err)
				assert.Equal(t, "keep me", string(raw))
				fi, err := os.Stat(target)
				require.NoError(t, err)
				assert.Equal(t, os.FileMode(0o644), fi.Mode().Perm())
				li, err := os.Lstat(path)
				require.NoError(t, err)
				assert.NotZero(t, li.Mode()&os.ModeSymlink, "the link itself is left alone")
			},
		},
		{
			name: "dangling symlink is refused and nothing is created",
			setup: func(t *testing.T, path string) {
				require.NoError(t, os.Symlink(filepath.Join(filepath.Dir(path), "nowhere"), path))
			},
			wantErr: ErrSymlink,
			check: func(t *testing.T, path string) {
				_, err := os.Lstat(filepath.Join(filepath.Dir(path), "nowhere"))
				assert.ErrorIs(t, err, os.ErrNotExist)
			},
		},
		{
			name:    "directory at the path is refused",
			setup:   func(t *testing.T, path string) { require.NoError(t, os.Mkdir(path, 0o700)) },
			wantErr: ErrNotRegular,
		},
		{
			name: "fifo at the path is refused without hanging",
			setup: func(t *testing.T, path string) {
				require.NoError(t, syscall.Mkfifo(path, 0o600))
			},
			wantErr: ErrNotRegular,
		},
		{
			name: "missing directory",
			setup: func(t *testing.T, path string) {
				require.NoError(t, os.Remove(filepath.Dir(path)))
			},
			wantErr: os.ErrNotExist,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sub", "r.csv.lock")
			require.NoError(t, os.Mkdir(filepath.Dir(path), 0o700))
			tt.setup(t, path)

			l, err := Acquire(t.Context(), path, testOptions())
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Nil(t, l)
				assert.Contains(t, err.Error(), path, "the message names the file")
			} else {
				require.NoError(t, err)
				fi, err := os.Lstat(path)
				require.NoError(t, err)
				assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
				want := me
				want.Report = strings.TrimSuffix(path, Suffix)
				assert.Equal(t, want, readLockFile(t, path))
				assert.Equal(t, want, l.Holder())
				assert.Equal(t, path, l.Path())
				require.NoError(t, l.Release())
				_, err = os.Lstat(path)
				assert.ErrorIs(t, err, os.ErrNotExist, "Release removes the lock file")
			}
			if tt.check != nil {
				tt.check(t, path)
			}
		})
	}
}

func TestAcquireEmptyPath(t *testing.T) {
	_, err := Acquire(t.Context(), "", Options{})
	require.Error(t, err)
}

func TestAcquireHeldInProcess(t *testing.T) {
	host, err := os.Hostname()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "r.csv.lock")
	first, err := Acquire(t.Context(), path, testOptions())
	require.NoError(t, err)
	t.Cleanup(func() { _ = first.Release() })

	tests := []struct {
		name string
		ctx  func(t *testing.T) context.Context
		opts Options
		want func(t *testing.T, err error)
	}{
		{
			name: "no wait fails at once naming the holder",
			ctx:  func(t *testing.T) context.Context { return t.Context() },
			want: func(t *testing.T, err error) {
				var held *HeldError
				require.ErrorAs(t, err, &held)
				assert.ErrorIs(t, err, ErrHeld)
				assert.Equal(t, first.Holder(), held.Holder)
				assert.Equal(t, path, held.Path)
				assert.Zero(t, held.Waited)
				assert.Equal(t, "another xonvo-import run holds "+path+" (pid "+strconv.Itoa(os.Getpid())+
					" on host "+host+", since 2026-11-29T02:00:03Z); wait for it or stop it", err.Error())
			},
		},
		{
			name: "a short wait ends with the holder still named",
			ctx:  func(t *testing.T) context.Context { return t.Context() },
			opts: Options{Wait: 150 * time.Millisecond},
			want: func(t *testing.T, err error) {
				var held *HeldError
				require.ErrorAs(t, err, &held)
				assert.Equal(t, 150*time.Millisecond, held.Waited)
				assert.Equal(t, os.Getpid(), held.Holder.PID)
				assert.Contains(t, err.Error(), "still held after waiting 150ms")
			},
		},
		{
			name: "a cancelled wait reports the cancellation and the holder",
			ctx: func(t *testing.T) context.Context {
				ctx, cancel := context.WithTimeout(t.Context(), 120*time.Millisecond)
				t.Cleanup(cancel)
				return ctx
			},
			opts: Options{Wait: time.Hour},
			want: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				var held *HeldError
				require.ErrorAs(t, err, &held)
				assert.Equal(t, os.Getpid(), held.Holder.PID)
			},
		},
		{
			name: "a context already done stops before trying",
			ctx: func(t *testing.T) context.Context {
				ctx, cancel := context.WithCancel(t.Context())
				cancel()
				return ctx
			},
			want: func(t *testing.T, err error) {
				assert.ErrorIs(t, err, context.Canceled)
				assert.NotErrorIs(t, err, ErrHeld)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Acquire(tt.ctx(t), path, tt.opts)
			require.Error(t, err)
			assert.Nil(t, l)
			tt.want(t, err)
			assert.Equal(t, first.Holder(), readLockFile(t, path), "the loser leaves the file alone")
		})
	}
}

func TestHeldErrorMessage(t *testing.T) {
	since := time.Date(2026, 11, 29, 3, 0, 3, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		name string
		err  HeldError
		want string
	}{
		{
			name: "known holder, time shown in UTC",
			err:  HeldError{Path: "out/r.csv.lock", Holder: Holder{PID: 4242, Host: "a", Since: since, Program: "xonvo-import"}},
			want: "another xonvo-import run holds out/r.csv.lock (pid 4242 on host a, since 2026-11-29T02:00:03Z); wait for it or stop it",
		},
		{
			name: "holder not written yet",
			err:  HeldError{Path: "out/r.csv.lock"},
			want: "another run holds out/r.csv.lock (it has not written who it is yet); wait for it or stop it",
		},
		{
			name: "after a wait",
			err: HeldError{Path: "r.lock", Waited: 5 * time.Second,
				Holder: Holder{PID: 7, Host: "b", Since: since, Program: "xonvo-import"}},
			want: "another xonvo-import run holds r.lock (pid 7 on host b, since 2026-11-29T02:00:03Z); still held after waiting 5s; wait for it or stop it",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.err.Error())
			assert.ErrorIs(t, &tt.err, ErrHeld)
		})
	}
}

func TestRelease(t *testing.T) {
	tests := []struct {
		name     string
		meddle   func(t *testing.T, path string) // after Acquire, before Release
		wantFile string                          // content left at path; "" means no file
	}{
		{name: "removes the lock file", meddle: func(*testing.T, string) {}},
		{
			name: "leaves a file that replaced the lock file",
			meddle: func(t *testing.T, path string) {
				require.NoError(t, os.Remove(path))
				require.NoError(t, os.WriteFile(path, []byte("someone else's"), 0o600))
			},
			wantFile: "someone else's",
		},
		{
			name:   "copes with the lock file already gone",
			meddle: func(t *testing.T, path string) { require.NoError(t, os.Remove(path)) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.csv.lock")
			l, err := Acquire(t.Context(), path, testOptions())
			require.NoError(t, err)
			tt.meddle(t, path)
			require.NoError(t, l.Release())
			require.NoError(t, l.Release(), "a second Release is harmless")
			raw, err := os.ReadFile(path)
			if tt.wantFile == "" {
				assert.ErrorIs(t, err, os.ErrNotExist)
			} else {
				require.NoError(t, err)
				assert.Equal(t, tt.wantFile, string(raw))
			}
			again, err := Acquire(t.Context(), path, testOptions())
			if tt.wantFile == "" {
				require.NoError(t, err, "released means free")
				require.NoError(t, again.Release())
			}
		})
	}
}

// TestLockOpenedAfterRemoval covers a run that opened the lock file just
// before its holder removed it: a lock on that file would exclude nobody, so
// it must start over on whatever the path names.
func TestLockOpenedAfterRemoval(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.csv.lock")
	me := testOptions().holder(path)
	tests := []struct {
		name    string
		replace func(t *testing.T) // what happens to path after it was opened
	}{
		{name: "removed", replace: func(t *testing.T) { require.NoError(t, os.Remove(path)) }},
		{name: "replaced", replace: func(t *testing.T) {
			require.NoError(t, os.Remove(path))
			require.NoError(t, os.WriteFile(path, nil, 0o600))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := openLockFile(path)
			require.NoError(t, err)
			tt.replace(t)
			l, held, err := lockOpened(f, path, me)
			require.NoError(t, err)
			assert.Nil(t, held)
			assert.Nil(t, l, "start over")

			l, err = Acquire(t.Context(), path, testOptions())
			require.NoError(t, err)
			same, err := samePath(l.f, path)
			require.NoError(t, err)
			assert.True(t, same, "the lock is on the file the path names")
			require.NoError(t, l.Release())
		})
	}
}
