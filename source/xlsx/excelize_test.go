package xlsx

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// TestMatchesExcelizeStreamWriter reads a 3,000-row workbook written by excelize's
// stream writer (inline strings, integers, sparse and empty rows) with both readers:
// every cell must come out as excelize reads it.
func TestMatchesExcelizeStreamWriter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "oracle.xlsx")
	writeStreamWorkbook(t, path, 3000)
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	want, err := f.GetRows("Sheet1", excelize.Options{RawCellValue: true})
	require.NoError(t, err)

	rows, err := readSheet(t, path, "Sheet1", Options{})
	require.NoError(t, err)
	var wantRows []Row
	for i, cells := range want {
		last := len(cells)
		for last > 0 && cells[last-1] == "" {
			last--
		}
		if last > 0 {
			wantRows = append(wantRows, Row{Num: i + 1, Cells: cells[:last]})
		}
	}
	require.Len(t, rows, len(wantRows))
	assert.Equal(t, wantRows, rows)
}

// writeStreamWorkbook writes a 12-column sheet of lead-like rows with excelize's stream
// writer.
func writeStreamWorkbook(t testing.TB, path string, rows int) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	require.NoError(t, err)
	header := []any{"First Name", "Last Name", "Phone", "Email", "State", "City", "Zip", "Lead Date", "IP", "External ID", "Account", "Note"}
	require.NoError(t, sw.SetRow("A1", header))
	states := []string{"CA", "NY", "TX", "FL", "WA"}
	for i := 2; i <= rows+1; i++ {
		if i%97 == 0 {
			continue // an empty row
		}
		row := []any{
			fmt.Sprintf("First%d", i%500), "Müller & <Sons>", 5550000000 + i, fmt.Sprintf("lead%d@example.com", i),
			states[i%len(states)], "Springfield", 10000 + i%89999, time.Date(2021, 6, 23, 0, 0, 0, 0, time.UTC).Format("01-02-2006 15:04:05"),
			fmt.Sprintf("10.0.%d.%d", i%256, (i/256)%256), fmt.Sprintf("ext-%d", i), 18 + i%3, "",
		}
		if i%13 == 0 {
			row[11] = " note with spaces\r\nand a line "
			row[3] = nil // sparse
		}
		require.NoError(t, sw.SetRow(fmt.Sprintf("A%d", i), row))
	}
	require.NoError(t, sw.Flush())
	require.NoError(t, f.SaveAs(path))
}
