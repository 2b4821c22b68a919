package xlsx

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/source/xlsx/xlsxtest"
)

// Policies for the tests: every sheet cached whatever its size and ratio, or none.
var (
	cacheAll  = cachePolicy{above: -1, ratio: 1 << 40}
	cacheNone = cachePolicy{above: 1 << 40, ratio: cacheRatio}
)

// openCached opens path with the cache policy p, its files going to dir.
func openCached(t *testing.T, path, dir string, p cachePolicy) *Workbook {
	t.Helper()
	wb, err := Open(context.Background(), path, Options{TempDir: dir})
	require.NoError(t, err)
	p.dir = dir
	wb.cache = p
	return wb
}

// drain reads every row left (Row.Err left out, as in readSheet).
func drain(t *testing.T, sr *SheetReader) ([]Row, error) {
	t.Helper()
	var rows []Row
	for {
		r, err := sr.Next(context.Background())
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

// sheetFiles lists the sheet caches in dir.
func sheetFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "xlsx-sheet-*"))
	require.NoError(t, err)
	return m
}

// readThrough reads a sheet ("" = the default) with the cache policy p, checking that
// no cache is left once the sheet is closed; files is how many the sheet had open.
func readThrough(t *testing.T, path, sheet string, p cachePolicy) (_ []Row, files int, _ error) {
	t.Helper()
	dir := t.TempDir()
	wb := openCached(t, path, dir, p)
	defer func() { require.NoError(t, wb.Close()) }()
	if sheet == "" {
		var err error
		sheet, err = wb.DefaultSheet()
		require.NoError(t, err)
	}
	sr, err := wb.OpenSheet(context.Background(), sheet)
	require.NoError(t, err)
	files = len(sheetFiles(t, dir))
	rows, err := drain(t, sr)
	require.NoError(t, sr.Close())
	assert.Empty(t, sheetFiles(t, dir), "the cache is removed when the sheet is closed")
	return rows, files, err
}

// numberedRows is <sheetData> content of n rows of distinct values, so that it
// compresses like a real sheet.
func numberedRows(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d"><v>%d.%d</v></c></row>`, i, i, i%3, i, i*7919, i*104729%1000)
	}
	return b.String()
}

func TestSheetReadThroughCacheEqualsDirect(t *testing.T) {
	tests := []struct {
		name  string
		path  string         // a fixture, or
		book  *xlsxtest.Book // a hand-written workbook
		sheet string
	}{
		{name: "every kind of value", path: "testdata/leads.xlsx"},
		{name: "merged cells fill down", path: "testdata/merged.xlsx"},
		{name: "1904 dates", path: "testdata/date1904.xlsx"},
		{name: "a hidden sheet by name", path: "testdata/merged.xlsx", sheet: "Config"},
		{name: "merges after many rows, a fake one in CDATA", book: &xlsxtest.Book{Shared: []string{"<t>a</t>", "<t>b</t>", "<t>c</t>"}, Sheets: []xlsxtest.Sheet{{Name: "S",
			Data:  numberedRows(20000) + `<row r="20001"><c r="C20001" t="inlineStr"><is><t><![CDATA[<mergeCell ref="B1:B9"/>]]></t></is></c></row>`,
			After: `<mergeCells count="2"><mergeCell ref="A2:A5"/><mergeCell ref="B19990:C20001"/></mergeCells>`}}}},
		{name: "an empty sheet", book: &xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S"}}}},
		{name: "a truncated sheet fails the same", book: &xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Data: numberedRows(100) + `<row r="101"><c r="A101"><v>1`}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if tc.book != nil {
				path = writeBook(t, *tc.book)
			}
			want, n, wantErr := readThrough(t, path, tc.sheet, cacheNone)
			assert.Zero(t, n, "not cached")
			got, n, gotErr := readThrough(t, path, tc.sheet, cacheAll)
			assert.Equal(t, 1, n, "cached")
			assert.Equal(t, want, got)
			assert.Equal(t, fmt.Sprint(wantErr), fmt.Sprint(gotErr))
		})
	}
}

func TestSheetCacheIsRemoved(t *testing.T) {
	good := xlsxtest.Book{Shared: []string{"<t>a</t>", "<t>b</t>", "<t>c</t>"}, Sheets: []xlsxtest.Sheet{{Name: "S", Data: numberedRows(5000)}}}
	tests := []struct {
		name    string
		book    xlsxtest.Book
		dir     string // under the test's temp dir; "" for the temp dir itself
		use     func(t *testing.T, wb *Workbook) error
		errText string // OpenSheet or use fails with it
	}{
		{
			name: "closed after a few rows",
			book: good,
			use: func(t *testing.T, wb *Workbook) error {
				sr, err := wb.OpenSheet(context.Background(), "S")
				require.NoError(t, err)
				_, err = sr.Next(context.Background())
				require.NoError(t, err)
				return sr.Close()
			},
		},
		{
			name: "the sheet left open when the workbook closes",
			book: good,
			use: func(t *testing.T, wb *Workbook) error {
				sr, err := wb.OpenSheet(context.Background(), "S")
				require.NoError(t, err)
				_, err = sr.Next(context.Background())
				return err
			},
		},
		{
			name: "opened twice: two caches",
			book: good,
			use: func(t *testing.T, wb *Workbook) error {
				for range 2 {
					if _, err := wb.OpenSheet(context.Background(), "S"); err != nil {
						return err
					}
				}
				assert.Len(t, wb.caches, 2)
				return nil
			},
		},
		{
			name:    "the first pass fails",
			book:    xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Data: numberedRows(100), After: `<mergeCells><mergeCell ref="` + strings.Repeat("A", 2*maxTagLen)}}},
			errText: "tag over the size limit",
		},
		{
			name:    "the shared strings fail",
			book:    xlsxtest.Book{RawShared: `<si><t>a&bogus;</t></si>`, Sheets: []xlsxtest.Sheet{{Name: "S", Data: numberedRows(100)}}},
			errText: "bogus",
		},
		{
			name:    "the sheet has no rows element",
			book:    xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Data: numberedRows(100)}}, Extra: map[string]string{"xl/worksheets/sheet1.xml": `<worksheet ` + xlsxtest.NS + `><dimension ref="A1"/></worksheet>`}},
			errText: "no <sheetData>",
		},
		{
			name: "the temp dir does not exist: read without the cache",
			book: good,
			dir:  "missing",
			use: func(t *testing.T, wb *Workbook) error {
				sr, err := wb.OpenSheet(context.Background(), "S")
				require.NoError(t, err)
				rows, err := drain(t, sr)
				assert.Len(t, rows, 5000)
				assert.Empty(t, wb.caches)
				return errors.Join(err, sr.Close())
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeBook(t, tc.book)
			base := t.TempDir()
			dir := filepath.Join(base, tc.dir)
			wb := openCached(t, path, dir, cacheAll)
			use := tc.use
			if use == nil {
				use = func(t *testing.T, wb *Workbook) error {
					sr, err := wb.OpenSheet(context.Background(), "S")
					if err == nil {
						_, err = drain(t, sr)
					}
					return err
				}
			}
			err := use(t, wb)
			if tc.errText != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.errText)
				assert.Empty(t, sheetFiles(t, dir), "removed on the error")
			} else {
				require.NoError(t, err)
			}
			require.NoError(t, wb.Close())
			entries, err := os.ReadDir(base)
			require.NoError(t, err)
			assert.Empty(t, entries, "nothing left behind")
		})
	}
}

func TestSheetCachePolicy(t *testing.T) {
	tests := []struct {
		name         string
		size, packed uint64
		want         bool
	}{
		{name: "a small sheet inflates twice", size: cacheAbove, packed: cacheAbove / 8},
		{name: "a large sheet is cached", size: cacheAbove + 1, packed: cacheAbove / 8, want: true},
		{name: "the million-row benchmark sheet", size: 576 << 20, packed: 77 << 20, want: true},
		{name: "a part inflating like a zip bomb is not", size: 900 << 20, packed: 2 << 20},
		{name: "at the ratio", size: 16 * (1 << 20), packed: 1 << 20, want: true},
		{name: "past the ratio", size: 16*(1<<20) + 1, packed: 1 << 20},
	}
	p := cachePolicy{above: cacheAbove, ratio: cacheRatio}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, p.wants(tc.size, tc.packed))
		})
	}
}

type failingWriter struct{ writes int }

func (w *failingWriter) Write(p []byte) (int, error) {
	w.writes++
	return 0, errors.New("no space left on device")
}

// TestCacheTeeWriteFailure: a cache that cannot be written is given up, the read
// through it goes on.
func TestCacheTeeWriteFailure(t *testing.T) {
	fw := &failingWriter{}
	c := &sheetCache{w: bufio.NewWriterSize(fw, 16)}
	want := strings.Repeat("<row/>", 100)
	got, err := io.ReadAll(cacheTee{strings.NewReader(want), c})
	require.NoError(t, err)
	assert.Equal(t, want, string(got))
	require.Error(t, c.werr)
	assert.Equal(t, 1, fw.writes, "no write after the first failure")
}

// TestSheetCacheSkipsAnInMemoryTempDir: a temp dir on tmpfs takes no cache
// (it would be RAM); the sheet is read the same, inflated twice.
func TestSheetCacheSkipsAnInMemoryTempDir(t *testing.T) {
	tests := []struct {
		name      string
		inMemory  bool
		wantFiles int
	}{
		{name: "a temp dir on disk takes the cache", wantFiles: 1},
		{name: "a temp dir in RAM does not", inMemory: true},
	}
	want, _, err := readThrough(t, "testdata/merged.xlsx", "", cacheNone)
	require.NoError(t, err)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := cacheAll
			var asked []string
			p.inMemory = func(dir string) bool { asked = append(asked, dir); return tc.inMemory }
			got, files, err := readThrough(t, "testdata/merged.xlsx", "", p)
			require.NoError(t, err)
			assert.Equal(t, tc.wantFiles, files)
			assert.Equal(t, want, got)
			require.Len(t, asked, 1, "the temp dir's filesystem is asked once")
			assert.NotEmpty(t, asked[0])
		})
	}
}
