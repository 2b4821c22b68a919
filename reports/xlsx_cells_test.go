package reports

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

func TestXLSXFormulaLikeValuesAreStringCells(t *testing.T) {
	values := []string{"=1+1", "@SUM(A1)", "+1333", "-5", "\tx", "\rx", "'=1+1", "=HYPERLINK(\"http://x\",\"y\")"}
	path := filepath.Join(t.TempDir(), "r.xlsx")
	w, err := Create(path, []string{"Value"})
	require.NoError(t, err)
	for i, v := range values {
		require.NoError(t, w.Write(RowResult{File: v, Row: i + 2, Status: StatusSent, Phone: v, Original: []string{v}}))
	}
	require.NoError(t, w.Finish(Summary{StopDetail: "=1+1", Stopped: StopFatal}))
	f := openXLSX(t, path)
	for i, v := range values {
		t.Run(strings.ReplaceAll(v, "\t", `\t`), func(t *testing.T) {
			for _, col := range []string{"A", "G", "J"} { // file, phone, the input's Value
				cell := col + strconv.Itoa(i+2)
				got, err := f.GetCellValue(SheetReport, cell, excelize.Options{RawCellValue: true})
				require.NoError(t, err)
				assert.Equal(t, v, got, "%s holds the raw value, no quote added", cell)
				typ, err := f.GetCellType(SheetReport, cell)
				require.NoError(t, err)
				assert.Equal(t, excelize.CellTypeInlineString, typ, "%s is a string cell", cell)
				formula, err := f.GetCellFormula(SheetReport, cell)
				require.NoError(t, err)
				assert.Empty(t, formula, "%s is no formula", cell)
			}
		})
	}
	t.Run("summary sheet", func(t *testing.T) {
		rows, err := f.GetRows(SheetSummary, excelize.Options{RawCellValue: true})
		require.NoError(t, err)
		for i, r := range rows {
			if len(r) == 2 && r[0] == "Error" {
				cell := "B" + strconv.Itoa(i+1)
				typ, err := f.GetCellType(SheetSummary, cell)
				require.NoError(t, err)
				assert.Equal(t, excelize.CellTypeSharedString, typ)
				assert.Equal(t, "=1+1", r[1])
				return
			}
		}
		t.Fatal("no Error line")
	})
}

func TestXLSXLongCellsAreCutWithAWarning(t *testing.T) {
	long := strings.Repeat("n", maxCellChars+100)
	// An emoji is two UTF-16 units: one straddling the limit is dropped whole.
	emoji := strings.Repeat("e", maxCellChars-1) + "🙂" + "tail"
	tests := []struct {
		name      string
		row       RowResult
		wantCells map[string]string // column letter -> value
		wantMsg   string
		wantFill  string
	}{
		{
			name:      "input cell on a sent row",
			row:       RowResult{Status: StatusSent, Original: []string{long, "short"}},
			wantCells: map[string]string{"J": long[:maxCellChars], "K": "short"},
			wantMsg:   "column Notes was cut to 32,767 characters in the XLSX report",
			wantFill:  fillWarning,
		},
		{
			name:      "warning joins the message",
			row:       RowResult{Status: StatusInvalid, Message: "zip: too short", Original: []string{"", long}},
			wantCells: map[string]string{"K": long[:maxCellChars]},
			wantMsg:   "zip: too short; column input.Phone was cut to 32,767 characters in the XLSX report",
			wantFill:  fillProblem,
		},
		{
			name:      "two columns, fixed one too",
			row:       RowResult{Status: StatusSent, ExternalID: long, Original: []string{long}},
			wantCells: map[string]string{"F": long[:maxCellChars], "J": long[:maxCellChars]},
			wantMsg: "column external_id was cut to 32,767 characters in the XLSX report; " +
				"column Notes was cut to 32,767 characters in the XLSX report",
			wantFill: fillWarning,
		},
		{
			name:      "surrogate pair not split",
			row:       RowResult{Status: StatusSent, Original: []string{emoji}},
			wantCells: map[string]string{"J": strings.Repeat("e", maxCellChars-1)},
			wantMsg:   "column Notes was cut to 32,767 characters in the XLSX report",
			wantFill:  fillWarning,
		},
		{
			name:      "exactly at the limit is kept",
			row:       RowResult{Status: StatusSent, Original: []string{long[:maxCellChars]}},
			wantCells: map[string]string{"J": long[:maxCellChars]},
			wantMsg:   "",
			wantFill:  "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.xlsx")
			w, err := Create(path, []string{"Notes", "Phone"})
			require.NoError(t, err)
			tt.row.File, tt.row.Row = "in.csv", 2
			require.NoError(t, w.Write(tt.row))
			require.NoError(t, w.Finish(Summary{}))
			f := openXLSX(t, path)
			for col, want := range tt.wantCells {
				got, err := f.GetCellValue(SheetReport, col+"2", excelize.Options{RawCellValue: true})
				require.NoError(t, err)
				assert.Equal(t, want, got, "column %s", col)
			}
			msg, err := f.GetCellValue(SheetReport, "D2")
			require.NoError(t, err)
			assert.Equal(t, tt.wantMsg, msg)
			assert.Equal(t, tt.wantFill, fillOf(t, f, SheetReport, "A2"))
		})
	}
}

func TestXLSXLongMessageKeepsItsWarnings(t *testing.T) {
	longMsg := strings.Repeat("m", maxCellChars+10)
	path := filepath.Join(t.TempDir(), "r.xlsx")
	w, err := Create(path, []string{"Notes"})
	require.NoError(t, err)
	require.NoError(t, w.Write(RowResult{File: "f", Row: 2, Status: StatusRejected, Message: longMsg,
		Original: []string{strings.Repeat("n", maxCellChars+1)}}))
	require.NoError(t, w.Write(RowResult{File: "f", Row: 3, Status: StatusRejected, Message: longMsg}))
	require.NoError(t, w.Finish(Summary{}))
	f := openXLSX(t, path)
	tests := []struct {
		name, cell, wantEnd string
	}{
		{name: "with a cut column", cell: "D2", wantEnd: "m; column Notes was cut to 32,767 characters in the XLSX report; " +
			"column message was cut to 32,767 characters in the XLSX report"},
		{name: "message alone", cell: "D3", wantEnd: "m; column message was cut to 32,767 characters in the XLSX report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.GetCellValue(SheetReport, tt.cell)
			require.NoError(t, err)
			assert.Len(t, got, maxCellChars, "filled to the limit, not past it")
			assert.True(t, strings.HasSuffix(got, tt.wantEnd), "ends with the warnings: %q", got[len(got)-200:])
		})
	}
}

func TestCutUTF16(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{name: "ascii", in: "abcdef", n: 3, want: "abc"},
		{name: "shorter", in: "ab", n: 3, want: "ab"},
		{name: "accents are one unit", in: "ééé", n: 2, want: "éé"},
		{name: "emoji is two units", in: "a🙂b", n: 2, want: "a"},
		{name: "emoji fits", in: "a🙂b", n: 3, want: "a🙂"},
		{name: "zero", in: "abc", n: 0, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, cutUTF16(tt.in, tt.n))
			assert.LessOrEqual(t, utf16Len(cutUTF16(tt.in, tt.n)), tt.n)
		})
	}
}
