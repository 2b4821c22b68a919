package xlsx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/source/xlsx/xlsxtest"
)

func row(num int, cells ...string) Row { return Row{Num: num, Cells: cells} }

func problemRow(num int, problem string, cells ...string) Row {
	return Row{Num: num, Cells: cells, Problem: problem}
}

// writeBook writes a hand-written workbook into a temp dir.
func writeBook(t testing.TB, b xlsxtest.Book) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "book.xlsx")
	require.NoError(t, xlsxtest.Write(path, b))
	return path
}

// readSheet reads every row of a sheet ("" = the default sheet). Row.Err is left out:
// Problem says the same in words.
func readSheet(t testing.TB, path, sheet string, o Options) ([]Row, error) {
	t.Helper()
	ctx := context.Background()
	wb, err := Open(ctx, path, o)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	if sheet == "" {
		if sheet, err = wb.DefaultSheet(); err != nil {
			return nil, err
		}
	}
	sr, err := wb.OpenSheet(ctx, sheet)
	if err != nil {
		return nil, err
	}
	defer sr.Close()
	var rows []Row
	for {
		r, err := sr.Next(ctx)
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		r.Err = nil
		rows = append(rows, r)
	}
}

func TestReadSheet(t *testing.T) {
	tests := []struct {
		name    string
		path    string         // a fixture under testdata/, or
		book    *xlsxtest.Book // a hand-written workbook
		sheet   string
		opts    Options
		want    []Row
		err     error
		errText string
	}{
		{
			name: "every kind of value an excelize workbook holds",
			path: "testdata/leads.xlsx",
			want: []Row{
				row(1, "Name", "Zip", "Phone", "Big", "Ratio", "Active", "Lead Date", "SSN", "Amount", "Day"),
				row(2, "José", "02134", "5551234567", "12345678901234", "0.1", "TRUE", "2021-06-23T22:55:23", "012-34-5678", "1234.5", "2021-06-23T00:00:00"),
				row(4, "Short", "", "", "", "", "FALSE"),
				row(5, "Wide", "", "", "", "", "", "", "", "", "", "", "stray"),
				row(6, "Rounding", "", "", "", "", "", "2021-06-23T22:55:24", "", "", "2021-06-23T22:55:23"),
				row(7, "Müller", "90210", "", "1234567890123456", "0.0000001", "", "", `<b>&"'`),
			},
		},
		{
			name:  "sheet by name, case-insensitively",
			path:  "testdata/leads.xlsx",
			sheet: "other",
			want:  []Row{row(1, "Other header"), row(2, "other value")},
		},
		{
			name: "1904 date system",
			path: "testdata/date1904.xlsx",
			want: []Row{row(1, "Name", "When"), row(2, "Ada", "2021-06-23T22:55:23")},
		},
		{
			name: "a hidden first sheet is not the default; merged cells fill down, not across",
			path: "testdata/merged.xlsx",
			want: []Row{
				row(1, "Account", "First", "Last", "Note"),
				row(2, "18", "Ada", "Lovelace", "merged across"),
				row(3, "18", "Bob", "Smith", "merged across"),
				row(4, "18", "Cy", "Young"),
				row(5, "19", "Di", "Prince", "across only"),
			},
		},
		{
			name:  "a hidden sheet can still be named",
			path:  "testdata/merged.xlsx",
			sheet: "Config",
			want:  []Row{row(1, "secret setting")},
		},
		{
			name: "self-closing and empty shared strings keep the numbering",
			book: &xlsxtest.Book{
				Sheets:    []xlsxtest.Sheet{{Name: "S", Data: `<row r="1"><c r="A1" t="s"><v>2</v></c><c r="B1" t="s"><v>4</v></c><c r="C1" t="s"><v>5</v></c><c r="D1" t="s"><v>1</v></c><c r="E1" t="s"><v>3</v></c><c r="F1" t="s"><v>6</v></c></row>`}},
				RawShared: `<si><t>Account</t></si><si/><si><t>EXT-A</t></si><si><t/></si><si><t>Bob</t></si><si><t>Smith</t></si><si></si>`,
			},
			want: []Row{row(1, "EXT-A", "Bob", "Smith")},
		},
		{
			name: "inline strings, prefixes, CDATA, entities, escapes, cells without references",
			book: &xlsxtest.Book{
				Sheets: []xlsxtest.Sheet{{Name: "S", Prefix: "x:", Data: `<x:row><x:c t="inlineStr"><x:is><x:t>H1</x:t></x:is></x:c><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c></x:row>` +
					`<!-- a comment with a quote ' and > inside --><?pi x?><x:row><x:c t="inlineStr"><x:is><x:t><![CDATA[<cdata> & more]]></x:t></x:is></x:c><x:c t="str"><x:f>A1&amp;"x"</x:f><x:v>H1x</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c><x:c t='inlineStr'><x:is><x:t>&#233;&#x20AC;&lt;</x:t></x:is></x:c></x:row>`}},
				Shared: []string{`<t xml:space="preserve"> padded </t>`, `<r><t>ab</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh><r><t>c</t></r>`, `<t>line_x000D__x000A_two</t>`},
			},
			want: []Row{row(1, "H1", " padded ", "abc", "line\r\ntwo"), row(2, "<cdata> & more", "H1x", "#N/A", "é€<")},
		},
		{
			name: "text as excelize reads it: line ends, rich text, escapes over runs, nested text",
			book: &xlsxtest.Book{
				Sheets: []xlsxtest.Sheet{{Name: "S", Data: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v> 2 </v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c></row>`}},
				Shared: []string{"<t>a\r\nb\rc&#13;&#10;d</t>", `<r><rPr><b/></rPr><t>_x00</t></r><r><t>41_</t></r><r><t>_x005F_x0041_</t></r>`, `<t>first</t><t>last</t><r><t>x</t><t>y</t></r>`, `<t>kept<b>nested</b> too</t>`},
			},
			want: []Row{row(1, "a\nb\nc\r\nd", "A_x0041_", "lasty", "kept too", "inline")},
		},
		{
			name: "numbers: exponents, negatives, builtin and custom formats, ISO dates, 1904, times",
			book: &xlsxtest.Book{
				Date1904: true,
				NumFmts:  `<numFmt numFmtId="164" formatCode="[$-409]mmmm d, yyyy;@"/><numFmt numFmtId="165" formatCode="00000-0000"/><numFmt numFmtId="166" formatCode="&quot;ID&quot;\ 000000"/><numFmt numFmtId="167" formatCode="[&lt;=9999999]###-####;(###) ###-####"/><numFmt numFmtId="168" formatCode="0.00%"/><numFmt numFmtId="169" formatCode="h:mm:ss"/>`,
				Xfs:      []int{0, 164, 165, 166, 167, 168, 22, 49, 46, 169},
				Sheets:   []xlsxtest.Sheet{{Name: "S", Data: `<row r="1"><c r="A1"><v>1.5E+20</v></c><c r="B1"><v>-42</v></c><c r="C1" s="1"><v>0</v></c><c r="D1" s="2"><v>21341234</v></c><c r="E1" s="3"><v>42</v></c><c r="F1" s="4"><v>5551234567</v></c><c r="G1" s="5"><v>0.25</v></c><c r="H1" s="6"><v>43638.5</v></c><c r="I1" s="7"><v>7</v></c><c r="J1" s="8"><v>1.5</v></c><c r="K1" t="d"><v>2021-06-23T22:55:23.6Z</v></c><c r="L1" s="2"><v>-5</v></c><c r="M1" s="9"><v>0.6354166666666666</v></c><c r="N1" t="d"><v>15:04:05</v></c><c r="O1" t="b"><v>0</v></c></row>`}},
			},
			want: []Row{row(1, "150000000000000000000", "-42", "1904-01-01T00:00:00", "02134-1234", "ID 000042", "5551234567", "0.25", "2023-06-23T12:00:00", "7", "1904-01-02T12:00:00", "2021-06-23T22:55:24", "-5", "1899-12-30T15:15:00", "1899-12-30T15:04:05", "FALSE")},
		},
		{
			name: "rows and cells without references follow the previous ones; empty rows are skipped",
			book: &xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Data: `<row r="3"><c r="B3"><v>1</v></c><c><v>2</v></c></row><row><c r="A4" s="0"/></row><row/><row><c t="inlineStr"><is><t>x</t></is></c></row>`}}},
			want: []Row{row(3, "", "1", "2"), row(6, "x")},
		},
		{
			name: "a bad shared string number or cell reference is the row's problem",
			book: &xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Data: `<row r="1"><c r="A1" t="s"><v>7</v></c><c r="B1"><v>1</v></c></row><row r="2"><c r="1A"><v>1</v></c><c r="B2"><v>2</v></c></row>`}}, Shared: []string{"<t>only</t>"}},
			want: []Row{
				problemRow(1, "cell A1: shared string 7 does not exist (the workbook has 1)", "", "1"),
				problemRow(2, `a cell in column A has the reference "1A", which is not a cell`, "", "2"),
			},
		},
		{
			name: "vertical merges: block ranges fill their first column; rows empty but for the merge stay out; a merge in CDATA is not one",
			book: &xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S",
				Data: `<row r="1"><c r="A1" t="inlineStr"><is><t>acct</t></is></c><c r="B1"><v>1</v></c><c r="C1" t="inlineStr"><is><t><![CDATA[</sheetData><mergeCells><mergeCell ref="B1:B9"/>]]></t></is></c></row>` +
					`<row r="2"><c r="B2"><v>2</v></c></row><row r="3"><c r="A3" s="1"/></row><row r="4"><c r="B4"><v>4</v></c></row><row r="6"><c r="B6"><v>6</v></c></row>`,
				After: `<mergeCells count="2"><mergeCell ref="A1:B4"/><mergeCell ref="C6:D6"/></mergeCells>`}}},
			want: []Row{
				row(1, "acct", "1", `</sheetData><mergeCells><mergeCell ref="B1:B9"/>`),
				row(2, "acct", "2"), row(4, "acct", "4"), row(6, "", "6"),
			},
		},
		{
			name: "an empty sheet has no rows",
			book: &xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Data: ``}}},
		},
		{
			name:    "unknown sheet lists the sheets, hidden and chart ones marked",
			book:    &xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "Hidden", State: "hidden"}, {Name: "Leads"}, {Name: "Chart", Chart: true}}},
			sheet:   "Missing",
			errText: `no sheet named "Missing" (sheets: "Hidden" (hidden), "Leads", "Chart" (chart))`,
		},
		{
			name:    "a chart sheet is not read",
			book:    &xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "Leads"}, {Name: "Chart", Chart: true}}},
			sheet:   "chart",
			err:     ErrNotXLSX,
			errText: "not a worksheet",
		},
		{
			name: "no visible worksheet",
			book: &xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "H", State: "veryHidden"}, {Name: "Chart", Chart: true}}},
			err:  ErrNoWorksheet,
		},
		{
			name: "truncated sheet XML",
			book: &xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Data: `<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>1`}}},
			err:  ErrNotXLSX,
		},
		{
			name:    "a DOCTYPE is refused",
			book:    &xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S"}}, Workbook: `<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]><workbook/>`},
			err:     ErrNotXLSX,
			errText: "DOCTYPE",
		},
		{
			name: "not a zip",
			path: "reader_test.go",
			err:  ErrNotXLSX,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if tc.book != nil {
				path = writeBook(t, *tc.book)
			}
			rows, err := readSheet(t, path, tc.sheet, tc.opts)
			if tc.err != nil || tc.errText != "" {
				require.Error(t, err)
				if tc.err != nil {
					assert.ErrorIs(t, err, tc.err)
				}
				assert.Contains(t, err.Error(), tc.errText)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, rows)
		})
	}
}

func TestSheets(t *testing.T) {
	path := writeBook(t, xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "Cfg", State: "hidden"}, {Name: "Chart", Chart: true}, {Name: "R&D"}, {Name: "Old", State: "veryHidden"}}})
	wb, err := Open(context.Background(), path, Options{})
	require.NoError(t, err)
	defer wb.Close()
	assert.Equal(t, []Sheet{
		{Name: "Cfg", Visible: false, Worksheet: true},
		{Name: "Chart", Visible: true, Worksheet: false},
		{Name: "R&D", Visible: true, Worksheet: true},
		{Name: "Old", Visible: false, Worksheet: true},
	}, wb.Sheets())
	name, err := wb.DefaultSheet()
	require.NoError(t, err)
	assert.Equal(t, "R&D", name)
}

func TestRowErrIsTyped(t *testing.T) {
	path := writeBook(t, xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Data: `<row r="7"><c r="A7"><v>1</v></c><c r="C7" t="inlineStr"><is><t>` + strings.Repeat("x", 2000) + `</t></is></c></row>`}}})
	ctx := context.Background()
	wb, err := Open(ctx, path, Options{MaxCellBytes: 1000})
	require.NoError(t, err)
	defer wb.Close()
	sr, err := wb.OpenSheet(ctx, "S")
	require.NoError(t, err)
	defer sr.Close()
	r, err := sr.Next(ctx)
	require.NoError(t, err)
	assert.Equal(t, "cell C7 is 2.0 KiB, over the 1000 bytes limit", r.Problem)
	assert.Equal(t, []string{"1"}, r.Cells)
	require.ErrorIs(t, r.Err, ErrCellTooLarge)
	var e *Error
	require.ErrorAs(t, r.Err, &e)
	assert.Equal(t, Error{Sheet: "S", Row: 7, Cell: "C7", Err: e.Err}, *e)
}

func TestProgressFromDimension(t *testing.T) {
	path := writeBook(t, xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Dimension: "A1:B4",
		Data: `<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row><row r="4"><c r="A4"><v>1</v></c></row><row r="5"><c r="A5"><v>1</v></c></row>`}}})
	ctx := context.Background()
	wb, err := Open(ctx, path, Options{})
	require.NoError(t, err)
	defer wb.Close()
	sr, err := wb.OpenSheet(ctx, "S")
	require.NoError(t, err)
	defer sr.Close()
	var got [][2]int64
	for {
		done, total := sr.Progress()
		got = append(got, [2]int64{done, total})
		if _, err := sr.Next(ctx); err != nil {
			require.ErrorIs(t, err, io.EOF)
			break
		}
	}
	assert.Equal(t, [][2]int64{{0, 4}, {1, 4}, {4, 4}, {5, 0}}, got, "past a stale dimension the total is unknown")
}

func TestCloseAndCancelMidSheet(t *testing.T) {
	var data strings.Builder
	for i := 1; i <= 20000; i++ {
		fmt.Fprintf(&data, `<row r="%d"><c r="A%d"><v>%d</v></c></row>`, i, i, i)
	}
	path := writeBook(t, xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Data: data.String()}}})
	tests := []struct {
		name string
		stop func(cancel context.CancelFunc, sr *SheetReader) error
		want error
	}{
		{name: "closed after a few rows", stop: func(_ context.CancelFunc, sr *SheetReader) error { return sr.Close() }},
		{name: "cancelled after a few rows", stop: func(cancel context.CancelFunc, _ *SheetReader) error { cancel(); return nil }, want: context.Canceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			wb, err := Open(ctx, path, Options{})
			require.NoError(t, err)
			defer wb.Close()
			sr, err := wb.OpenSheet(ctx, "S")
			require.NoError(t, err)
			for i := 1; i <= 3; i++ {
				r, err := sr.Next(ctx)
				require.NoError(t, err)
				assert.Equal(t, row(i, fmt.Sprint(i)), r)
			}
			require.NoError(t, tc.stop(cancel, sr))
			if tc.want != nil {
				_, err := sr.Next(ctx)
				assert.ErrorIs(t, err, tc.want)
				require.NoError(t, sr.Close())
			}
		})
	}
}
