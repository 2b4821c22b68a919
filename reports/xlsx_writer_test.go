package reports

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// expectedCells is how a result reads back from an XLSX report: raw
// values, nothing neutralised, numbers in decimal.
func expectedCells(r RowResult, nOrig int) []string {
	cells := []string{r.File, strconv.Itoa(r.Row), string(r.Status), r.Message,
		r.AccountID, r.ExternalID, r.Phone, strconv.Itoa(r.HTTPStatus), strconv.Itoa(r.Attempts)}
	return append(cells, paddedOriginal(r, nOrig)...)
}

// readRows returns a sheet's rows padded to width (excelize trims trailing
// empty cells).
func readRows(t *testing.T, f *excelize.File, sheet string, width int) [][]string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	for i, r := range rows {
		for len(r) < width {
			r = append(r, "")
		}
		rows[i] = r
	}
	return rows
}

func fillOf(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	require.NoError(t, err)
	st, err := f.GetStyle(id)
	require.NoError(t, err)
	if len(st.Fill.Color) == 0 {
		return ""
	}
	return st.Fill.Color[0]
}

func openXLSX(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func TestXLSXReport(t *testing.T) {
	fx := loadFixture(t)
	path := filepath.Join(t.TempDir(), "report.xlsx")
	w, err := Create(path, fx.Original)
	require.NoError(t, err)
	xw, ok := w.(*xlsxWriter)
	require.True(t, ok)
	xw.now = func() time.Time { return time.Date(2025, 3, 4, 5, 6, 7, 0, time.FixedZone("X", 3600)) }
	for _, r := range fx.Rows {
		require.NoError(t, w.Write(r))
	}
	require.NoError(t, w.Finish(testSummary()))

	f := openXLSX(t, path)
	header := Header(fx.Original)
	width := len(header)

	t.Run("sheets", func(t *testing.T) {
		assert.Equal(t, []string{SheetReport, SheetProblems, SheetSummary}, f.GetSheetList())
		assert.Equal(t, 0, f.GetActiveSheetIndex())
	})
	t.Run("report rows", func(t *testing.T) {
		want := [][]string{header}
		for _, r := range fx.Rows {
			want = append(want, expectedCells(r, len(fx.Original)))
		}
		assert.Equal(t, want, readRows(t, f, SheetReport, width))
	})
	t.Run("problems rows", func(t *testing.T) {
		want := [][]string{header}
		for _, r := range fx.Rows {
			if r.Status.Problem() {
				want = append(want, expectedCells(r, len(fx.Original)))
			}
		}
		got := readRows(t, f, SheetProblems, width)
		assert.Equal(t, want, got)
		assert.Len(t, got, 1+5, "invalid, duplicate, rejected, failed, not_sent")
	})
	t.Run("cell types", func(t *testing.T) {
		tests := []struct {
			name, cell, want string
			typ              excelize.CellType
		}{
			{name: "zip keeps its zero", cell: "L2", want: "02134", typ: excelize.CellTypeInlineString},
			{name: "E.164 phone is text, no quote", cell: "G2", want: "+13335550101", typ: excelize.CellTypeInlineString},
			{name: "row is a number", cell: "B2", want: "2", typ: excelize.CellTypeUnset},
			{name: "http_status is a number", cell: "H2", want: "201", typ: excelize.CellTypeUnset},
			{name: "attempts is a number", cell: "I3", want: "2", typ: excelize.CellTypeUnset},
			{name: "no HTTP status is 0", cell: "H4", want: "0", typ: excelize.CellTypeUnset},
			{name: "formula stays a string", cell: "M5", want: "=HYPERLINK(\"http://x\",\"y\")", typ: excelize.CellTypeInlineString},
			{name: "at sign stays a string", cell: "J6", want: "@SUM(A1)", typ: excelize.CellTypeInlineString},
			{name: "minus stays a string", cell: "K6", want: "-5", typ: excelize.CellTypeInlineString},
			{name: "multi-line", cell: "M4", want: "line one\nline two, with \"quotes\"", typ: excelize.CellTypeInlineString},
			{name: "unicode", cell: "J3", want: "José Ñúñez", typ: excelize.CellTypeInlineString},
			{name: "leading space kept", cell: "M9", want: " leading space", typ: excelize.CellTypeInlineString},
			{name: "header is text", cell: "K1", want: "input.Phone", typ: excelize.CellTypeInlineString},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				v, err := f.GetCellValue(SheetReport, tt.cell, excelize.Options{RawCellValue: true})
				require.NoError(t, err)
				assert.Equal(t, tt.want, v)
				typ, err := f.GetCellType(SheetReport, tt.cell)
				require.NoError(t, err)
				assert.Equal(t, tt.typ, typ)
				formula, err := f.GetCellFormula(SheetReport, tt.cell)
				require.NoError(t, err)
				assert.Empty(t, formula)
			})
		}
	})
	t.Run("header bold and frozen", func(t *testing.T) {
		for _, sheet := range []string{SheetReport, SheetProblems} {
			id, err := f.GetCellStyle(sheet, "A1")
			require.NoError(t, err)
			st, err := f.GetStyle(id)
			require.NoError(t, err)
			require.NotNil(t, st.Font)
			assert.True(t, st.Font.Bold, sheet)
			panes, err := f.GetPanes(sheet)
			require.NoError(t, err)
			assert.True(t, panes.Freeze, sheet)
			assert.Equal(t, 1, panes.YSplit, sheet)
			assert.Equal(t, "A2", panes.TopLeftCell, sheet)
		}
	})
	t.Run("autofilter over the used range", func(t *testing.T) {
		filters := map[string]string{}
		for _, d := range f.GetDefinedName() {
			if d.Name == "_xlnm._FilterDatabase" {
				filters[d.Scope] = d.RefersTo
			}
		}
		assert.Equal(t, map[string]string{
			SheetReport:   "'Report'!$A$1:$N$10",
			SheetProblems: "'Problems'!$A$1:$N$6",
		}, filters)
	})
	t.Run("fills", func(t *testing.T) {
		for i, r := range fx.Rows {
			want := ""
			switch {
			case r.Status.Problem():
				want = fillProblem
			case r.Message != "":
				want = fillWarning
			}
			for _, col := range []string{"A", "N"} {
				cell := col + strconv.Itoa(i+2)
				assert.Equal(t, want, fillOf(t, f, SheetReport, cell), "%s %s", cell, r.Status)
			}
		}
		assert.Equal(t, fillProblem, fillOf(t, f, SheetProblems, "C2"))
	})
	t.Run("column widths fit and are capped", func(t *testing.T) {
		tests := []struct {
			col  string
			want float64
		}{
			{col: "A", want: 16}, // "more leads.xlsx" (15) + 1
			{col: "B", want: 6},  // minimum
			{col: "D", want: 58}, // the timestamp message (57) + 1
			{col: "J", want: 13}, // header "First Name" + room for the filter button
			{col: "M", want: 27}, // the HYPERLINK (26) + 1; multi-line cells count their longest line
		}
		for _, tt := range tests {
			t.Run(tt.col, func(t *testing.T) {
				got, err := f.GetColWidth(SheetReport, tt.col)
				require.NoError(t, err)
				assert.InDelta(t, tt.want, got, 0.001)
			})
		}
	})
	t.Run("summary", func(t *testing.T) {
		rows, err := f.GetRows(SheetSummary, excelize.Options{RawCellValue: true})
		require.NoError(t, err)
		got := map[string]string{}
		for _, r := range rows {
			if len(r) == 2 {
				got[r[0]] = r[1]
			}
		}
		s := testSummary()
		assert.Equal(t, "2025-03-04T04:06:07Z", got["Generated at"])
		assert.Equal(t, "no", got["Dry run"])
		assert.Equal(t, StopMaxErrors.Sentence(), got["Stopped early"])
		assert.Equal(t, "too many rows failed: 5 of 5", got["Error"])
		assert.Equal(t, "leads.csv: 1,234,572 rows", got["Inputs"])
		assert.Equal(t, "more leads.xlsx (sheet Leads, header row 3): 34 rows", got[""])
		assert.Equal(t, "=old.csv: imported by the run of 2025-03-03T05:06:07Z (same content)", got["Skipped files"])
		assert.Equal(t, `"Notes", "Zip 4"`, got["Columns added"])
		assert.Equal(t, `"Fax"`, got["Columns removed"])
		assert.Equal(t, "42; stopped: 40 of 42; list: out/r.csv.removed.csv", got["Removed leads"])
		assert.Equal(t, "3", got["unchanged"])
		assert.Equal(t, "1234567", got["sent"])
		assert.Equal(t, "0", got["valid"])
		assert.Equal(t, "20", got["invalid"])
		assert.Equal(t, strconv.FormatInt(s.Rows, 10), got["Total"])
		assert.Equal(t, "12400", got["Requests"])
		assert.Equal(t, "31", got["Retries"])
		assert.Equal(t, "2", got["Resends"])
		assert.Equal(t, "1", got["Splits"])
		assert.Equal(t, "2411724", got["Bytes sent"])
		assert.Equal(t, "83.457", got["Duration (s)"])
		assert.Equal(t, "14793.356", got["Rows per second"])
	})
}

func TestXLSXContinuesPastRowLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.xlsx")
	w, err := Create(path, []string{"N"})
	require.NoError(t, err)
	xw, ok := w.(*xlsxWriter)
	require.True(t, ok)
	xw.maxRows = 4 // header + 3 rows per sheet
	const total = 12
	var want, wantProblems [][]string
	for i := range total {
		st := StatusSent
		if i%2 == 0 {
			st = StatusFailed
		}
		r := RowResult{File: "in.csv", Row: i + 2, Status: st, Original: []string{strconv.Itoa(i)}}
		require.NoError(t, w.Write(r))
		want = append(want, expectedCells(r, 1))
		if st.Problem() {
			wantProblems = append(wantProblems, expectedCells(r, 1))
		}
	}
	require.NoError(t, w.Finish(Summary{Rows: total}))

	f := openXLSX(t, path)
	sheets := f.GetSheetList()
	assert.ElementsMatch(t, []string{"Report", "Report (2)", "Report (3)", "Report (4)",
		"Problems", "Problems (2)", "Summary"}, sheets)
	assert.Equal(t, []string{"Report", "Problems"}, sheets[:2])
	assert.Equal(t, "Summary", sheets[len(sheets)-1])
	collect := func(sheets ...string) [][]string {
		var all [][]string
		for _, s := range sheets {
			rows := readRows(t, f, s, len(Header([]string{"N"})))
			require.NotEmpty(t, rows, s)
			assert.Equal(t, Header([]string{"N"}), rows[0], "%s starts with the header", s)
			assert.LessOrEqual(t, len(rows), 4, s)
			panes, err := f.GetPanes(s)
			require.NoError(t, err)
			assert.True(t, panes.Freeze, s)
			all = append(all, rows[1:]...)
		}
		return all
	}
	assert.Equal(t, want, collect("Report", "Report (2)", "Report (3)", "Report (4)"), "every row, in order")
	assert.Equal(t, wantProblems, collect("Problems", "Problems (2)"))
	assert.Equal(t, 0, f.GetActiveSheetIndex())
	assert.True(t, strings.HasPrefix(f.GetSheetName(0), SheetReport))
}

func TestXLSXEmptyReport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.xlsx")
	w, err := Create(path, nil)
	require.NoError(t, err)
	require.NoError(t, w.Finish(Summary{DryRun: true}))
	f := openXLSX(t, path)
	rows := readRows(t, f, SheetReport, len(FixedColumns()))
	assert.Equal(t, [][]string{FixedColumns()}, rows)
	v, err := f.GetCellValue(SheetSummary, "B2")
	require.NoError(t, err)
	assert.Equal(t, "yes", v)
}

func TestXLSXWidthIsCapped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wide.xlsx")
	w, err := Create(path, []string{"Notes"})
	require.NoError(t, err)
	require.NoError(t, w.Write(RowResult{Row: 2, Status: StatusSent, Message: strings.Repeat("w", 500),
		Original: []string{"short"}}))
	require.NoError(t, w.Finish(Summary{}))
	f := openXLSX(t, path)
	got, err := f.GetColWidth(SheetReport, "D")
	require.NoError(t, err)
	assert.InDelta(t, float64(maxColumnWidth), got, 0.001)
	v, err := f.GetCellValue(SheetReport, "D2")
	require.NoError(t, err)
	assert.Len(t, v, 500, "the cell keeps its whole value")
}

func TestXLSXWidthsFromSampleThenStreams(t *testing.T) {
	// Past the sample the writer streams rows directly; rows on both sides of
	// the boundary must arrive in order with their fills.
	path := filepath.Join(t.TempDir(), "many.xlsx")
	w, err := Create(path, []string{"N"})
	require.NoError(t, err)
	const total = widthSampleRows + 50
	for i := range total {
		st := StatusSent
		if i == widthSampleRows-1 || i == widthSampleRows {
			st = StatusRejected
		}
		require.NoError(t, w.Write(RowResult{Row: i + 2, Status: st, Original: []string{strconv.Itoa(i)}}))
	}
	require.NoError(t, w.Finish(Summary{}))
	f := openXLSX(t, path)
	rows := readRows(t, f, SheetReport, len(FixedColumns())+1)
	require.Len(t, rows, total+1)
	for i, r := range rows[1:] {
		require.Equal(t, strconv.Itoa(i), r[len(r)-1])
	}
	problems := readRows(t, f, SheetProblems, len(FixedColumns())+1)
	require.Len(t, problems, 3)
	assert.Equal(t, strconv.Itoa(widthSampleRows-1), problems[1][len(FixedColumns())])
	assert.Equal(t, strconv.Itoa(widthSampleRows), problems[2][len(FixedColumns())])
	assert.Equal(t, fillProblem, fillOf(t, f, SheetReport, "A"+strconv.Itoa(widthSampleRows+2)))
}
