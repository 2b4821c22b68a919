package reports

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// readBack reads a CSV or XLSX report as the importer reads an input: the
// header and the cells, CSV cells with Unneutralise applied.
func readBack(t *testing.T, path string) (header []string, rows [][]string) {
	t.Helper()
	var records [][]string
	switch filepath.Ext(path) {
	case ".csv":
		f, err := os.Open(path)
		require.NoError(t, err)
		defer f.Close()
		records, err = csv.NewReader(f).ReadAll()
		require.NoError(t, err)
		for _, rec := range records {
			for i := range rec {
				rec[i] = Unneutralise(rec[i])
			}
		}
	case ".xlsx":
		f := openXLSX(t, path)
		width := 0
		var err error
		records, err = f.GetRows(SheetReport, excelize.Options{RawCellValue: true})
		require.NoError(t, err)
		for _, r := range records {
			width = max(width, len(r))
		}
		width = max(width, len(records[0]))
		for i := range records {
			for len(records[i]) < width {
				records[i] = append(records[i], "")
			}
		}
	default:
		t.Fatalf("no reader for %s", path)
	}
	require.NotEmpty(t, records)
	return records[0], records[1:]
}

// TestReportImportsAgain checks what re-importing needs: the report's header
// is recognised, the input's column names come back, and each row's input
// cells come back exactly, formula-like values included.
func TestReportImportsAgain(t *testing.T) {
	fx := loadFixture(t)
	for _, ext := range []string{".csv", ".xlsx"} {
		t.Run(ext, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report"+ext)
			writeReport(t, path, fx, Summary{})
			header, rows := readBack(t, path)
			require.True(t, IsReportHeader(header))
			names, ok := InputColumns(header)
			require.True(t, ok)
			assert.Equal(t, fx.Original, names, "the mapping binds to the input's own names")
			require.Len(t, rows, len(fx.Rows))
			for i, r := range fx.Rows {
				assert.Equal(t, paddedOriginal(r, len(fx.Original)), rows[i][nFixed:], "row %d: input cells as read", r.Row)
				assert.Equal(t, r.Phone, rows[i][6], "row %d: the report's phone", r.Row)
				assert.Equal(t, string(r.Status), rows[i][2])
			}
		})
	}
}

// TestReportOfAReportOfAReport runs import -> leads stop -> stats leads on
// files: each run reads the previous report as its input and writes its own.
func TestReportOfAReportOfAReport(t *testing.T) {
	input := []string{"First Name", "Phone", "status", "input.Notes"}
	cells := []string{"Ann", "+1 333 555 0101", "=lead", "'@x"}
	for _, ext := range []string{".csv", ".xlsx"} {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			header, row := input, cells
			var headers [][]string
			for level := 1; level <= 3; level++ {
				path := filepath.Join(dir, "r"+string(rune('0'+level))+ext)
				w, err := Create(path, header)
				require.NoError(t, err)
				require.NoError(t, w.Write(RowResult{File: "in" + ext, Row: 2, Status: StatusSent, AccountID: "18",
					ExternalID: "A-1", Phone: "+13335550101", HTTPStatus: 200, Attempts: 1, Original: row}))
				require.NoError(t, w.Finish(Summary{}))
				var rows [][]string
				header, rows = readBack(t, path)
				require.Len(t, rows, 1)
				row = rows[0]
				assertNoRepeat(t, header)
				headers = append(headers, header)
			}
			assert.Equal(t, "input.file", headers[1][nFixed])
			assert.Equal(t, "input.file", headers[2][nFixed])
			assert.Equal(t, "input.input.file", headers[2][2*nFixed])
			assert.Equal(t, "input.input.input.input.Notes", headers[2][len(headers[2])-1])

			// Peel the levels off: each gives the previous run's header and
			// row back, down to the original input.
			for level := 2; level >= 0; level-- {
				names, ok := InputColumns(header)
				require.True(t, ok, "level %d", level)
				header, row = names, row[nFixed:]
				if level > 0 {
					assert.Equal(t, headers[level-1], header)
				}
			}
			assert.Equal(t, input, header)
			assert.Equal(t, cells, row)
		})
	}
}
