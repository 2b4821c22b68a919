package xlsx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/leadgen"
)

// readAllRows opens path's default sheet and drains it, returning the rows read.
func readAllRows(tb testing.TB, path string, o Options) int {
	ctx := context.Background()
	wb, err := Open(ctx, path, o)
	require.NoError(tb, err)
	defer wb.Close()
	name, err := wb.DefaultSheet()
	require.NoError(tb, err)
	sr, err := wb.OpenSheet(ctx, name)
	require.NoError(tb, err)
	defer sr.Close()
	n := 0
	for {
		_, err := sr.Next(ctx)
		if errors.Is(err, io.EOF) {
			return n
		}
		require.NoError(tb, err)
		n++
	}
}

// BenchmarkReadXLSX reads leadgen workbooks written the way Excel writes them (every
// text cell shared, dates and ZIP codes formatted numbers).
func BenchmarkReadXLSX(b *testing.B) {
	for _, rows := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			if rows > 100_000 && testing.Short() {
				b.Skip("the million-row workbook takes a while to write; not with -short")
			}
			path := filepath.Join(b.TempDir(), "leads.xlsx")
			require.NoError(b, leadgen.WriteXLSX(path, rows, 42, 8, leadgen.XLSXOptions{}))
			b.ReportAllocs()
			b.ResetTimer()
			n := 0
			for b.Loop() {
				n += readAllRows(b, path, Options{})
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
