package source

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rowsOf splits "a,b|c|,d" into rows of cells: "|" between rows, "," between cells.
func rowsOf(s string) [][]string {
	var out [][]string
	for _, r := range strings.Split(s, "|") {
		if r == "" {
			out = append(out, nil)
			continue
		}
		out = append(out, strings.Split(r, ","))
	}
	return out
}

func TestDetectHeaderRow(t *testing.T) {
	tests := []struct {
		name string
		rows string
		want int
	}{
		{name: "the first row", rows: "Name,Phone|Ann,555", want: 0},
		{name: "blank rows first", rows: "||Name,Phone|Ann,555", want: 2},
		{name: "nothing", rows: "||", want: -1},
		{name: "a title above the header", rows: "Leads export,,|Name,Phone,Email|Ann,555,a@x.io", want: 1},
		{name: "title lines and a blank row", rows: "Leads report|Filtered by: owner is me||Name,Phone|Ann,555", want: 3},
		{name: "a one-column file keeps its first row", rows: "Phone|5551234|5555678", want: 0},
		{name: "one column, a stray two-cell row is not a header", rows: "Name|Smith| John|Doe", want: 0},
		{name: "title then data without a header-like row", rows: "Leads|Ann,5551234|Bob,5555678", want: 0},
		{name: "a candidate with numbers is data", rows: "Phone|555,123|556,124", want: 0},
		{name: "a candidate with an e-mail is data", rows: "Email|a@x.io,Ann|b@x.io,Bob", want: 0},
		{name: "a candidate with repeated names is data", rows: "Report|CA,CA,CA|NY,NY,NY", want: 0},
		{name: "a header with nothing after it", rows: "Report|Name,Phone", want: 1},
		{name: "a header followed by one-cell rows is not taken", rows: "Report|Name,Phone|Ann", want: 0},
		{name: "a header with letters and digits", rows: "Export 2026|Address 1,Address 2,Zip|1 Main St,,12345", want: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, DetectHeaderRow(rowsOf(tc.rows)))
		})
	}
}

func TestDetectHeaderRowLooksOnly50RowsAhead(t *testing.T) {
	title := strings.Repeat("note|", 51)
	assert.Equal(t, 0, DetectHeaderRow(rowsOf("Report|"+title+"Name,Phone|Ann,555")))
	title = strings.Repeat("note|", 48)
	assert.Equal(t, 49, DetectHeaderRow(rowsOf("Report|"+title+"Name,Phone|Ann,555")))
}

func TestFindHeaderRow(t *testing.T) {
	tests := []struct {
		name    string
		rows    string
		columns []string
		want    int
	}{
		{name: "first row", rows: "Name,Phone|Ann,555", columns: []string{"Name", "Phone"}, want: 0},
		{name: "below a title and a summary", rows: "Report|Total,2|Name,Phone|Ann,555", columns: []string{"phone", " NAME "}, want: 2},
		{name: "cells are trimmed", rows: "x| Name , Phone |1,2", columns: []string{"Name", "Phone"}, want: 1},
		{name: "a row holding only some", rows: "Name,x|Name,Phone", columns: []string{"Name", "Phone"}, want: 1},
		{name: "none", rows: "a,b|c,d", columns: []string{"Name"}, want: -1},
		{name: "no columns", rows: "a,b", columns: nil, want: -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, FindHeaderRow(rowsOf(tc.rows), tc.columns))
		})
	}
	beyond := strings.Repeat("x|", 50) + "Name,Phone"
	assert.Equal(t, -1, FindHeaderRow(rowsOf(beyond), []string{"Name"}), "past the first 50 non-empty rows")
}

// The header search as a CSV source applies it.
func TestCSVHeaderSearch(t *testing.T) {
	salesforce := "\"Leads Report\",,\n\"Filtered By:\",,\n\"  Owner equals Me\",,\n,,\n" +
		"First Name,Last Name,Phone\nAnn,Lee,5551234\n"
	tests := []struct {
		name      string
		content   string
		opts      Options
		header    []string
		headerRow int
		records   []Record
		warning   string
		err       error
	}{
		{
			name:      "title rows found automatically",
			content:   salesforce,
			header:    []string{"First Name", "Last Name", "Phone"},
			headerRow: 5,
			records:   []Record{rec(6, "Ann", "Lee", "5551234")},
			warning:   "the header is row 5; the rows above it are not data",
		},
		{
			name:      "the mapping's columns find the header",
			content:   "Export,\nTotal rows,1\nName,Phone\nAnn,555\n",
			opts:      Options{HeaderColumns: []string{"phone", "name"}},
			header:    []string{"Name", "Phone"},
			headerRow: 3,
			records:   []Record{rec(4, "Ann", "555")},
			warning:   "the header is row 3",
		},
		{
			name:      "columns no row holds: the usual detection",
			content:   "Name,Phone\nAnn,555\n",
			opts:      Options{HeaderColumns: []string{"Email"}},
			header:    []string{"Name", "Phone"},
			headerRow: 1,
			records:   []Record{rec(2, "Ann", "555")},
		},
		{
			name:      "a pinned header row; its delimiter is counted on it",
			content:   "Report, Q1 2026\nName;Phone\nAnn;555\n",
			opts:      Options{HeaderRow: 2},
			header:    []string{"Name", "Phone"},
			headerRow: 2,
			records:   []Record{rec(3, "Ann", "555")},
		},
		{
			name:    "a pinned header row that is blank",
			content: "Name,Phone\n\nAnn,555\n",
			opts:    Options{HeaderRow: 2},
			err:     ErrNoHeader,
		},
		{
			name:    "a pinned header row past the end",
			content: "Name,Phone\nAnn,555\n",
			opts:    Options{HeaderRow: 9},
			err:     ErrNoHeader,
		},
		{
			name:      "a semicolon file under a title line without delimiters",
			content:   "Leads report\nName;Phone\nAnn;555\n",
			header:    []string{"Name", "Phone"},
			headerRow: 2,
			records:   []Record{rec(3, "Ann", "555")},
			warning:   "the header is row 2",
		},
		{
			name:      "a one-column file",
			content:   "Phone\n555\n556\n",
			header:    []string{"Phone"},
			headerRow: 1,
			records:   []Record{rec(2, "555"), rec(3, "556")},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "a.csv", []byte(tc.content))
			src, recs, err := readAll(t, path, tc.opts)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				var re *ReadError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, tc.opts.HeaderRow, re.Row)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.header, src.Header())
			assert.Equal(t, tc.headerRow, src.HeaderRow())
			assert.Equal(t, tc.records, recs)
			if tc.warning != "" {
				assert.Contains(t, strings.Join(src.Warnings(), "\n"), tc.warning)
			} else {
				assert.Empty(t, src.Warnings())
			}
		})
	}
}
