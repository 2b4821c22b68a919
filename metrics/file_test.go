package metrics

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/golden"
)

func TestWriteFileGolden(t *testing.T) {
	tests := []struct {
		name   string
		run    Run
		golden string
	}{
		{name: "successful run", run: testRun(), golden: "success.prom"},
		{name: "failed run with no earlier file", run: failedRun(), golden: "failed.prom"},
		{name: "no labels, nothing counted", run: Run{ExitCode: 1, Timestamp: endOfRun}, golden: "empty.prom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "xonvo.prom")
			require.NoError(t, WriteFile(path, tt.run))
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			golden.Assert(t, tt.golden, data)
		})
	}
}

func TestWriteFileValues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "xonvo.prom")
	require.NoError(t, WriteFile(path, testRun()))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	got := gauges(t, parseText(t, data))

	l := []string{"env=prod", "pipeline=crm-nightly"}
	rows := func(status string) string { return key(NameRows, append(l, "status="+status)...) }
	reqs := func(code string) string { return key(NameRequests, append(l, "code="+code)...) }
	want := map[string]float64{
		rows("sent"): 1100, rows("valid"): 0, rows("invalid"): 100, rows("duplicate"): 4,
		rows("rejected"): 0, rows("failed"): 0, rows("not_sent"): 0, rows("already_sent"): 0,
		rows("unchanged"): 7, rows("skipped"): 1,
		reqs("200"): 23, reqs("400"): 0, reqs("401"): 0, reqs("429"): 2, reqs("5xx"): 3, reqs("error"): 1,
		key(NameRetries, l...):     5,
		key(NameDuration, l...):    12.345,
		key(NameExitCode, l...):    0,
		key(NameTimestamp, l...):   1741915812.345,
		key(NameLastSuccess, l...): 1741915812.345,
		key(NameBytesRead, l...):   1 << 20,
	}
	assert.Equal(t, want, got)
	assert.NotContains(t, string(data), "job=", "the scrape sets job, the file does not")
}

func TestWriteFileKeepsLastSuccess(t *testing.T) {
	tests := []struct {
		name string
		// before prepares dir/xonvo.prom before the failed run is written.
		before      func(t *testing.T, path string)
		wantSuccess bool // the failed run's file still has the earlier success
	}{
		{name: "earlier success with the same labels", wantSuccess: true, before: func(t *testing.T, path string) {
			require.NoError(t, WriteFile(path, testRun()))
		}},
		{name: "earlier failure after a success", wantSuccess: true, before: func(t *testing.T, path string) {
			require.NoError(t, WriteFile(path, testRun()))
			r := failedRun()
			r.Timestamp = endOfRun.Add(-1)
			require.NoError(t, WriteFile(path, r))
		}},
		{name: "no earlier file", before: func(*testing.T, string) {}},
		{name: "earlier success under other labels", before: func(t *testing.T, path string) {
			r := testRun()
			r.Labels = map[string]string{"pipeline": "other"}
			require.NoError(t, WriteFile(path, r))
		}},
		{name: "earlier file that does not parse", before: func(t *testing.T, path string) {
			require.NoError(t, os.WriteFile(path, []byte("not { metrics\n"), 0o600))
		}},
		{name: "earlier file is a symlink to a success", before: func(t *testing.T, path string) {
			elsewhere := filepath.Join(t.TempDir(), "other.prom")
			require.NoError(t, WriteFile(elsewhere, testRun()))
			require.NoError(t, os.Symlink(elsewhere, path))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "xonvo.prom")
			tt.before(t, path)
			require.NoError(t, WriteFile(path, failedRun()))
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			mfs := parseText(t, data)
			got := gauges(t, mfs)
			l := []string{"env=prod", "pipeline=crm-nightly"}
			assert.Equal(t, 1.0, got[key(NameExitCode, l...)], "the failed run's own figures are written")
			assert.Equal(t, 1742002212.345, got[key(NameTimestamp, l...)])
			if !tt.wantSuccess {
				assert.NotContains(t, mfs, NameLastSuccess)
				return
			}
			assert.Equal(t, 1741915812.345, got[key(NameLastSuccess, l...)], "the earlier success is kept")
		})
	}
}

func TestWriteFileIsPrivateAndAtomic(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, dir, path string)
	}{
		{name: "new file", prepare: func(*testing.T, string, string) {}},
		{name: "replaces a world-readable file", prepare: func(t *testing.T, _, path string) {
			require.NoError(t, os.WriteFile(path, []byte("old\n"), 0o644))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "xonvo.prom")
			tt.prepare(t, dir, path)
			require.NoError(t, WriteFile(path, testRun()))
			fi, err := os.Lstat(path)
			require.NoError(t, err)
			assert.True(t, fi.Mode().IsRegular())
			assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
			assert.Equal(t, []string{"xonvo.prom"}, dirNames(t, dir), "no temporary file left")
		})
	}
}

func TestWriteFileDoesNotFollowSymlink(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(t.TempDir(), "victim")
	require.NoError(t, os.WriteFile(victim, []byte("precious\n"), 0o644))
	path := filepath.Join(dir, "xonvo.prom")
	require.NoError(t, os.Symlink(victim, path))

	require.NoError(t, WriteFile(path, testRun()))

	data, err := os.ReadFile(victim)
	require.NoError(t, err)
	assert.Equal(t, "precious\n", string(data), "the link's target is untouched")
	fi, err := os.Stat(victim)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), fi.Mode().Perm(), "nor chmodded")
	fi, err = os.Lstat(path)
	require.NoError(t, err)
	assert.True(t, fi.Mode().IsRegular(), "the link itself was replaced by the metrics file")
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	written, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(written), NameRows)
}

func TestWriteFileErrors(t *testing.T) {
	tests := []struct {
		name    string
		path    func(t *testing.T) string
		run     Run
		wantErr string
		isNotEx bool
	}{
		{name: "empty path", path: func(*testing.T) string { return "" }, run: testRun(), wantErr: "the path is empty"},
		{name: "a file where the directory should be", path: func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "file")
			require.NoError(t, os.WriteFile(p, nil, 0o600))
			return filepath.Join(p, "x.prom")
		}, run: testRun(), wantErr: "not a directory"},
		{name: "path is a directory", path: func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "taken.prom")
			require.NoError(t, os.Mkdir(p, 0o755))
			return p
		}, run: testRun(), wantErr: "move the file into place"},
		{name: "invalid run", path: func(t *testing.T) string {
			return filepath.Join(t.TempDir(), "x.prom")
		}, run: Run{}, wantErr: "Timestamp is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path(t)
			err := WriteFile(path, tt.run)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			if tt.isNotEx {
				assert.ErrorIs(t, err, os.ErrNotExist)
			}
			if path != "" {
				if entries, err := os.ReadDir(filepath.Dir(path)); err == nil {
					for _, e := range entries {
						assert.NotContains(t, e.Name(), ".tmp", "temporary file removed on failure")
					}
				}
			}
		})
	}
}

// dirNames lists a directory's entries, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func BenchmarkWriteFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "xonvo.prom")
	r := failedRun() // the slower path: reads the previous file back
	require.NoError(b, WriteFile(path, testRun()))
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteFile(path, r); err != nil {
			b.Fatal(err)
		}
	}
}
