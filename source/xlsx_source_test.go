package source

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

func TestXLSXSource(t *testing.T) {
	leadsHeader := []string{"Name", "Zip", "Phone", "Big", "Ratio", "Active", "Lead Date", "SSN", "Amount", "Day"}
	tests := []struct {
		name    string
		path    string // a fixture under testdata/, or
		parts   *xlsxParts
		opts    Options
		header  []string
		records []Record
		err     error
		errText string
	}{
		{
			name:   "every kind of value, first sheet by default",
			path:   "testdata/leads.xlsx",
			header: leadsHeader,
			records: []Record{
				rec(2, "José", "02134", "5551234567", "12345678901234", "0.1", "TRUE", "06-23-2021 22:55:23", "012-34-5678", "1234.5", "06-23-2021 00:00:00"),
				rec(4, "Short", "", "", "", "", "FALSE", "", "", "", ""),
				problem(5, "row has a value in column L, beyond the header's last column J",
					"Wide", "", "", "", "", "", "", "", "", "", "", "stray"),
				rec(6, "Rounding", "", "", "", "", "", "06-23-2021 22:55:24", "", "", "06-23-2021 22:55:23"),
				rec(7, "Müller", "90210", "", "1234567890123456", "0.0000001", "", "", `<b>&"'`, "", ""),
			},
		},
		{
			name:    "sheet by name",
			path:    "testdata/leads.xlsx",
			opts:    Options{Sheet: "Other"},
			header:  []string{"Other header"},
			records: []Record{rec(2, "other value")},
		},
		{
			name:    "sheet name matched case-insensitively",
			path:    "testdata/leads.xlsx",
			opts:    Options{Sheet: "other"},
			header:  []string{"Other header"},
			records: []Record{rec(2, "other value")},
		},
		{
			name:    "unknown sheet lists the sheets",
			path:    "testdata/leads.xlsx",
			opts:    Options{Sheet: "Missing"},
			errText: `no sheet named "Missing" (sheets: "Leads", "Other")`,
		},
		{
			name:    "1904 date system",
			path:    "testdata/date1904.xlsx",
			header:  []string{"Name", "When"},
			records: []Record{rec(2, "Ada", "06-23-2021 22:55:23")},
		},
		{
			name: "inline strings, prefixes, CDATA, entities, escapes, cells without references",
			parts: &xlsxParts{
				prefix: "x:",
				shared: []string{`<t xml:space="preserve"> padded </t>`, `<r><t>ab</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh><r><t>c</t></r>`, `<t>line_x000D__x000A_two</t>`},
				sheet: `<x:row><x:c t="inlineStr"><x:is><x:t>H1</x:t></x:is></x:c><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c></x:row>` +
					`<!-- a comment with a quote ' and > inside --><?pi x?><x:row><x:c t="inlineStr"><x:is><x:t><![CDATA[<cdata> & more]]></x:t></x:is></x:c><x:c t="str"><x:f>A1&amp;"x"</x:f><x:v>H1x</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c><x:c t='inlineStr'><x:is><x:t>&#233;&#x20AC;&lt;</x:t></x:is></x:c></x:row>`,
			},
			header:  []string{"H1", " padded ", "abc", "line\r\ntwo"},
			records: []Record{rec(2, "<cdata> & more", "H1x", "#N/A", "é€<")},
		},
		{
			name: "numbers: exponents, negatives, builtin and custom formats, ISO dates, 1904 flag",
			parts: &xlsxParts{
				date1904: true,
				numFmts:  `<numFmt numFmtId="164" formatCode="[$-409]mmmm d, yyyy;@"/><numFmt numFmtId="165" formatCode="00000-0000"/><numFmt numFmtId="166" formatCode="&quot;ID&quot;\ 000000"/><numFmt numFmtId="167" formatCode="[&lt;=9999999]###-####;(###) ###-####"/><numFmt numFmtId="168" formatCode="0.00%"/>`,
				xfs:      []int{0, 164, 165, 166, 167, 168, 22, 49, 46},
				sheet: `<row r="1"><c r="A1" t="inlineStr"><is><t>n</t></is></c></row>` +
					`<row r="3"><c r="A3"><v>1.5E+20</v></c><c r="B3"><v>-42</v></c><c r="C3" s="1"><v>0</v></c><c r="D3" s="2"><v>21341234</v></c><c r="E3" s="3"><v>42</v></c><c r="F3" s="4"><v>5551234567</v></c><c r="G3" s="5"><v>0.25</v></c><c r="H3" s="6"><v>43638.5</v></c><c r="I3" s="7"><v>7</v></c><c r="J3" s="8"><v>1.5</v></c><c r="K3" t="d"><v>2021-06-23T22:55:23.6Z</v></c><c r="L3" s="2"><v>-5</v></c></row>`,
			},
			header:  []string{"n"},
			records: []Record{problem(3, "row has a value in column L, beyond the header's last column A", "150000000000000000000", "-42", "01-01-1904 00:00:00", "02134-1234", "ID 000042", "5551234567", "0.25", "06-23-2023 12:00:00", "7", "01-02-1904 12:00:00", "06-23-2021 22:55:24", "-5")},
		},
		{
			name:    "empty sheet has no header",
			parts:   &xlsxParts{sheet: `<row r="1"/><row r="2"><c r="A2" s="0"/></row>`},
			err:     ErrNoHeader,
			errText: "no header",
		},
		{
			name:    "header not on row 1: rows keep the sheet's numbers",
			parts:   &xlsxParts{sheet: `<row r="3"><c r="B3" t="inlineStr"><is><t>h</t></is></c></row><row r="9"><c r="B9"><v>1</v></c></row>`},
			header:  []string{"", "h"},
			records: []Record{rec(9, "", "1")},
		},
		{
			name:  "bad shared string index",
			parts: &xlsxParts{sheet: `<row r="1"><c r="A1" t="s"><v>7</v></c></row>`},
			err:   ErrNotXLSX,
		},
		{
			name:  "truncated sheet XML",
			parts: &xlsxParts{sheet: `<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row><row r="2"><c r="A2"><v>1`},
			err:   ErrNotXLSX,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if tc.parts != nil {
				path = writeXLSX(t, t.TempDir(), *tc.parts)
			}
			src, recs, err := readAll(t, path, tc.opts)
			if tc.err != nil || tc.errText != "" {
				require.Error(t, err)
				if tc.err != nil {
					assert.ErrorIs(t, err, tc.err)
				}
				if tc.errText != "" {
					assert.Contains(t, err.Error(), tc.errText)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.header, src.Header())
			assert.Equal(t, tc.records, recs)
			assert.Empty(t, src.Warnings())
		})
	}
}

func TestXLSXUnknownSheetError(t *testing.T) {
	_, err := Open(context.Background(), "testdata/leads.xlsx", Options{Sheet: "Nope"})
	var snf *SheetNotFoundError
	require.ErrorAs(t, err, &snf)
	assert.Equal(t, []string{"Leads", "Other"}, snf.Sheets)
}

func TestXLSXZipBomb(t *testing.T) {
	big := `<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row>` + strings.Repeat(" ", 3<<20)
	tests := []struct {
		name  string
		path  func(t *testing.T) string
		limit int64
	}{
		{
			name:  "declared size over the limit",
			path:  func(t *testing.T) string { return writeXLSX(t, t.TempDir(), xlsxParts{sheet: big}) },
			limit: 1 << 20,
		},
		{
			name:  "header lies: declares little, inflates to more",
			path:  func(t *testing.T) string { return writeLyingZip(t, big) },
			limit: 1 << 20,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path(t)
			info, err := os.Stat(path)
			require.NoError(t, err)
			assert.Less(t, info.Size(), int64(64<<10), "the bomb itself is small")
			_, _, err = readAll(t, path, Options{MaxUnzipBytes: tc.limit})
			require.ErrorIs(t, err, ErrZipTooLarge)
			var re *ReadError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, path, re.File)
		})
	}
}

// writeLyingZip writes a workbook whose sheet part declares 100 bytes but inflates to its
// real size.
func writeLyingZip(t *testing.T, sheetData string) string {
	dir := t.TempDir()
	honest := writeXLSX(t, dir, xlsxParts{sheet: `<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row>`})
	zr, err := zip.OpenReader(honest)
	require.NoError(t, err)
	defer zr.Close()
	path := filepath.Join(dir, "lying.xlsx")
	out, err := os.Create(path)
	require.NoError(t, err)
	zw := zip.NewWriter(out)
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			require.NoError(t, zw.Copy(f))
			continue
		}
		body := []byte(`<worksheet><sheetData>` + sheetData + `</sheetData></worksheet>`)
		var deflated bytes.Buffer
		fw, err := flate.NewWriter(&deflated, flate.BestCompression)
		require.NoError(t, err)
		_, err = fw.Write(body)
		require.NoError(t, err)
		require.NoError(t, fw.Close())
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(body),
			CompressedSize64: uint64(deflated.Len()), UncompressedSize64: 100})
		require.NoError(t, err)
		_, err = w.Write(deflated.Bytes())
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, out.Close())
	return path
}

func TestSerialTime(t *testing.T) {
	tests := []struct {
		name     string
		serial   float64
		date1904 bool
		want     string
	}{
		{name: "1900 date", serial: 44370, want: "06-23-2021 00:00:00"},
		{name: "1900 date and time", serial: 44370.9551273148, want: "06-23-2021 22:55:23"},
		{name: "half a second rounds up", serial: 44370 + 82523.5/86400, want: "06-23-2021 22:55:24"},
		{name: "just under half a second rounds down", serial: 44370 + 82523.499/86400, want: "06-23-2021 22:55:23"},
		{name: "rounding carries into the next day", serial: 44370 + 86399.6/86400, want: "06-24-2021 00:00:00"},
		{name: "before the phantom leap day", serial: 59, want: "02-28-1900 00:00:00"},
		{name: "after the phantom leap day", serial: 61, want: "03-01-1900 00:00:00"},
		{name: "serial 1", serial: 1, want: "01-01-1900 00:00:00"},
		{name: "1904 system", serial: 44370 - 1462, date1904: true, want: "06-23-2021 00:00:00"},
		{name: "1904 zero", serial: 0, date1904: true, want: "01-01-1904 00:00:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := serialTime(tc.serial, tc.date1904)
			require.True(t, ok)
			assert.Equal(t, tc.want, got.Format(DateTimeLayout))
		})
	}
	_, ok := serialTime(-1, false)
	assert.False(t, ok, "negative serials are not dates")
}

func TestNumberFormats(t *testing.T) {
	tests := []struct {
		code  string
		value string
		want  string
	}{
		{code: "00000", value: "2134", want: "02134"},
		{code: "00000", value: "123456", want: "123456"},
		{code: "00000-0000", value: "21341234", want: "02134-1234"},
		{code: "000-00-0000", value: "12345678", want: "012-34-5678"},
		{code: `"ID"\ 000000`, value: "42", want: "ID 000042"},
		{code: "[Red]00000", value: "7", want: "00007"},
		{code: "00000", value: "2134.5", want: "2134.5"},
		{code: "00000", value: "-7", want: "-7"},
		{code: "#,##0", value: "1234567", want: "1234567"},
		{code: "0.00", value: "3.5", want: "3.5"},
		{code: "0.00E+00", value: "12345678901234", want: "12345678901234"},
		{code: "General", value: "1.2345678901234E+13", want: "12345678901234"},
		{code: "@", value: "7", want: "7"},
		{code: "#", value: "0", want: "0"},
		{code: "yyyy-mm-dd", value: "44370", want: "06-23-2021 00:00:00"},
		{code: "[h]:mm:ss", value: "1.5", want: "01-01-1900 12:00:00"},
		{code: `h "h" mm`, value: "0.5", want: "12-31-1899 12:00:00"},
		{code: `_("$"* #,##0.00_)`, value: "3", want: "3"},
		{code: `"days"0`, value: "3", want: "days3"},
	}
	for _, tc := range tests {
		t.Run(tc.code+"/"+tc.value, func(t *testing.T) {
			cf := classifyNumFmt(200, map[int]string{200: tc.code})
			assert.Equal(t, tc.want, formatNumber([]byte(tc.value), cf, false))
		})
	}
}

// TestXLSXMatchesExcelize reads a generated workbook with both readers: every text and plain
// number cell must come out as excelize reads it.
func TestXLSXMatchesExcelize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "oracle.xlsx")
	writeBenchXLSX(t, path, 3000)
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	want, err := f.GetRows("Sheet1", excelize.Options{RawCellValue: true})
	require.NoError(t, err)

	src, recs, err := readAll(t, path, Options{})
	require.NoError(t, err)
	header := want[0]
	assert.Equal(t, header, src.Header())
	var wantRecs []Record
	for i, row := range want[1:] {
		if lastNonEmpty(row) == 0 {
			continue
		}
		cells := make([]string, len(header))
		copy(cells, row)
		wantRecs = append(wantRecs, Record{Row: i + 2, Cells: cells})
	}
	require.Equal(t, len(wantRecs), len(recs))
	assert.Equal(t, wantRecs, recs)
	done, total := src.Progress()
	assert.Equal(t, int64(len(want)), done)
	assert.Zero(t, total, "excelize leaves a stale A1 dimension: total unknown")
}

func TestXLSXProgressFromDimension(t *testing.T) {
	path := writeXLSX(t, t.TempDir(), xlsxParts{dimension: "A1:B4",
		sheet: `<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row><row r="4"><c r="A4"><v>1</v></c></row>`})
	src, err := Open(context.Background(), path, Options{})
	require.NoError(t, err)
	defer src.Close()
	done, total := src.Progress()
	assert.Equal(t, [2]int64{1, 4}, [2]int64{done, total})
	_, err = src.Next(context.Background())
	require.NoError(t, err)
	done, total = src.Progress()
	assert.Equal(t, [2]int64{4, 4}, [2]int64{done, total})
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
