package reports

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCleanStaleAfterACrash leaves writers of every kind unfinished, as
// kill -9 would, and checks that the next run's CleanStale removes what they
// left and nothing else.
func TestCleanStaleAfterACrash(t *testing.T) {
	for _, ext := range Extensions() {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "r"+ext)
			require.NoError(t, os.WriteFile(target, []byte("last good report"), 0o600))
			crashed, err := Create(target, []string{"A"})
			require.NoError(t, err)
			for i := range manyRows {
				require.NoError(t, crashed.Write(bigRow(i)))
			}
			before := dirEntries(t, dir)
			require.Greater(t, len(before), 1, "the crashed writer left files")

			removed, err := CleanStale(target)
			require.NoError(t, err)
			assert.Len(t, removed, len(before)-1)
			assert.Equal(t, []string{"r" + ext}, dirEntries(t, dir))
			got, err := os.ReadFile(target)
			require.NoError(t, err)
			assert.Equal(t, "last good report", string(got))
			require.NoError(t, crashed.Abort(), "a writer whose files are gone still aborts cleanly")
		})
	}
}

func TestCleanStale(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "r.csv")
	files := map[string]bool{ // name -> removed
		"r.csv":                         false,
		".r.csv.tmp-0123456789abcdef":   true,
		".r.csv.tmp-fedcba9876543210":   true,
		".r.csv.123456789.tmp":          true, // earlier releases
		".r.csv.tmp-0123456789ABCDEF":   false,
		".r.csv.tmp-0123456789abcde":    false,
		".r.csv.tmp-0123456789abcdef0":  false,
		".r.csv.tmp-0123456789abcdef~":  false,
		".r.csv.x123.tmp":               false,
		".r.csv..tmp":                   false,
		".rr.csv.tmp-0123456789abcdef":  false,
		".r.jsonl.tmp-0123456789abcdef": false,
		"r.csv.tmp-0123456789abcdef":    false,
		"notes.txt":                     false,
		"r.csv.removed.csv":             false,
	}
	for name := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600))
	}
	dirs := map[string]bool{
		".r.csv.tmp-00000000000000aa.d": true,
		".r.csv.tmp-00000000000000aa":   false, // a directory named like a file is not ours
		".r.csv.tmp-00000000000000aa.e": false,
	}
	for name := range dirs {
		require.NoError(t, os.Mkdir(filepath.Join(dir, name), 0o700))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name, "excelize-1"), []byte("x"), 0o600))
	}
	victim := filepath.Join(t.TempDir(), "victim")
	require.NoError(t, os.WriteFile(victim, []byte("precious"), 0o600))
	link := ".r.csv.tmp-00000000000000bb"
	require.NoError(t, os.Symlink(victim, filepath.Join(dir, link)))

	removed, err := CleanStale(target)
	require.NoError(t, err)

	var want []string
	for name, gone := range files {
		if gone {
			want = append(want, filepath.Join(dir, name))
		}
	}
	for name, gone := range dirs {
		if gone {
			want = append(want, filepath.Join(dir, name))
		}
	}
	want = append(want, filepath.Join(dir, link))
	sort.Strings(want)
	sort.Strings(removed)
	assert.Equal(t, want, removed)
	for name, gone := range files {
		_, err := os.Lstat(filepath.Join(dir, name))
		assert.Equal(t, gone, os.IsNotExist(err), name)
	}
	for name, gone := range dirs {
		_, err := os.Lstat(filepath.Join(dir, name))
		assert.Equal(t, gone, os.IsNotExist(err), name)
	}
	got, err := os.ReadFile(victim)
	require.NoError(t, err)
	assert.Equal(t, "precious", string(got), "a link is removed, not its target")

	t.Run("nothing to clean", func(t *testing.T) {
		removed, err := CleanStale(target)
		require.NoError(t, err)
		assert.Empty(t, removed)
	})
	t.Run("missing directory", func(t *testing.T) {
		removed, err := CleanStale(filepath.Join(dir, "no such dir", "r.csv"))
		require.NoError(t, err)
		assert.Empty(t, removed)
	})
}

// TestXLSXScratchFilesStayBesideTheReport writes enough for excelize to
// spill its stream to disk (past 16 MiB) and checks that the scratch files
// are in the report's private directory, not in the system temp directory
// where a crash would leave them unseen.
func TestXLSXScratchFilesStayBesideTheReport(t *testing.T) {
	sysTmp := t.TempDir()
	t.Setenv("TMPDIR", sysTmp)
	dir := t.TempDir()
	target := filepath.Join(dir, "big.xlsx")
	w, err := Create(target, []string{"Notes"})
	require.NoError(t, err)
	defer func() { require.NoError(t, w.Abort()) }()
	cell := strings.Repeat("x", 1000)
	for i := range 20000 {
		require.NoError(t, w.Write(RowResult{File: "f", Row: i + 2, Status: StatusSent, Original: []string{cell}}))
	}
	scratch := filepath.Base(assertTemporaries(t, dir, "big.xlsx")) + spillSuffix
	assert.NotEmpty(t, dirEntries(t, filepath.Join(dir, scratch)), "excelize spilled into the scratch directory")
	assert.Empty(t, dirEntries(t, sysTmp), "nothing in the system temp directory")
	require.NoError(t, w.Finish(Summary{}))
	assert.Equal(t, []string{"big.xlsx"}, dirEntries(t, dir), "scratch directory removed")
}
