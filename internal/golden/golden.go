package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// update is the -update flag of the test binary. Registering a flag is this
// test-only package's one side effect: that is how go test passes it.
var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// Path is the golden file name under testdata/golden.
func Path(name string) string { return filepath.Join("testdata", "golden", name) }

// Assert compares got with the golden file name; with -update it first
// writes got there.
func Assert(t testing.TB, name string, got []byte) {
	t.Helper()
	path := Path(name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "no golden file %s: run the test with -update to write it", path)
	assert.Equal(t, string(want), string(got), "differs from %s (rerun with -update if the change is intended)", path)
}

// Updating reports whether the test binary runs with -update, for tests
// that write several files or golden files in their own shape.
func Updating() bool { return *update }
