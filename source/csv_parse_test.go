package source

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// csvRead is one Read as both readers see it.
type csvRead struct {
	Cells            []string
	Err              string
	First, Last, Off int64
}

// readAllCSV drains a reader through next, noting after each record what
// csvRows uses: the cells, the error, the lines of the first and last
// fields and the input offset.
func readAllCSV(next func() ([]string, error), lines func(i int) int, off func() int64) []csvRead {
	var out []csvRead
	for range 10000 {
		cells, err := next()
		r := csvRead{Cells: cells, Off: off()}
		if err != nil {
			var pe *csv.ParseError
			switch {
			case errors.As(err, &pe):
				r.Err = fmt.Sprintf("parse error start %d line %d col %d: %v", pe.StartLine, pe.Line, pe.Column, pe.Err)
			default:
				r.Err = err.Error()
			}
		} else if len(cells) > 0 {
			r.First, r.Last = int64(lines(0)), int64(lines(len(cells)-1))
		}
		out = append(out, r)
		if errors.Is(err, io.EOF) {
			return out
		}
	}
	return out
}

// requireSameAsEncodingCSV reads input with both readers and compares
// every record.
func requireSameAsEncodingCSV(t *testing.T, input string, comma rune) {
	t.Helper()
	std := csv.NewReader(strings.NewReader(input))
	std.Comma, std.FieldsPerRecord = comma, -1
	want := readAllCSV(std.Read, func(i int) int { l, _ := std.FieldPos(i); return l }, std.InputOffset)
	p := newCSVParser(strings.NewReader(input), comma)
	got := readAllCSV(p.Read, p.FieldLine, p.InputOffset)
	require.Equal(t, want, got, "input %q, comma %q", input, comma)
}

func TestCSVParserMatchesEncodingCSV(t *testing.T) {
	long := strings.Repeat("x", 5000) // past bufio's 4096 bytes: the long-line path
	tests := []struct {
		name  string
		input string
		comma rune
	}{
		{name: "plain", input: "a,b,c\n1,2,3\n", comma: ','},
		{name: "no final newline", input: "a,b\n1,2", comma: ','},
		{name: "CRLF", input: "a,b\r\n1,2\r\n", comma: ','},
		{name: "CR before EOF", input: "a,b\r\n1,2\r", comma: ','},
		{name: "lone CR inside", input: "a\rb,c\n", comma: ','},
		{name: "blank lines", input: "\n\na,b\n\n\n1,2\n\n", comma: ','},
		{name: "empty fields", input: ",,\n,\n", comma: ','},
		{name: "empty input", input: "", comma: ','},
		{name: "only newlines", input: "\n\r\n\n", comma: ','},
		{name: "quoted", input: `"a","b,c","d""e"` + "\n", comma: ','},
		{name: "quoted multi-line", input: "x,\"l1\nl2\r\nl3\",y\nz,w\n", comma: ','},
		{name: "quoted empty", input: `"",""` + "\n", comma: ','},
		{name: "bare quote", input: "a,b\"c,d\nnext,row\n", comma: ','},
		{name: "text after closing quote", input: "a,\"b\"c,d\nnext,row\n", comma: ','},
		{name: "unclosed quote", input: "a,\"b\nc,d\n", comma: ','},
		{name: "unclosed quote at EOF", input: "a,\"b", comma: ','},
		{name: "quote then EOF", input: "a,\"b\"", comma: ','},
		{name: "semicolon", input: "a;b;\"c;d\"\n1;2;3\n", comma: ';'},
		{name: "tab", input: "a\tb\n1\t\"2\t3\"\n", comma: '\t'},
		{name: "pipe with commas", input: "a,b|c\n", comma: '|'},
		{name: "multi-byte delimiter", input: "aéb\"c\"é\n1é2\n", comma: 'é'},
		{name: "long line", input: long + "," + long + "\nx\n", comma: ','},
		{name: "long quoted line", input: `"` + long + `""` + long + `",y` + "\n", comma: ','},
		{name: "long blank-free line without newline", input: long, comma: ','},
		{name: "invalid utf-8", input: "\xff,\xfe\"\n", comma: ','},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireSameAsEncodingCSV(t, tt.input, tt.comma)
		})
	}
	t.Run("random", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		pieces := []string{"a", "bc", ",", ";", "\t", `"`, `""`, "\n", "\r\n", "\r", " ", "é", "\xff", strings.Repeat("y", 1500)}
		commas := []rune{',', ';', '\t', 'é'}
		for range 3000 {
			var sb strings.Builder
			for range rng.IntN(40) {
				sb.WriteString(pieces[rng.IntN(len(pieces))])
			}
			requireSameAsEncodingCSV(t, sb.String(), commas[rng.IntN(len(commas))])
		}
	})
}

func FuzzCSVParserMatchesEncodingCSV(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "x,\"l1\nl2\",y\r\n", "a,b\"c\n\"d\"e\n", "\n\na;b\r", "\"unclosed\n,"} {
		f.Add(s, uint8(0))
	}
	commas := []rune{',', ';', '\t', '|', 'é'}
	f.Fuzz(func(t *testing.T, input string, c uint8) {
		requireSameAsEncodingCSV(t, input, commas[int(c)%len(commas)])
	})
}
