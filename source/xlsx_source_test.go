package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/xonvo/xonvo-import/source/xlsx"
	"github.com/xonvo/xonvo-import/source/xlsx/xlsxtest"
)

func writeBook(t testing.TB, b xlsxtest.Book) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "book.xlsx")
	require.NoError(t, xlsxtest.Write(path, b))
	return path
}

func inline(ref, text string) string {
	return fmt.Sprintf(`<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, text)
}

// TestXLSXSource covers what the adapter adds to package xlsx (which has its own tests
// for reading cells): the sheet choice, the header, padding and the header's width.
func TestXLSXSource(t *testing.T) {
	leads := xlsxtest.Sheet{Name: "Leads", Data: `<row r="2">` + inline("B2", "Name") + inline("C2", "Zip") + `</row>` +
		`<row r="3">` + inline("B3", "Ada") + `</row>` +
		`<row r="4">` + inline("A4", " ") + `</row>` +
		`<row r="5">` + inline("B5", "Bob") + `<c r="C5"><v>2134</v></c>` + inline("E5", "stray") + `</row>` +
		`<row r="6">` + inline("B6", "Cy") + inline("C6", strings.Repeat("z", 100)) + `</row>`}
	tests := []struct {
		name     string
		book     xlsxtest.Book
		opts     Options
		sheet    string
		header   []string
		records  []Record
		warnings []string
		err      error
		errText  string
	}{
		{
			name:   "header is the first row with a value; rows padded; a value past the header is a problem",
			book:   xlsxtest.Book{Sheets: []xlsxtest.Sheet{leads}},
			opts:   Options{MaxFieldBytes: 50},
			sheet:  "Leads",
			header: []string{"", "Name", "Zip"},
			records: []Record{
				{Row: 3, Cells: []string{"", "Ada", ""}},
				{Row: 5, Cells: []string{"", "Bob", "2134", "", "stray"}, Problem: "row has a value in column E, beyond the header's last column C"},
				{Row: 6, Cells: []string{"", "Cy", ""}, Problem: "cell C6 is 100 bytes, over the 50 bytes limit"},
			},
		},
		{
			name:     "the first visible worksheet by default, with a warning naming the hidden one",
			book:     xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "Settings", State: "hidden", Data: `<row r="1">` + inline("A1", "secret") + `</row>`}, leads}},
			opts:     Options{MaxFieldBytes: 200},
			sheet:    "Leads",
			header:   []string{"", "Name", "Zip"},
			warnings: []string{`reading sheet "Leads", the first visible worksheet ("Settings" is hidden or a chart)`},
			records: []Record{
				{Row: 3, Cells: []string{"", "Ada", ""}},
				{Row: 5, Cells: []string{"", "Bob", "2134", "", "stray"}, Problem: "row has a value in column E, beyond the header's last column C"},
				{Row: 6, Cells: []string{"", "Cy", strings.Repeat("z", 100)}},
			},
		},
		{
			name:    "a hidden sheet by name, case-insensitively",
			book:    xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "Settings", State: "hidden", Data: `<row r="1">` + inline("A1", "secret") + `</row>`}, leads}},
			opts:    Options{Sheet: "settings"},
			sheet:   "Settings",
			header:  []string{"secret"},
			records: nil,
		},
		{
			name:    "unknown sheet lists the sheets",
			book:    xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "Settings", State: "hidden"}, leads}},
			opts:    Options{Sheet: "Missing"},
			errText: `no sheet named "Missing" (sheets: "Settings", "Leads")`,
		},
		{
			name: "empty sheet has no header",
			book: xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Data: `<row r="1">` + inline("A1", " ") + `</row>`}}},
			err:  ErrNoHeader,
		},
		{
			name:    "malformed sheet is ErrNotXLSX of both packages, located",
			book:    xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Data: `<row r="1">` + inline("A1", "h") + `</row><row r="2"><c r="A2"><v>1`}}},
			err:     xlsx.ErrNotXLSX,
			errText: `book.xlsx: row 2: sheet "S": not a readable XLSX workbook: part xl/worksheets/sheet1.xml: unexpected end of part`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeBook(t, tc.book)
			src, recs, err := readAll(t, path, tc.opts)
			if tc.err != nil || tc.errText != "" {
				require.Error(t, err)
				var re *ReadError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, path, re.File)
				if tc.err != nil {
					assert.ErrorIs(t, err, tc.err)
				}
				if errors.Is(err, xlsx.ErrNotXLSX) {
					assert.ErrorIs(t, err, ErrNotXLSX)
				}
				assert.Contains(t, err.Error(), tc.errText)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.header, src.Header())
			assert.Equal(t, tc.records, recs)
			assert.Equal(t, tc.warnings, src.Warnings())
			assert.Equal(t, tc.sheet, src.(interface{ Sheet() string }).Sheet())
		})
	}
}

func TestXLSXUnknownSheetError(t *testing.T) {
	path := writeBook(t, xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "Leads"}, {Name: "Other"}}})
	_, err := Open(context.Background(), path, Options{Sheet: "Nope"})
	var snf *SheetNotFoundError
	require.ErrorAs(t, err, &snf)
	assert.Equal(t, []string{"Leads", "Other"}, snf.Sheets)
}

func TestXLSXZipBomb(t *testing.T) {
	body := `<row r="1">` + inline("A1", "h") + `</row>` + strings.Repeat(" ", 3<<20)
	path := writeBook(t, xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Data: body}}})
	_, _, err := readAll(t, path, Options{MaxUnzipBytes: 1 << 20})
	require.ErrorIs(t, err, ErrZipTooLarge)
	require.ErrorIs(t, err, xlsx.ErrZipTooLarge)
	var re *ReadError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, path, re.File)
}

func TestXLSXProgress(t *testing.T) {
	path := writeBook(t, xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Dimension: "A1:B4",
		Data: `<row r="1">` + inline("A1", "h") + `</row><row r="4"><c r="A4"><v>1</v></c></row>`}}})
	src, err := Open(context.Background(), path, Options{})
	require.NoError(t, err)
	defer src.Close()
	done, total := src.Progress()
	assert.Equal(t, int64(4), total)
	assert.LessOrEqual(t, done, total, "the header search may have read ahead")
	_, err = src.Next(context.Background())
	require.NoError(t, err)
	done, total = src.Progress()
	assert.Equal(t, [2]int64{4, 4}, [2]int64{done, total})
	_, err = src.Next(context.Background())
	assert.ErrorIs(t, err, io.EOF)
}

// writeBenchXLSX writes a 12-column sheet of lead-like rows with excelize's stream writer:
// shared and inline strings, integers, sparse and empty rows.
func writeBenchXLSX(t testing.TB, path string, rows int) {
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
			row[11] = " note with spaces "
			row[3] = nil // sparse
		}
		require.NoError(t, sw.SetRow(fmt.Sprintf("A%d", i), row))
	}
	require.NoError(t, sw.Flush())
	require.NoError(t, f.SaveAs(path))
}
