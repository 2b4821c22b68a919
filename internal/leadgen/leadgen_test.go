package leadgen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

var updateSamples = flag.Bool("update-samples", false, "rewrite samples/leads.xlsx")

// samplePath is the workbook shipped for people in samples/.
const samplePath = "../../samples/leads.xlsx"

func writeSample(t *testing.T, path string) {
	t.Helper()
	require.NoError(t, WriteXLSX(path, 40, 2026, 2, XLSXOptions{}))
}

func TestSameSeedSameBytes(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name  string
		write func(path string) error
	}{
		{name: "csv", write: func(p string) error { return WriteCSV(p, 500, 9, 3) }},
		{name: "xlsx", write: func(p string) error { return WriteXLSX(p, 500, 9, 3, XLSXOptions{}) }},
		{name: "xlsx 1904", write: func(p string) error { return WriteXLSX(p, 50, 9, 3, XLSXOptions{Date1904: true}) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := filepath.Join(dir, tc.name+"-a"), filepath.Join(dir, tc.name+"-b")
			require.NoError(t, tc.write(a))
			require.NoError(t, tc.write(b))
			ba, err := os.ReadFile(a)
			require.NoError(t, err)
			bb, err := os.ReadFile(b)
			require.NoError(t, err)
			assert.True(t, bytes.Equal(ba, bb))
		})
	}
}

func TestXLSXReadsBackAsExcelWouldShowIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.xlsx")
	require.NoError(t, WriteXLSX(path, 20, 3, 2, XLSXOptions{}))
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows("Leads")
	require.NoError(t, err)
	require.Len(t, rows, 21)
	assert.Equal(t, Header(), rows[0])
	g := New(3, 2)
	for i := 1; i <= 20; i++ {
		want := g.Next()
		assert.Equal(t, want.ExternalID, rows[i][1])
		assert.Equal(t, want.Phone, rows[i][4])
		assert.Len(t, rows[i][9], 5, "zip shown through 00000: %q", rows[i][9])
	}
	typ, err := f.GetCellType("Leads", "B2")
	require.NoError(t, err)
	assert.Equal(t, excelize.CellTypeSharedString, typ, "text goes through the shared-strings table")
}

func TestSamplesWorkbookIsUpToDate(t *testing.T) {
	if *updateSamples {
		writeSample(t, samplePath)
	}
	fresh := filepath.Join(t.TempDir(), "leads.xlsx")
	writeSample(t, fresh)
	want, err := os.ReadFile(fresh)
	require.NoError(t, err)
	got, err := os.ReadFile(samplePath)
	require.NoError(t, err, "run: go test ./internal/leadgen -run TestSamplesWorkbook -update-samples")
	assert.True(t, bytes.Equal(want, got), "samples/leads.xlsx is stale: rerun with -update-samples")
}
