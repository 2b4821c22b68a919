package source

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Row numbers are the rows a spreadsheet shows: blank lines count, the line
// breaks inside a quoted cell do not.
func TestCSVRowNumbers(t *testing.T) {
	tests := []struct {
		name    string
		content string
		header  int
		want    []Record
	}{
		{
			name:    "no blank lines",
			content: "a,b\n1,2\n3,4\n",
			header:  1,
			want:    []Record{rec(2, "1", "2"), rec(3, "3", "4")},
		},
		{
			name:    "blank lines between rows count",
			content: "a,b\n1,2\n\n\n3,4\n",
			header:  1,
			want:    []Record{rec(2, "1", "2"), rec(5, "3", "4")},
		},
		{
			name:    "blank lines before the header count",
			content: "\n\na,b\n1,2\n",
			header:  3,
			want:    []Record{rec(4, "1", "2")},
		},
		{
			name:    "CRLF with blank lines",
			content: "a,b\r\n1,2\r\n\r\n3,4\r\n",
			header:  1,
			want:    []Record{rec(2, "1", "2"), rec(4, "3", "4")},
		},
		{
			name:    "CR-only with blank lines",
			content: "a,b\r1,2\r\r3,4\r",
			header:  1,
			want:    []Record{rec(2, "1", "2"), rec(4, "3", "4")},
		},
		{
			name:    "a quoted multi-line cell is one row",
			content: "a,b\n1,\"one\ntwo\nthree\"\n2,x\n",
			header:  1,
			want:    []Record{rec(2, "1", "one\ntwo\nthree"), rec(3, "2", "x")},
		},
		{
			name:    "multi-line cells in the middle and at the end of a record",
			content: "a,b,c\n\"x\ny\",2,\"p\nq\"\n\n3,4,5\n",
			header:  1,
			want:    []Record{rec(2, "x\ny", "2", "p\nq"), rec(4, "3", "4", "5")},
		},
		{
			name:    "CRLF inside a quoted cell is one row",
			content: "a,b\r\n1,\"one\r\ntwo\"\r\n\r\n2,x\r\n",
			header:  1,
			want:    []Record{rec(2, "1", "one\ntwo"), rec(4, "2", "x")},
		},
		{
			name:    "CR-only file with a CR inside quotes",
			content: "a,b\r1,\"x\ry\"\r\r3,4",
			header:  1,
			want:    []Record{rec(2, "1", "x\ry"), rec(4, "3", "4")},
		},
		{
			name:    "a multi-line header",
			content: "\"first\nname\",b\n1,2\n",
			header:  1,
			want:    []Record{rec(2, "1", "2")},
		},
		{
			name:    "a quoting problem spanning lines keeps the count",
			content: "a,b\n1,\"x\ny\"z\n2,3\n\n4,5\n",
			header:  1,
			want: []Record{
				problem(2, `cell 2 has text after its closing quote (")`, "1"),
				rec(3, "2", "3"),
				rec(5, "4", "5"),
			},
		},
		{
			name:    "whitespace-only and comma-only lines are blank rows",
			content: "a,b\n1,2\n ,\n,\n\t\n3,4\n",
			header:  1,
			want:    []Record{rec(2, "1", "2"), rec(6, "3", "4")},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, "rows.csv", []byte(tc.content))
			src, recs, err := readAll(t, path, Options{})
			require.NoError(t, err)
			assert.Equal(t, tc.want, recs)
			assert.Equal(t, tc.header, src.HeaderRow())
		})
	}
}

// The budget error names the row after the last one read.
func TestCSVRowNumberOfFatalError(t *testing.T) {
	path := writeFile(t, "a.csv", []byte("a,b\n\"x\ny\",1\n2,\"unclosed\n"))
	_, recs, err := readAll(t, path, Options{})
	require.ErrorIs(t, err, ErrUnclosedQuote)
	assert.Equal(t, []Record{rec(2, "x\ny", "1")}, recs)
	var re *ReadError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 3, re.Row)
	assert.Contains(t, err.Error(), "line 4 of the file")
}
