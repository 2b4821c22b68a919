package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenUnchecked: the merge pass's reader gives a part's bytes as the
// checked one does, stored or deflated, and leaves a bad CRC-32 to the row
// pass, whose reader still refuses it; the part limit holds for both.
func TestOpenUnchecked(t *testing.T) {
	content := strings.Repeat(`<row r="1"><c r="A1"><v>1</v></c></row>`, 2000)
	tests := []struct {
		name          string
		method        uint16
		crc           uint32 // 0: the right one
		limit         int64
		wantChecked   string // error the checked reader ends with, "" for none
		wantUnchecked string
	}{
		{name: "deflated", method: zip.Deflate},
		{name: "stored", method: zip.Store},
		{name: "a wrong CRC is left to the row pass", method: zip.Deflate, crc: 1, wantChecked: "checksum error"},
		{name: "past the part limit", method: zip.Deflate, limit: 1000,
			wantChecked: "inflates past its limit", wantUnchecked: "inflates past its limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeRawPart(t, "xl/worksheets/sheet1.xml", content, tt.method, tt.crc)
			a, err := openArchive(path, 1<<30)
			require.NoError(t, err)
			defer a.Close()
			if tt.limit > 0 {
				a.partLimit = tt.limit
			}
			read := func(open func() (io.ReadCloser, error), wantErr string) {
				t.Helper()
				rc, err := open()
				require.NoError(t, err)
				defer rc.Close()
				got, err := io.ReadAll(rc)
				if wantErr != "" {
					require.Error(t, err)
					assert.Contains(t, err.Error(), wantErr)
					return
				}
				require.NoError(t, err)
				assert.Equal(t, content, string(got))
			}
			read(func() (io.ReadCloser, error) { return a.open("xl/worksheets/sheet1.xml", false) }, tt.wantChecked)
			read(func() (io.ReadCloser, error) { return a.openUnchecked("xl/worksheets/sheet1.xml") }, tt.wantUnchecked)
		})
	}
}

// writeRawPart writes a zip of one part, compressed with method and
// declaring crc (0 for the right one).
func writeRawPart(t *testing.T, name, content string, method uint16, crc uint32) string {
	t.Helper()
	var data bytes.Buffer
	if method == zip.Deflate {
		fw, err := flate.NewWriter(&data, flate.DefaultCompression)
		require.NoError(t, err)
		_, err = fw.Write([]byte(content))
		require.NoError(t, err)
		require.NoError(t, fw.Close())
	} else {
		data.WriteString(content)
	}
	if crc == 0 {
		crc = crc32.ChecksumIEEE([]byte(content))
	}
	path := filepath.Join(t.TempDir(), "book.xlsx")
	f, err := os.Create(path)
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: method, CRC32: crc,
		CompressedSize64: uint64(data.Len()), UncompressedSize64: uint64(len(content))})
	require.NoError(t, err)
	_, err = w.Write(data.Bytes())
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
	return path
}
