package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCSVCeiling(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		wantRows int
		wantOut  string
		wantErr  string
	}{
		{name: "every cell goes back, unquoted", in: "a,b\n1,\"x,y\"\n2,z\n", wantRows: 3, wantOut: "a,b\n1,x,y\n2,z\n"},
		{name: "a multi-line cell is one row", in: "a\n\"l1\nl2\"\n", wantRows: 2, wantOut: "a\nl1\nl2\n"},
		{name: "more rows than a batch", in: manyRows(ceilingBatch + 3), wantRows: ceilingBatch + 3, wantOut: manyRows(ceilingBatch + 3)},
		{name: "empty input", in: "", wantRows: 0, wantOut: ""},
		{name: "rows of any width, as the importer reads them", in: "a,b\n1\n2,3,4\n", wantRows: 3, wantOut: "a,b\n1\n2,3,4\n"},
		{name: "a malformed row stops the parse and says where", in: "a,b\n1,2\n3,x\"y\n", wantErr: "parse error on line 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			in, out := filepath.Join(dir, "in.csv"), filepath.Join(dir, "out.csv")
			require.NoError(t, os.WriteFile(in, []byte(tt.in), 0o600))
			rows, err := csvCeiling(in, out)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				assert.ErrorContains(t, err, in, "the error names the file")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantRows, rows)
			got, err := os.ReadFile(out)
			require.NoError(t, err)
			assert.Equal(t, tt.wantOut, string(got))
		})
	}
}

// TestCSVCeilingWriteError: a write that fails is the ceiling's error, and
// the parse goes on to the end without a writer left waiting.
func TestCSVCeilingWriteError(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full here")
	}
	in := filepath.Join(t.TempDir(), "in.csv")
	require.NoError(t, os.WriteFile(in, []byte(manyRows(300_000)), 0o600)) // past the 1 MiB buffer
	rows, err := csvCeiling(in, "/dev/full")
	require.Error(t, err)
	assert.Equal(t, 300_000, rows, "every row was parsed")
}

func TestCSVCeilingMissingInput(t *testing.T) {
	dir := t.TempDir()
	_, err := csvCeiling(filepath.Join(dir, "none.csv"), filepath.Join(dir, "out.csv"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func manyRows(n int) string {
	var b []byte
	for i := range n {
		b = append(b, 'r')
		b = append(b, byte('0'+i%10))
		b = append(b, ",v\n"...)
	}
	return string(b)
}
