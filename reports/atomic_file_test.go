package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// manyRows is enough rows to push every format past its write buffers, so a
// non-atomic writer would have put bytes at the target before Finish.
const manyRows = 5000

func bigRow(i int) RowResult {
	return RowResult{File: "in.csv", Row: i + 2, Status: StatusFailed, Message: strings.Repeat("m", 100),
		Original: []string{strings.Repeat("x", 100)}}
}

func TestReportIsAtomic(t *testing.T) {
	for _, ext := range Extensions() {
		t.Run(ext, func(t *testing.T) {
			tests := []struct {
				name   string
				finish bool
			}{
				{name: "abort leaves the old file", finish: false},
				{name: "finish replaces the old file", finish: true},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					dir := t.TempDir()
					target := filepath.Join(dir, "report"+ext)
					require.NoError(t, os.WriteFile(target, []byte("old"), 0o644))

					w, err := Create(target, []string{"A"})
					require.NoError(t, err)
					for i := range manyRows {
						require.NoError(t, w.Write(bigRow(i)))
					}
					old, err := os.ReadFile(target)
					require.NoError(t, err)
					assert.Equal(t, "old", string(old), "the target is untouched while writing")
					assertTemporaries(t, dir, "report"+ext)

					if !tt.finish {
						require.NoError(t, w.Abort())
						old, err := os.ReadFile(target)
						require.NoError(t, err)
						assert.Equal(t, "old", string(old))
						assert.Equal(t, []string{"report" + ext}, dirEntries(t, dir), "temporary file removed")
						require.ErrorIs(t, w.Write(bigRow(0)), ErrClosed)
						require.ErrorIs(t, w.Finish(Summary{}), ErrClosed)
						return
					}
					require.NoError(t, w.Finish(Summary{}))
					assert.Equal(t, []string{"report" + ext}, dirEntries(t, dir), "no temporary file left")
					fi, err := os.Stat(target)
					require.NoError(t, err)
					assert.Equal(t, reportPerm, fi.Mode().Perm())
					assert.Greater(t, fi.Size(), int64(len("old")))
					require.NoError(t, w.Abort(), "Abort after Finish is a no-op, safe to defer")
					_, err = os.Stat(target)
					require.NoError(t, err, "Abort after Finish keeps the report")
					require.ErrorIs(t, w.Write(bigRow(0)), ErrClosed)
				})
			}
		})
	}
}

func TestReportNeverHalfWritten(t *testing.T) {
	for _, ext := range Extensions() {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			target := filepath.Join(dir, "new"+ext)
			w, err := Create(target, []string{"A"})
			require.NoError(t, err)
			for i := range manyRows {
				require.NoError(t, w.Write(bigRow(i)))
				if i%1000 == 0 {
					_, err := os.Stat(target)
					require.ErrorIs(t, err, os.ErrNotExist, "no target until Finish")
				}
			}
			tmp := assertTemporaries(t, dir, "new"+ext)
			fi, err := os.Stat(tmp)
			require.NoError(t, err)
			assert.Equal(t, reportPerm, fi.Mode().Perm(), "the temporary file is private too")
			require.NoError(t, w.Finish(Summary{}))
			assert.Equal(t, []string{"new" + ext}, dirEntries(t, dir))
		})
	}
}

func TestCreateInMissingDirectory(t *testing.T) {
	for _, ext := range Extensions() {
		t.Run(ext, func(t *testing.T) {
			root := t.TempDir()
			path := filepath.Join(root, "out", "nested", "r"+ext)
			w, err := Create(path, nil)
			require.NoError(t, err)
			require.NoError(t, w.Finish(Summary{}))
			fi, err := os.Stat(filepath.Join(root, "out"))
			require.NoError(t, err)
			assert.True(t, fi.IsDir())
			assert.Equal(t, dirPerm&^currentUmask(t), fi.Mode().Perm(), "0755 before the umask, as mkdir -p")
			fi, err = os.Stat(path)
			require.NoError(t, err)
			assert.Equal(t, reportPerm, fi.Mode().Perm())
		})
	}
}

// assertTemporaries checks what a writer in progress keeps beside target:
// one temporary file named for CleanStale, and for XLSX its private scratch
// directory. It returns the temporary file's path.
func assertTemporaries(t *testing.T, dir, target string) string {
	t.Helper()
	var file, scratch string
	for _, name := range dirEntries(t, dir) {
		switch {
		case name == target:
		case isStaleName(name, target, false):
			file = name
		case isStaleName(name, target, true):
			scratch = name
		default:
			t.Fatalf("unexpected %q beside %s", name, target)
		}
	}
	require.NotEmpty(t, file, "a temporary file")
	if filepath.Ext(target) == ".xlsx" {
		require.Equal(t, file+spillSuffix, scratch, "excelize's scratch files in a directory of their own")
		fi, err := os.Stat(filepath.Join(dir, scratch))
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())
	} else {
		require.Empty(t, scratch)
	}
	return filepath.Join(dir, file)
}

func TestWriteFileAtomic(t *testing.T) {
	tests := []struct {
		name     string
		existing string // "" for none
		perm     os.FileMode
	}{
		{name: "new file", perm: 0o600},
		{name: "replaces a readable file, mode and all", existing: "old content", perm: 0o600},
		{name: "other mode", perm: 0o640},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "summary.json")
			if tt.existing != "" {
				require.NoError(t, os.WriteFile(path, []byte(tt.existing), 0o644))
			}
			require.NoError(t, WriteFileAtomic(path, []byte(`{"rows":1}`), tt.perm))
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.Equal(t, `{"rows":1}`, string(got))
			fi, err := os.Stat(path)
			require.NoError(t, err)
			assert.Equal(t, tt.perm, fi.Mode().Perm())
			assert.Equal(t, []string{"summary.json"}, dirEntries(t, dir))
		})
	}
	t.Run("missing directory is created", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "no", "s.json")
		require.NoError(t, WriteFileAtomic(path, []byte("x"), 0o600))
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, "x", string(got))
	})
	t.Run("directory cannot be created", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "file"), nil, 0o600))
		err := WriteFileAtomic(filepath.Join(dir, "file", "s.json"), []byte("x"), 0o600)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "create the directory of")
	})
	t.Run("target is a directory", func(t *testing.T) {
		dir := t.TempDir()
		target := filepath.Join(dir, "taken")
		require.NoError(t, os.Mkdir(target, 0o755))
		require.Error(t, WriteFileAtomic(target, []byte("x"), 0o600))
		assert.Equal(t, []string{"taken"}, dirEntries(t, dir), "temporary file removed on failure")
	})
}

// TestWriteBehindKeepsEveryByte writes through atomicFile.Write past
// several write-behind points, in pieces that straddle them, and reads the
// committed file back whole.
func TestWriteBehindKeepsEveryByte(t *testing.T) {
	tests := []struct {
		name  string
		piece int
		total int
	}{
		{name: "less than one write-behind", piece: 4096, total: writeBehindBytes / 2},
		{name: "pieces straddling write-behind points", piece: 3<<20 + 17, total: 3*writeBehindBytes + 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "big.csv")
			af, err := createAtomic(path, reportPerm)
			require.NoError(t, err)
			want := make([]byte, tt.total)
			for i := range want {
				want[i] = byte('a' + i%26)
			}
			for rest := want; len(rest) > 0; {
				n := min(tt.piece, len(rest))
				written, err := af.Write(rest[:n])
				require.NoError(t, err)
				require.Equal(t, n, written)
				rest = rest[n:]
			}
			assert.Equal(t, int64(tt.total), af.written)
			assert.Equal(t, tt.total >= writeBehindBytes, af.behind > 0, "writeback started once there was enough")
			assert.Less(t, af.written-af.behind, int64(writeBehindBytes), "never more than that waits")
			require.NoError(t, af.commit())
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, want, got)
		})
	}
}
