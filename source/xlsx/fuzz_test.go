package xlsx

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/xonvo/xonvo-import/source/xlsx/xlsxtest"
)

// FuzzXLSXMatchesExcelize builds a workbook from the fuzz input (see fuzzgen_test.go),
// reads it with excelize and with this reader, and compares every cell. What is
// normalised, and why (doc.go says the same):
//   - dates and times: excelize formats them with the cell's format code; this reader
//     delivers ISO 8601. The expected value is excelize's own reading of the raw serial
//     (ExcelDateToTime), to the second; a time of day under the 1904 system is put on
//     1899-12-30 here, so only its time is compared.
//   - General numbers: excelize rounds past 15 significant digits ("1.23456789012346E+15");
//     this reader keeps the digits. Such a value must be the same float as the raw one.
//   - booleans are excelize's formatted TRUE/FALSE; strings, formula results and error
//     values are excelize's raw values (no number format applied to text).
func FuzzXLSXMatchesExcelize(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("shared strings, rich text, every cell kind"))
	f.Add([]byte{0, 8, 6, 0, 4, 1, 2, 5, 3, 7, 1, 5, 0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11, 200, 17, 33, 91, 4, 0, 0, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		g := generate(data)
		path := filepath.Join(t.TempDir(), "fuzz.xlsx")
		require.NoError(t, xlsxtest.Write(path, g.book))

		ef, err := excelize.OpenFile(path)
		require.NoError(t, err)
		defer ef.Close()
		raw, err := ef.GetRows("Data", excelize.Options{RawCellValue: true})
		require.NoError(t, err, "excelize cannot read a generated workbook: fix the generator")
		formatted, err := ef.GetRows("Data")
		require.NoError(t, err)

		rows, err := readSheet(t, path, "Data", Options{})
		require.NoError(t, err)
		got := map[int][]string{}
		for _, r := range rows {
			assert.Empty(t, r.Problem, "row %d", r.Num)
			got[r.Num] = r.Cells
		}
		for i, rawRow := range raw {
			num := i + 1
			if strings.Join(rawRow, "") == "" {
				assert.NotContains(t, got, num, "row %d is empty for excelize", num)
				continue
			}
			cells, ok := got[num]
			if !assert.True(t, ok, "row %d: excelize has %q", num, rawRow) {
				continue
			}
			delete(got, num)
			width := max(len(rawRow), len(cells))
			for col := 1; col <= width; col++ {
				want := cellAt(rawRow, col)
				have := cellAt(cells, col)
				kind := g.kinds[[2]int{num, col}]
				switch kind {
				case kindBool, kindDigits:
					want = cellAt(rowAt(formatted, i), col)
				case kindNumber:
					if fv := cellAt(rowAt(formatted, i), col); !strings.ContainsAny(fv, "Ee") {
						want = fv
					} else {
						assert.Equal(t, parseFloat(t, want), parseFloat(t, have), "cell %s: excelize %q", cellName(col, num), fv)
						continue
					}
				case kindDateTime, kindTime:
					want = excelizeDate(t, want, g.book.Date1904)
					if kind == kindTime && g.book.Date1904 {
						assert.True(t, strings.HasPrefix(have, "1899-12-30T"), "cell %s: %q", cellName(col, num), have)
						want, have = want[11:], have[min(11, len(have)):]
					}
				}
				assert.Equal(t, want, have, "cell %s (kind %d)\nsheet: %s\nshared: %s", cellName(col, num), kind, g.book.Sheets[0].Data, g.book.RawShared)
			}
		}
		assert.Empty(t, got, "rows excelize does not have")
	})
}

func cellAt(row []string, col int) string {
	if col <= len(row) {
		return row[col-1]
	}
	return ""
}

func rowAt(rows [][]string, i int) []string {
	if i < len(rows) {
		return rows[i]
	}
	return nil
}

func parseFloat(t *testing.T, s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err, "%q", s)
	return v
}

// excelizeDate is excelize's reading of a raw serial, to the nearest second, laid out
// as this reader delivers dates.
func excelizeDate(t *testing.T, raw string, date1904 bool) string {
	serial := parseFloat(t, raw)
	tm, err := excelize.ExcelDateToTime(serial, date1904)
	require.NoError(t, err)
	return tm.Round(time.Second).Format(DateTimeLayout)
}
