package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/xonvo/xonvo-import/sandbox"
)

// exportLines are three leads in the columns of testdata/mapping.yaml.
func exportLines() []string {
	data := strings.Split(strings.TrimSpace(mustReadFile("testdata/leads.csv")), "\n")
	return data[:4]
}

func mustReadFile(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func gz(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, err := w.Write(b)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

func zst(t *testing.T, b []byte) []byte {
	enc, err := zstd.NewWriter(nil)
	require.NoError(t, err)
	return enc.EncodeAll(b, nil)
}

// xlsxOf writes rows to sheet "Leads" (and a hidden first sheet when
// hidden is set), merging the cells given ("A2:A3").
func xlsxOf(t *testing.T, rows [][]string, hidden bool, merges ...string) []byte {
	f := excelize.NewFile()
	defer f.Close()
	if hidden {
		require.NoError(t, f.SetSheetName("Sheet1", "Settings"))
		require.NoError(t, f.SetCellStr("Settings", "A1", "not the leads"))
		idx, err := f.NewSheet("Leads")
		require.NoError(t, err)
		f.SetActiveSheet(idx) // excelize keeps the active sheet visible
		require.NoError(t, f.SetSheetVisible("Settings", false))
	} else {
		require.NoError(t, f.SetSheetName("Sheet1", "Leads"))
	}
	for r, row := range rows {
		for c, v := range row {
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			require.NoError(t, err)
			if v != "" {
				require.NoError(t, f.SetCellStr("Leads", cell, v))
			}
		}
	}
	for _, m := range merges {
		ends := strings.Split(m, ":")
		require.NoError(t, f.MergeCell("Leads", ends[0], ends[1]))
	}
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	return buf.Bytes()
}

func joinCSV(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	return b.String()
}

func cells(lines []string) [][]string {
	out := make([][]string, len(lines))
	for i, l := range lines {
		out[i] = strings.Split(l, ",")
	}
	return out
}

// TestExportsAsPeopleHaveThem runs validate on files shaped like real
// exports, generated here, and checks what the report says of each row.
func TestExportsAsPeopleHaveThem(t *testing.T) {
	lines := exportLines()
	csv := []byte(strings.Join(lines, "\n") + "\n")
	title := append([]string{"Leads export,,,", "Generated 2026-11-28,,,", ""}, lines...)
	footer := append(append([]string{}, lines...), "", `"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."`, `"Confidential Information - Do Not Distribute"`)
	blank := []string{lines[0], lines[1], "", "", lines[2], lines[3]}
	pandas := cells(lines)
	for _, r := range pandas[1:] {
		r[4], r[9] = "2065550100.0", "2134.0" // Phone and Zip as pandas writes them
		r[1] += "-p"
	}
	pandasCSV := joinCSV(pandas)
	pandasCSV = strings.Replace(pandasCSV, "2065550100.0", "2015550101.0000002", 1) // float noise
	mac := []byte(strings.Replace(string(csv), "Janet", "Garc\x92a", 1))
	badUTF8 := []byte(strings.Replace(mustReadFile("testdata/leads.csv"), "Smith", "Sm\xffith", 1)) // 40 rows, accents in many
	allRows := make([]int, 40)
	for i := range allRows {
		allRows[i] = i + 2
	}
	merged := cells(lines)
	merged[2][0] = "" // the Account of row 3 sits under a vertical merge with row 2
	tests := []struct {
		name     string
		file     string
		content  []byte
		stdin    []byte
		args     []string
		wantCode int
		wantRows []int    // the report's row numbers
		wantStat []string // and statuses
		wantText string   // in the report
	}{
		{name: "gzip by extension", file: "leads.csv.gz", content: gz(t, csv), wantRows: []int{2, 3, 4}},
		{name: "gzip by its magic bytes", file: "leads.csv", content: gz(t, csv), wantRows: []int{2, 3, 4}},
		{name: "zstd", file: "leads.csv.zst", content: zst(t, csv), wantRows: []int{2, 3, 4}},
		{name: "stdin", file: "-", stdin: csv, wantRows: []int{2, 3, 4}},
		{name: "xlsx on stdin", file: "-", stdin: xlsxOf(t, cells(lines), false), wantRows: []int{2, 3, 4}},
		{name: "blank lines keep the spreadsheet's row numbers", file: "blank.csv", content: []byte(strings.Join(blank, "\n") + "\n"), wantRows: []int{2, 5, 6}},
		{name: "the header under title rows", file: "title.csv", content: []byte(strings.Join(title, "\n") + "\n"), wantRows: []int{5, 6, 7}},
		{name: "a report's footer lines are skipped, exit 0", file: "sf.csv", content: []byte(strings.Join(footer, "\n") + "\n"),
			wantRows: []int{2, 3, 4, 6, 7}, wantStat: []string{"valid", "valid", "valid", "skipped", "skipped"}},
		{name: "the first visible sheet, not a hidden one", file: "hidden.xlsx", content: xlsxOf(t, cells(lines), true),
			args: []string{"--sheet", ""}, wantRows: []int{2, 3, 4}},
		{name: "pandas floats and float noise", file: "pandas.csv", content: []byte(pandasCSV), wantRows: []int{2, 3, 4}},
		{name: "Excel for Mac CSV (MacRoman)", file: "mac.csv", content: mac, wantRows: []int{2, 3, 4}, wantText: "García"},
		{name: "UTF-8 with one bad byte stays UTF-8, the row warned", file: "utf8.csv", content: badUTF8, wantRows: allRows, wantText: "María"},
		{name: "a vertically merged cell fills the rows under it", file: "merged.xlsx", content: xlsxOf(t, merged, false, "A2:A3"),
			wantRows: []int{2, 3, 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.file
			if tc.content != nil {
				in = filepath.Join(t.TempDir(), tc.file)
				require.NoError(t, os.WriteFile(in, tc.content, 0o600))
			}
			mappingFile := "testdata/mapping.yaml"
			if strings.Contains(tc.name, "visible") { // the mapping names no sheet
				m := strings.Replace(mustReadFile(mappingFile), "  sheet: Leads\n", "", 1)
				mappingFile = filepath.Join(t.TempDir(), "m.yaml")
				require.NoError(t, os.WriteFile(mappingFile, []byte(m), 0o600))
			}
			report := tempPath(t, "r.csv")
			var out, errOut bytes.Buffer
			code := Main(context.Background(), Env{Args: append([]string{"validate", in, "--mapping", mappingFile, "--report", report, "--quiet"}, tc.args...),
				Stdin: bytes.NewReader(tc.stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Version: "test"})
			require.Equal(t, tc.wantCode, code, errOut.String())
			rows := readCSVReport(t, report)
			var got []int
			for i, r := range rows {
				n := 0
				_, _ = fmt.Sscan(r["row"], &n)
				got = append(got, n)
				want := "valid"
				if tc.wantStat != nil {
					want = tc.wantStat[i]
				}
				assert.Equal(t, want, r["status"], "row %s: %s", r["row"], r["message"])
				if want == "valid" {
					assert.NotEmpty(t, r["account_id"], "row %s has its account", r["row"])
				}
			}
			assert.Equal(t, tc.wantRows, got)
			if tc.wantText != "" {
				assert.Contains(t, mustRead(t, report), tc.wantText)
			}
			if strings.Contains(tc.name, "bad byte") {
				assert.Contains(t, rows[0]["message"], "byte offset", "the row holding the bad byte says where it is")
			}
			if tc.file == "-" {
				assert.Equal(t, "'-", rows[0]["file"], "stdin is named -, which a CSV report neutralises like every cell starting with -")
			}
		})
	}
}

// TestObjectStorageWithState reads *.csv.gz and an XLSX object from an
// in-process S3 (gofakes3, the real protocol) by glob, imports them, and
// skips them on the next run because the state says they were imported.
func TestObjectStorageWithState(t *testing.T) {
	backend := s3mem.New()
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	require.NoError(t, backend.CreateBucket("exports"))
	put := func(key string, b []byte) {
		_, err := backend.PutObject("exports", key, map[string]string{}, bytes.NewReader(b), int64(len(b)), nil)
		require.NoError(t, err)
	}
	lines := exportLines()
	put("nightly/a.csv.gz", gz(t, []byte(strings.Join(lines[:3], "\n")+"\n")))
	put("nightly/b.xlsx", xlsxOf(t, cells([]string{lines[0], lines[3]}), false))
	put("nightly/notes.txt", []byte("not an export"))
	none := filepath.Join(t.TempDir(), "none")
	env := map[string]string{}
	for k, v := range map[string]string{"AWS_ACCESS_KEY_ID": "AKIAFAKE", "AWS_SECRET_ACCESS_KEY": "fake-secret-key-123",
		"AWS_CONFIG_FILE": none, "AWS_SHARED_CREDENTIALS_FILE": none, "AWS_EC2_METADATA_DISABLED": "true"} {
		t.Setenv(k, v)
		env[k] = v
	}
	tg := newTarget(t, sandbox.Options{})
	stateFile := filepath.Join(t.TempDir(), "job.state")
	query := "?endpoint=" + srv.URL + "&use_path_style=true&region=us-east-1&disable_https=true"
	run := func() result {
		return runCLI(t, env, tg.with("import", "s3://exports/nightly/*.csv.gz"+query, "s3://exports/nightly/*.xlsx"+query,
			"--mapping", "testdata/mapping.yaml", "--report", filepath.Join(filepath.Dir(stateFile), "r.csv"), "--state", stateFile,
			"--changed-only", "--summary-json", filepath.Join(filepath.Dir(stateFile), "s.json"))...)
	}
	res := run()
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Len(t, tg.srv.Leads(), 3)
	rows := readCSVReport(t, filepath.Join(filepath.Dir(stateFile), "r.csv"))
	require.Len(t, rows, 3)
	assert.Equal(t, "s3://exports/nightly/a.csv.gz", rows[0]["file"], "the report names the object, never the query")
	assert.Equal(t, "s3://exports/nightly/b.xlsx", rows[2]["file"])
	assert.NotContains(t, res.stdout+res.stderr, "fake-secret-key-123")

	before := len(tg.srv.Requests())
	res = run()
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Len(t, tg.srv.Requests(), before, "nothing sent")
	summary := mustRead(t, filepath.Join(filepath.Dir(stateFile), "s.json"))
	assert.Contains(t, summary, `"files_skipped"`)
	assert.Contains(t, summary, "s3://exports/nightly/a.csv.gz")
	assert.Contains(t, summary, "s3://exports/nightly/b.xlsx")
}

func TestMappingInitWritesTheSheetAndHeaderRow(t *testing.T) {
	lines := exportLines()
	rows := append([][]string{{"Leads export"}, {"Generated 2026-11-28"}, {}}, cells(lines)...)
	book := filepath.Join(t.TempDir(), "book.xlsx")
	require.NoError(t, os.WriteFile(book, xlsxOf(t, rows, true), 0o600))
	res := runCLI(t, nil, "mapping", "init", book)
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "sheet: Leads")
	assert.Contains(t, res.stdout, "header_row: 4")
	m := tempPath(t, "m.yaml")
	require.NoError(t, os.WriteFile(m, []byte(res.stdout), 0o600))
	report := tempPath(t, "r.csv")
	res = runCLI(t, nil, "validate", book, "--mapping", m, "--report", report, "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr+res.stdout)
	assert.Len(t, readCSVReport(t, report), 3)
}
