package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const benchRows = 100_000

// readRows drains path and returns the number of records.
func readRows(b *testing.B, path string, opts Options) int {
	ctx := context.Background()
	src, err := Open(ctx, path, opts)
	require.NoError(b, err)
	defer src.Close()
	n := 0
	for {
		_, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			return n
		}
		require.NoError(b, err)
		n++
	}
}

func writeBenchCSV(b *testing.B, path string, rows int) {
	var sb strings.Builder
	sb.WriteString("First Name,Last Name,Phone,Email,State,City,Zip,Lead Date,IP,External ID,Account,Note\r\n")
	for i := range rows {
		fmt.Fprintf(&sb, "First%d,Müller,555%07d,lead%d@example.com,CA,Springfield,%05d,06-23-2021 22:55:23,10.0.%d.%d,ext-%d,%d,\"note, with comma\"\r\n",
			i%500, i, i, i%99999, i%256, (i/256)%256, i, 18+i%3)
	}
	require.NoError(b, os.WriteFile(path, []byte(sb.String()), 0o600))
}

func BenchmarkReadCSV(b *testing.B) {
	for _, enc := range []string{"utf-8", "auto"} {
		b.Run(enc, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "bench.csv")
			writeBenchCSV(b, path, benchRows)
			info, err := os.Stat(path)
			require.NoError(b, err)
			b.SetBytes(info.Size())
			b.ReportAllocs()
			b.ResetTimer()
			rows := 0
			for b.Loop() {
				rows += readRows(b, path, Options{Encoding: enc})
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

func BenchmarkReadXLSX(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.xlsx")
	writeBenchXLSX(b, path, benchRows)
	b.ReportAllocs()
	b.ResetTimer()
	rows := 0
	for b.Loop() {
		rows += readRows(b, path, Options{})
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadCSVCompressed reads the same file gzipped and zstd-compressed:
// inflating runs on the reading goroutine, before encoding/csv.
func BenchmarkReadCSVCompressed(b *testing.B) {
	dir := b.TempDir()
	plain := filepath.Join(dir, "bench.csv")
	writeBenchCSV(b, plain, benchRows)
	raw, err := os.ReadFile(plain)
	require.NoError(b, err)
	for _, c := range []struct {
		ext  string
		pack func(testing.TB, []byte) []byte
	}{{".gz", gzipped}, {".zst", zstded}} {
		b.Run(c.ext, func(b *testing.B) {
			path := plain + c.ext
			require.NoError(b, os.WriteFile(path, c.pack(b, raw), 0o600))
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			b.ResetTimer()
			rows := 0
			for b.Loop() {
				rows += readRows(b, path, Options{})
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
