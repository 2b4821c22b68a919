//go:build unix

package reports

import (
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// currentUmask reads the process umask (setting it back at once).
func currentUmask(t *testing.T) os.FileMode {
	t.Helper()
	old := syscall.Umask(0o022)
	syscall.Umask(old)
	return os.FileMode(old)
}

// withUmask runs the rest of the test under umask m. The umask is
// process-wide: tests using it must not run in parallel.
func withUmask(t *testing.T, m int) {
	t.Helper()
	old := syscall.Umask(m)
	t.Cleanup(func() { syscall.Umask(old) })
}

// writeEveryKind writes a report of each format, a summary JSON and a
// removed-leads list into dir, and returns their paths.
func writeEveryKind(t *testing.T, dir string) []string {
	t.Helper()
	var paths []string
	for _, ext := range Extensions() {
		p := filepath.Join(dir, "r"+ext)
		w, err := Create(p, []string{"A"})
		require.NoError(t, err)
		require.NoError(t, w.Write(RowResult{File: "f", Row: 2, Status: StatusSent, Original: []string{"x"}}))
		require.NoError(t, w.Finish(Summary{}))
		paths = append(paths, p)
	}
	p := filepath.Join(dir, "s.json")
	require.NoError(t, Summary{}.WriteJSONFile(p))
	paths = append(paths, p)
	p = filepath.Join(dir, "r.csv.removed.csv")
	rw, err := CreateRemoved(p)
	require.NoError(t, err)
	require.NoError(t, rw.Write(RemovedLead{AccountID: "18", ExternalID: "A-1"}))
	require.NoError(t, rw.Finish())
	return append(paths, p)
}

func TestFilesArePrivateWhateverTheUmask(t *testing.T) {
	for _, umask := range []int{0o000, 0o022, 0o077, 0o277} {
		t.Run("umask "+strconv.FormatInt(int64(umask), 8), func(t *testing.T) {
			withUmask(t, umask)
			for _, p := range writeEveryKind(t, t.TempDir()) {
				fi, err := os.Stat(p)
				require.NoError(t, err)
				assert.Equal(t, reportPerm, fi.Mode().Perm(), p)
			}
		})
	}
}

func TestExistingFileModeIsNotKept(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"r.csv", "r.jsonl", "r.xlsx", "s.json", "r.csv.removed.csv"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("old"), 0o666))
		require.NoError(t, os.Chmod(filepath.Join(dir, name), 0o666))
	}
	for _, p := range writeEveryKind(t, dir) {
		fi, err := os.Stat(p)
		require.NoError(t, err)
		assert.Equal(t, reportPerm, fi.Mode().Perm(), "%s: a world-readable file is replaced by a private one", p)
	}
}

func TestSymlinkAtTargetIsReplaced(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	require.NoError(t, os.WriteFile(victim, []byte("precious"), 0o644))
	for _, name := range []string{"r.csv", "r.jsonl", "r.xlsx", "s.json", "r.csv.removed.csv"} {
		require.NoError(t, os.Symlink(victim, filepath.Join(dir, name)))
	}
	for _, p := range writeEveryKind(t, dir) {
		fi, err := os.Lstat(p)
		require.NoError(t, err)
		assert.True(t, fi.Mode().IsRegular(), "%s: the link is replaced by a file", p)
	}
	got, err := os.ReadFile(victim)
	require.NoError(t, err)
	assert.Equal(t, "precious", string(got), "the link's target is never written")
	fi, err := os.Stat(victim)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), fi.Mode().Perm(), "nor chmod-ed")
}

func TestTemporaryNameTakenIsSkipped(t *testing.T) {
	tests := []struct {
		name  string
		plant func(t *testing.T, path, victim string)
	}{
		{name: "symlink", plant: func(t *testing.T, path, victim string) { require.NoError(t, os.Symlink(victim, path)) }},
		{name: "dangling symlink", plant: func(t *testing.T, path, victim string) {
			require.NoError(t, os.Symlink(victim+".missing", path))
		}},
		{name: "file", plant: func(t *testing.T, path, _ string) { require.NoError(t, os.WriteFile(path, []byte("x"), 0o644)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			victim := filepath.Join(dir, "victim")
			require.NoError(t, os.WriteFile(victim, []byte("precious"), 0o644))
			target := filepath.Join(dir, "r.csv")
			tt.plant(t, tempName(target, "0000000000000001"), victim)

			suffixes := []string{"0000000000000001", "0000000000000002"}
			next := func() string { s := suffixes[0]; suffixes = suffixes[1:]; return s }
			af, err := createAtomicWith(target, reportPerm, next)
			require.NoError(t, err)
			assert.Equal(t, tempName(target, "0000000000000002"), af.f.Name(), "the taken name is skipped")
			_, err = af.f.WriteString("report")
			require.NoError(t, err)
			require.NoError(t, af.commit())

			got, err := os.ReadFile(victim)
			require.NoError(t, err)
			assert.Equal(t, "precious", string(got))
			_, err = os.Stat(victim + ".missing")
			require.ErrorIs(t, err, os.ErrNotExist, "a dangling link is not followed to create its target")
			got, err = os.ReadFile(target)
			require.NoError(t, err)
			assert.Equal(t, "report", string(got))
		})
	}
	t.Run("every name taken", func(t *testing.T) {
		dir := t.TempDir()
		target := filepath.Join(dir, "r.csv")
		require.NoError(t, os.Symlink("/nonexistent", tempName(target, "0000000000000001")))
		_, err := createAtomicWith(target, reportPerm, func() string { return "0000000000000001" })
		require.ErrorIs(t, err, os.ErrExist)
	})
}
