package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/golden"
)

func TestCreateByExtension(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		wantErr bool
	}{
		{name: "csv", file: "r.csv"},
		{name: "upper case csv", file: "R.CSV"},
		{name: "jsonl", file: "r.jsonl"},
		{name: "xlsx", file: "r.xlsx"},
		{name: "json is not jsonl", file: "r.json", wantErr: true},
		{name: "txt", file: "r.txt", wantErr: true},
		{name: "no extension", file: "report", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			w, err := Create(filepath.Join(dir, tt.file), []string{"A"})
			if tt.wantErr {
				require.ErrorIs(t, err, ErrUnknownFormat)
				for _, ext := range Extensions() {
					assert.Contains(t, err.Error(), ext)
				}
				assert.Empty(t, dirEntries(t, dir), "nothing is created for an unknown format")
				return
			}
			require.NoError(t, err)
			require.NoError(t, w.Finish(Summary{}))
			assert.Equal(t, []string{tt.file}, dirEntries(t, dir))
		})
	}
}

func TestReportGolden(t *testing.T) {
	fx := loadFixture(t)
	for _, ext := range []string{"csv", "jsonl"} {
		t.Run(ext, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report."+ext)
			writeReport(t, path, fx, testSummary())
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			golden.Assert(t, "report."+ext, got)
		})
	}
}

func TestCSVReadsBack(t *testing.T) {
	fx := loadFixture(t)
	path := filepath.Join(t.TempDir(), "report.csv")
	writeReport(t, path, fx, Summary{})
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)

	require.Len(t, records, len(fx.Rows)+1, "one line per row plus the header")
	assert.Equal(t, Header(fx.Original), records[0])
	seen := map[string]bool{}
	for _, h := range records[0] {
		assert.False(t, seen[h], "header %q repeated", h)
		seen[h] = true
	}
	byCell := func(row int, header string) string {
		for i, h := range records[0] {
			if h == header {
				return records[row][i]
			}
		}
		t.Fatalf("no column %q", header)
		return ""
	}
	tests := []struct {
		name   string
		row    int
		header string
		want   string
	}{
		{name: "zip keeps its zero", row: 1, header: "Zip", want: "02134"},
		{name: "unicode", row: 2, header: "Notes", want: "naïve café, 日本語 🙂"},
		{name: "embedded newline and quotes", row: 3, header: "Notes", want: "line one\nline two, with \"quotes\""},
		{name: "formula neutralised", row: 4, header: "Notes", want: `'=HYPERLINK("http://x","y")`},
		{name: "at sign neutralised", row: 5, header: "First Name", want: "'@SUM(A1)"},
		{name: "minus neutralised", row: 5, header: "input.Phone", want: "'-5"},
		{name: "tab neutralised", row: 5, header: "Notes", want: "'\tTabbed"},
		{name: "carriage return neutralised", row: 5, header: "input.phone", want: "'\rCR"},
		{name: "E.164 phone neutralised", row: 1, header: "phone", want: "'+13335550101"},
		{name: "row as a number", row: 6, header: "row", want: "2"},
		{name: "missing cells padded", row: 6, header: "Notes", want: ""},
		{name: "leading space kept", row: 8, header: "Notes", want: " leading space"},
		{name: "status", row: 7, header: "status", want: "not_sent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, byCell(tt.row, tt.header))
		})
	}
	assert.Equal(t, "333-555-0101", byCell(1, "input.phone"), "the input's own phone column, renamed")
	assert.Equal(t, "(333) 555-0101", byCell(1, "input.Phone"))
}

func TestCSVBOM(t *testing.T) {
	tests := []struct {
		name string
		bom  bool
	}{
		{name: "default has none", bom: false},
		{name: "report-bom", bom: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.csv")
			w, err := CreateWith(path, []string{"Nom"}, Options{BOM: tt.bom})
			require.NoError(t, err)
			require.NoError(t, w.Write(RowResult{File: "f.csv", Row: 2, Status: StatusSent, Original: []string{"Élodie"}}))
			require.NoError(t, w.Finish(Summary{}))
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			want := "file,row,status,message,account_id,external_id,phone,http_status,attempts,Nom\n" +
				"f.csv,2,sent,,,,,0,0,Élodie\n"
			if tt.bom {
				want = "\xef\xbb\xbf" + want
			}
			assert.Equal(t, want, string(data))
			header, err := csv.NewReader(bytes.NewReader(data)).Read()
			require.NoError(t, err)
			assert.True(t, IsReportHeader(header), "recognised with or without the BOM")
		})
	}
	for _, ext := range []string{".jsonl", ".xlsx"} {
		t.Run("ignored by "+ext, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r"+ext)
			w, err := CreateWith(path, nil, Options{BOM: true})
			require.NoError(t, err)
			require.NoError(t, w.Write(RowResult{File: "f", Row: 2, Status: StatusSent}))
			require.NoError(t, w.Finish(Summary{}))
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.False(t, bytes.HasPrefix(data, []byte("\xef\xbb\xbf")))
		})
	}
}

func TestJSONLReadsBack(t *testing.T) {
	fx := loadFixture(t)
	path := filepath.Join(t.TempDir(), "report.jsonl")
	writeReport(t, path, fx, Summary{})
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	require.Len(t, lines, len(fx.Rows), "one line per row, no header")
	for i, line := range lines {
		r := fx.Rows[i]
		t.Run(r.File+"/"+string(r.Status), func(t *testing.T) {
			var got struct {
				File       string            `json:"file"`
				Row        json.Number       `json:"row"`
				Status     string            `json:"status"`
				Message    string            `json:"message"`
				AccountID  string            `json:"account_id"`
				ExternalID string            `json:"external_id"`
				Phone      string            `json:"phone"`
				HTTPStatus json.Number       `json:"http_status"`
				Attempts   json.Number       `json:"attempts"`
				Original   map[string]string `json:"original"`
			}
			dec := json.NewDecoder(strings.NewReader(line))
			dec.UseNumber()
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(&got))
			assert.Equal(t, r.File, got.File)
			assert.Equal(t, json.Number(strconv.Itoa(r.Row)), got.Row)
			assert.Equal(t, string(r.Status), got.Status)
			assert.Equal(t, r.Message, got.Message)
			assert.Equal(t, r.AccountID, got.AccountID)
			assert.Equal(t, r.ExternalID, got.ExternalID)
			assert.Equal(t, r.Phone, got.Phone, "raw, not neutralised")
			assert.Equal(t, json.Number(strconv.Itoa(r.HTTPStatus)), got.HTTPStatus)
			assert.Equal(t, json.Number(strconv.Itoa(r.Attempts)), got.Attempts)
			want := map[string]string{}
			for j, h := range fx.Original {
				want[h] = paddedOriginal(r, len(fx.Original))[j]
			}
			assert.Equal(t, want, got.Original, "raw values under their headers")
		})
	}
}

func TestJSONLKeepsOriginalOrderAndDuplicates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.jsonl")
	w, err := Create(path, []string{"Zeta", "Alpha", "Zeta"})
	require.NoError(t, err)
	require.NoError(t, w.Write(RowResult{File: "f", Row: 2, Status: StatusSent, Original: []string{"1", "2", "3"}}))
	require.NoError(t, w.Finish(Summary{}))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"original":{"Zeta":"1","Alpha":"2","Zeta (2)":"3"}}`)
}

func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "empty", in: ""},
		{name: "plain", in: "hello"},
		{name: "quotes and backslash", in: `a"b\c`},
		{name: "control characters", in: "\x00\x01\b\f\n\r\t\x1f"},
		{name: "unicode", in: "José 日本語 🙂"},
		{name: "invalid utf-8", in: "a\xffb\xc3"},
		{name: "line separators", in: "a\u2028b\u2029c"},
		{name: "html characters kept", in: "<a href='x'>&</a>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			require.NoError(t, enc.Encode(tt.in))
			assert.Equal(t, strings.TrimSuffix(want.String(), "\n"), string(appendJSONString(nil, tt.in)))
		})
	}
}

func TestRowShape(t *testing.T) {
	for _, ext := range Extensions() {
		t.Run(ext, func(t *testing.T) {
			dir := t.TempDir()
			w, err := Create(filepath.Join(dir, "r"+ext), []string{"A", "B"})
			require.NoError(t, err)
			defer func() { require.NoError(t, w.Abort()) }()
			require.NoError(t, w.Write(RowResult{Row: 2, Status: StatusSent, Original: []string{"1"}}), "short rows are padded")
			err = w.Write(RowResult{Row: 3, Status: StatusSent, Original: []string{"1", "2", "3"}})
			require.ErrorIs(t, err, ErrRowShape)
		})
	}
}
