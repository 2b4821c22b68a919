package source

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/unicode"
)

// readAll opens path and reads every record.
func readAll(t *testing.T, path string, opts Options) (Source, []Record, error) {
	t.Helper()
	ctx := context.Background()
	src, err := Open(ctx, path, opts)
	if err != nil {
		return nil, nil, err
	}
	t.Cleanup(func() { _ = src.Close() })
	var recs []Record
	for {
		rec, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			return src, recs, nil
		}
		if err != nil {
			return src, recs, err
		}
		recs = append(recs, rec)
	}
}

func writeFile(t *testing.T, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, content, 0o600))
	return path
}

func utf16(t *testing.T, e unicode.Endianness, bom unicode.BOMPolicy, s string) []byte {
	t.Helper()
	out, err := unicode.UTF16(e, bom).NewEncoder().String(s)
	require.NoError(t, err)
	return []byte(out)
}

func rec(row int, cells ...string) Record { return Record{Row: row, Cells: cells} }

func problem(row int, msg string, cells ...string) Record {
	return Record{Row: row, Cells: cells, Problem: msg}
}

func TestCSVSource(t *testing.T) {
	type want struct {
		header   []string
		records  []Record
		warnings []string // substrings, one per warning
		err      error    // errors.Is target for a fatal error (after the records above)
		errRow   int
		errCol   int
	}
	tests := []struct {
		name    string
		file    string
		content []byte
		opts    Options
		want    want
	}{
		{
			name:    "utf-8 without BOM, comma",
			file:    "a.csv",
			content: []byte("Name,City\nJosé,Zürich\n"),
			want:    want{header: []string{"Name", "City"}, records: []Record{rec(2, "José", "Zürich")}},
		},
		{
			name:    "utf-8 with BOM, semicolon",
			file:    "a.csv",
			content: []byte("\xEF\xBB\xBFName;City\nJosé;Zürich\n"),
			want:    want{header: []string{"Name", "City"}, records: []Record{rec(2, "José", "Zürich")}},
		},
		{
			name:    "explicit utf-8 drops the BOM",
			file:    "a.csv",
			content: []byte("\xEF\xBB\xBFName,City\nA,B\n"),
			opts:    Options{Encoding: "UTF-8"},
			want:    want{header: []string{"Name", "City"}, records: []Record{rec(2, "A", "B")}},
		},
		{
			name:    "utf-16le with BOM, tab (Excel Unicode Text)",
			file:    "a.txt",
			content: utf16(t, unicode.LittleEndian, unicode.UseBOM, "Name\tCity\r\nJosé\tMüller, Köln\r\n"),
			want:    want{header: []string{"Name", "City"}, records: []Record{rec(2, "José", "Müller, Köln")}},
		},
		{
			name:    "utf-16be with BOM, tab",
			file:    "a.txt",
			content: utf16(t, unicode.BigEndian, unicode.UseBOM, "Name\tCity\nJosé\tZürich\n"),
			want:    want{header: []string{"Name", "City"}, records: []Record{rec(2, "José", "Zürich")}},
		},
		{
			name:    "utf-16le without BOM is recognised with a warning",
			file:    "a.txt",
			content: utf16(t, unicode.LittleEndian, unicode.IgnoreBOM, "Name\tCity\nA\tB\n"),
			want: want{header: []string{"Name", "City"}, records: []Record{rec(2, "A", "B")},
				warnings: []string{"a.txt: no byte order mark, read as UTF-16LE"}},
		},
		{
			name:    "explicit utf-16 with a BOM",
			file:    "a.csv",
			content: utf16(t, unicode.LittleEndian, unicode.UseBOM, "Name,City\nA,B\n"),
			opts:    Options{Encoding: "utf-16"},
			want:    want{header: []string{"Name", "City"}, records: []Record{rec(2, "A", "B")}},
		},
		{
			name:    "invalid utf-8 falls back to windows-1252 with a warning",
			file:    "leads.csv",
			content: []byte("Name,Last\nJos\xE9,M\xFCller\n\x93Quoted\x94,\x80uro\n"),
			want: want{header: []string{"Name", "Last"},
				records:  []Record{rec(2, "José", "Müller"), rec(3, "\u201cQuoted\u201d", "€uro")},
				warnings: []string{"leads.csv: not valid UTF-8, read as Windows-1252"}},
		},
		{
			name:    "explicit windows-1252: no warning",
			file:    "a.csv",
			content: []byte("Name,Last\nJos\xE9,M\xFCller\n"),
			opts:    Options{Encoding: "windows-1252"},
			want:    want{header: []string{"Name", "Last"}, records: []Record{rec(2, "José", "Müller")}},
		},
		{
			name:    "iso-8859-1",
			file:    "a.csv",
			content: []byte("Name,Last\nJos\xE9,M\xFCller\n"),
			opts:    Options{Encoding: "ISO-8859-1"},
			want:    want{header: []string{"Name", "Last"}, records: []Record{rec(2, "José", "Müller")}},
		},
		{
			name:    "unknown encoding",
			file:    "a.csv",
			content: []byte("a\n1\n"),
			opts:    Options{Encoding: "ebcdic"},
			want:    want{err: ErrUnknownEncoding},
		},
		{
			name:    "pipe delimiter detected",
			file:    "a.csv",
			content: []byte("Name|City, State|Zip\nA|B, C|1\n"),
			want:    want{header: []string{"Name", "City, State", "Zip"}, records: []Record{rec(2, "A", "B, C", "1")}},
		},
		{
			name:    "delimiters inside quotes do not count",
			file:    "a.csv",
			content: []byte("\"a;b;c\",d\n1,2\n"),
			want:    want{header: []string{"a;b;c", "d"}, records: []Record{rec(2, "1", "2")}},
		},
		{
			name:    "tab delimiter detected in a .csv",
			file:    "a.csv",
			content: []byte("Name\tCity\nA\tB\n"),
			want:    want{header: []string{"Name", "City"}, records: []Record{rec(2, "A", "B")}},
		},
		{
			name:    "a .tsv prefers tab even when commas are more frequent",
			file:    "a.tsv",
			content: []byte("Last, First\tCity, State, Zip\nDoe, J\tA, B, C\n"),
			want:    want{header: []string{"Last, First", "City, State, Zip"}, records: []Record{rec(2, "Doe, J", "A, B, C")}},
		},
		{
			name:    "delimiter override",
			file:    "a.csv",
			content: []byte("a,b;c,d\n1,2;3,4\n"),
			opts:    Options{Delimiter: ';'},
			want:    want{header: []string{"a,b", "c,d"}, records: []Record{rec(2, "1,2", "3,4")}},
		},
		{
			name:    "invalid delimiter override",
			file:    "a.csv",
			content: []byte("a\n"),
			opts:    Options{Delimiter: '"'},
			want:    want{err: ErrBadDelimiter},
		},
		{
			name:    "single column",
			file:    "a.csv",
			content: []byte("Phone\n5551234567\n"),
			want:    want{header: []string{"Phone"}, records: []Record{rec(2, "5551234567")}},
		},
		{
			name:    "CRLF line endings",
			file:    "a.csv",
			content: []byte("a,b\r\n1,2\r\n3,4\r\n"),
			want:    want{header: []string{"a", "b"}, records: []Record{rec(2, "1", "2"), rec(3, "3", "4")}},
		},
		{
			name:    "CR-only line endings, CR inside quotes kept",
			file:    "a.csv",
			content: []byte("a,b\r1,\"x\ry\"\r3,4"),
			want:    want{header: []string{"a", "b"}, records: []Record{rec(2, "1", "x\ry"), rec(3, "3", "4")}},
		},
		{
			name:    "embedded newlines in quotes; rows are records",
			file:    "a.csv",
			content: []byte("a,b\r\n1,\"line one\r\nline two\"\r\n2,\"say \"\"hi\"\"\"\r\n"),
			want:    want{header: []string{"a", "b"}, records: []Record{rec(2, "1", "line one\nline two"), rec(3, "2", `say "hi"`)}},
		},
		{
			name:    "short and long rows are problems and the file goes on",
			file:    "a.csv",
			content: []byte("a,b,c\n1,2\n1,2,3,4\n1,2,3\n"),
			want: want{header: []string{"a", "b", "c"}, records: []Record{
				problem(2, "row has 2 cells, the header has 3", "1", "2"),
				problem(3, "row has 4 cells, the header has 3", "1", "2", "3", "4"),
				rec(4, "1", "2", "3"),
			}},
		},
		{
			name:    "empty trailing extra cells are dropped, not reported",
			file:    "a.csv",
			content: []byte("a,b\n1,2,,\n"),
			want:    want{header: []string{"a", "b"}, records: []Record{rec(2, "1", "2")}},
		},
		{
			name:    "blank lines and empty records are skipped but keep their row numbers",
			file:    "a.csv",
			content: []byte("\n\na,b\n\n1,2\n\r\n,\n \n3,4\n\n"),
			want:    want{header: []string{"a", "b"}, records: []Record{rec(5, "1", "2"), rec(9, "3", "4")}},
		},
		{
			name:    "header kept as read",
			file:    "a.csv",
			content: []byte(" Name , City ,  \n1,2,\n"),
			want:    want{header: []string{" Name ", " City ", "  "}, records: []Record{rec(2, "1", "2", "")}},
		},
		{
			name:    "stray quote in an unquoted cell is a problem; the file goes on",
			file:    "a.csv",
			content: []byte("a,b\n1,5\" tall\n2,3\n"),
			want: want{header: []string{"a", "b"}, records: []Record{
				problem(2, `cell 2 has a quote (") inside an unquoted value`, "1"),
				rec(3, "2", "3"),
			}},
		},
		{
			name:    "text after a closing quote is a problem; the file goes on",
			file:    "a.csv",
			content: []byte("a,b\n\"x\"y,1\n2,3\n"),
			want: want{header: []string{"a", "b"}, records: []Record{
				problem(2, `cell 1 has text after its closing quote (")`),
				rec(3, "2", "3"),
			}},
		},
		{
			name:    "unclosed quote is fatal and names the row where it opened",
			file:    "a.csv",
			content: []byte("a,b\n1,2\n3,\"never closed\n4,5\n6,7\n"),
			want:    want{header: []string{"a", "b"}, records: []Record{rec(2, "1", "2")}, err: ErrUnclosedQuote, errRow: 3, errCol: 2},
		},
		{
			name:    "a record past the byte budget is fatal",
			file:    "a.csv",
			content: []byte("a,b\n1,2\n3,\"" + strings.Repeat("x", 200000) + "\n4,5\n"),
			opts:    Options{MaxFieldBytes: 1000},
			want:    want{header: []string{"a", "b"}, records: []Record{rec(2, "1", "2")}, err: ErrRecordTooLarge, errRow: 3, errCol: 2},
		},
		{
			name:    "a record just under the budget is fine",
			file:    "a.csv",
			content: []byte("a,b\n1," + strings.Repeat("x", 990) + "\n"),
			opts:    Options{MaxFieldBytes: 1000},
			want:    want{header: []string{"a", "b"}, records: []Record{rec(2, "1", strings.Repeat("x", 990))}},
		},
		{
			name:    "an unquoted line past the budget is fatal too",
			file:    "a.csv",
			content: []byte("a,b\n1," + strings.Repeat("x", 1500) + "\n"),
			opts:    Options{MaxFieldBytes: 1000},
			want:    want{header: []string{"a", "b"}, err: ErrRecordTooLarge, errRow: 2},
		},
		{
			name:    "empty file has no header",
			file:    "a.csv",
			content: []byte("\n\n"),
			want:    want{err: ErrNoHeader},
		},
		{
			name:    "unsupported extension",
			file:    "a.xls",
			content: []byte("x"),
			want:    want{err: ErrUnsupportedFormat},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.file, tc.content)
			src, recs, err := readAll(t, path, tc.opts)
			if tc.want.err != nil {
				require.Error(t, err)
				assert.ErrorIs(t, err, tc.want.err)
				var re *ReadError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, path, re.File)
				assert.Equal(t, tc.want.errRow, re.Row, "row in %v", err)
				if tc.want.errCol != 0 {
					assert.Equal(t, tc.want.errCol, re.Column, "column in %v", err)
				}
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.want.records, recs)
			if src == nil {
				return
			}
			assert.Equal(t, tc.want.header, src.Header())
			assert.Equal(t, path, src.Name())
			ws := src.Warnings()
			require.Len(t, ws, len(tc.want.warnings), "warnings %q", ws)
			for i, w := range tc.want.warnings {
				assert.Contains(t, ws[i], filepath.Base(w[:strings.Index(w, ":")]))
				assert.Contains(t, ws[i], w[strings.Index(w, ":"):])
			}
			if tc.want.err == nil {
				done, total := src.Progress()
				assert.Equal(t, int64(len(tc.content)), total)
				assert.Equal(t, total, done)
			}
		})
	}
}

// An unclosed quote near the start of a large file fails without reading the file into memory.
func TestCSVUnclosedQuoteBoundedRead(t *testing.T) {
	var b strings.Builder
	b.WriteString("a,b\n1,\"opens here\n")
	for b.Len() < 8<<20 {
		b.WriteString("more,data,that,the,quote,swallows\n")
	}
	path := writeFile(t, "big.csv", []byte(b.String()))
	const limit = 64 << 10
	src, err := Open(context.Background(), path, Options{MaxFieldBytes: limit})
	require.NoError(t, err)
	defer src.Close()
	_, err = src.Next(context.Background())
	require.ErrorIs(t, err, ErrRecordTooLarge)
	var re *ReadError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 2, re.Row)
	done, total := src.Progress()
	assert.Equal(t, int64(b.Len()), total)
	// Read-ahead is bounded by the budget plus buffers, nowhere near the 8 MiB file.
	assert.Less(t, done, int64(limit+peekSize+64<<10), "bytes read before failing")
}

func TestCSVContextCancelled(t *testing.T) {
	path := writeFile(t, "a.csv", []byte("a\n1\n2\n"))
	src, err := Open(context.Background(), path, Options{})
	require.NoError(t, err)
	defer src.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = src.Next(ctx)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestReadHeader(t *testing.T) {
	path := writeFile(t, "a.csv", []byte("Name;Phone\nA;1\n"))
	h, err := ReadHeader(context.Background(), path, Options{})
	require.NoError(t, err)
	assert.Equal(t, []string{"Name", "Phone"}, h)
	_, err = ReadHeader(context.Background(), filepath.Join(t.TempDir(), "missing.csv"), Options{})
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestValidUTF8Chunks(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  bool
	}{
		{name: "ascii", input: "hello, world", want: true},
		{name: "two, three and four byte runes", input: "José €uro 𝄞 Müller €€€𝄞𝄞", want: true},
		{name: "invalid byte", input: "Jos\xE9 M\xFCller", want: false},
		{name: "truncated rune at the end", input: "abc\xE2\x82", want: false},
		{name: "lone continuation byte", input: "abc\x80def", want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for chunk := 1; chunk <= 9; chunk++ {
				got, err := validUTF8(context.Background(), strings.NewReader(tc.input), chunk)
				require.NoError(t, err)
				assert.Equal(t, tc.want, got, "chunk size %d", chunk)
			}
		})
	}
}

func TestDetectDelimiter(t *testing.T) {
	tests := []struct {
		name      string
		head      string
		preferTab bool
		headerRow int
		want      rune
	}{
		{name: "a title line without delimiters is skipped", head: "Leads report\na;b;c\n1;2;3\n", want: ';'},
		{name: "the pinned header row decides", head: "Report, Q1 2026\nName;Phone\n", headerRow: 2, want: ';'},
		{name: "the pinned header row, CRLF", head: "x,y\r\n\r\nName;Phone\r\n", headerRow: 3, want: ';'},
		{name: "a pinned row past the peek: one column", head: "a,b\n", headerRow: 5, want: ','},
		{name: "comma", head: "a,b,c\n1;2", want: ','},
		{name: "semicolon", head: "a;b;c\n", want: ';'},
		{name: "tab", head: "a\tb\n", want: '\t'},
		{name: "pipe", head: "a|b\n", want: '|'},
		{name: "tie goes to the earlier candidate", head: "a,b;c\n", want: ','},
		{name: "only the first line counts", head: "a;b\n1,2,3,4,5\n", want: ';'},
		{name: "quoted newline is not the end of the line", head: "\"a\nb\";c;d\n", want: ';'},
		{name: "none: one column", head: "abc\n", want: ','},
		{name: "none in a .tsv", head: "abc\n", preferTab: true, want: '\t'},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, detectDelimiter([]byte(tc.head), tc.preferTab, tc.headerRow))
		})
	}
}
