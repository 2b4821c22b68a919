package xlsx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/source/xlsx/xlsxtest"
)

// Hostile workbooks: each is small on disk and inflates to up to ~0.9 GB. Each is read
// in a child process (this test binary, re-run) that reports what it read and its peak
// RSS (VmHWM), which must stay under maxHostileRSS.

const maxHostileRSS = 300 << 20

var sizes = regexp.MustCompile(`is [0-9.]+ MiB,`)

// hugeSize is how much the hostile part inflates to: under the 1 GiB part limit. The
// race detector makes reading it take minutes, so under it the parts are smaller (and
// peak RSS, which it multiplies, is not asserted).
var hugeSize = map[bool]int{false: 900 << 20, true: 48 << 20}[raceEnabled]

// writeHostile writes a one-sheet workbook whose part name is replaced by the stream.
func writeHostile(t *testing.T, b xlsxtest.Book, part string, s xlsxtest.Stream) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hostile.xlsx")
	require.NoError(t, xlsxtest.WriteStreamed(path, b, part, s))
	return path
}

// childReport is what the child process read.
type childReport struct {
	Err      string   `json:"err"`
	Kinds    []string `json:"kinds"` // sentinels the error matches
	Problems []string `json:"problems"`
	Rows     int      `json:"rows"`
	PeakKB   int64    `json:"peak_kb"`
}

func TestHostileWorkbooks(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads ~1 GB inflated per case")
	}
	header := `<row r="1"><c r="A1" t="inlineStr"><is><t>h</t></is></c></row>`
	sheet := "xl/worksheets/sheet1.xml"
	sheetStream := func(data string, body string, tail string) xlsxtest.Stream {
		return xlsxtest.Stream{Head: `<worksheet ` + xlsxtest.NS + `><sheetData>` + header + data, Body: body, N: hugeSize, Tail: tail + `</sheetData></worksheet>`}
	}
	oneSheet := xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S"}}, Shared: []string{"<t>x</t>"}}
	tests := []struct {
		name     string
		part     string
		s        xlsxtest.Stream
		err      error  // the read fails with it, or
		problems string // the rows' problems, joined by |, sizes as "N MiB"
		rows     int
	}{
		{
			name:     "one huge <v>",
			part:     sheet,
			s:        sheetStream(`<row r="7"><c r="A7"><v>1</v></c><c r="C7"><v>`, "1234567890", `</v></c></row><row r="8"><c r="A8"><v>8</v></c></row>`),
			problems: "cell C7 is N MiB, over the 1 MiB limit",
			rows:     3,
		},
		{
			name:     "one huge shared string, used twice",
			part:     "xl/sharedStrings.xml",
			s:        xlsxtest.Stream{Head: `<sst ` + xlsxtest.NS + `><si><t>ok</t></si><si><t>`, Body: "Lorem ipsum ", N: hugeSize, Tail: `</t></si><si><t>after</t></si></sst>`},
			problems: "cell B2 is N MiB, over the 1 MiB limit|cell A3 is N MiB, over the 1 MiB limit",
			rows:     3,
		},
		{
			name:     "one huge inline string",
			part:     sheet,
			s:        sheetStream(`<row r="2"><c r="B2" t="inlineStr"><is><r><t>`, "abc&amp;", `</t></r></is></c></row>`),
			problems: "cell B2 is N MiB, over the 1 MiB limit",
			rows:     2,
		},
		{
			name:     "a row of many large cells",
			part:     sheet,
			s:        sheetStream(`<row r="2">`, `<c t="inlineStr"><is><t>`+strings.Repeat("y", 1<<19)+`</t></is></c>`, `</row>`),
			problems: "cells from AG2 on dropped: the row holds over 16 MiB of text",
			rows:     2,
		},
		{
			name: "deep nesting in workbook.xml",
			part: "xl/workbook.xml",
			s:    xlsxtest.Stream{Head: `<workbook ` + xlsxtest.NS + `>`, Body: "<a>", N: 70 << 10, Tail: ""},
			err:  ErrTooDeep,
		},
		{
			name: "deep nesting in the sheet",
			part: sheet,
			s:    sheetStream(`<row r="2"><c r="A2"><v>`, "<x>", ""),
			err:  ErrTooDeep,
		},
		{
			name: "a huge tag",
			part: sheet,
			s:    sheetStream(`<row r="2"><c r="A2" x="`, "a", `"/></row>`),
			err:  ErrTagTooLarge,
		},
		{
			name: "a huge comment between rows",
			part: sheet,
			s:    sheetStream(`<!--`, "- -", `--><row r="2"><c r="A2"><v>2</v></c></row>`),
			rows: 2,
		},
		{
			name: "hundreds of millions of empty shared strings",
			part: "xl/sharedStrings.xml",
			s:    xlsxtest.Stream{Head: `<sst ` + xlsxtest.NS + `><si><t>ok</t></si>`, Body: "<si/>", N: hugeSize / 4, Tail: `</sst>`},
			rows: 1, // the cells use strings 1 and 2: empty
		},
		{
			name: "over a million vertical merges",
			part: sheet,
			s:    xlsxtest.Stream{Head: `<worksheet ` + xlsxtest.NS + `><sheetData>` + header + `</sheetData><mergeCells>`, Body: `<mergeCell ref="A1:A9"/>`, N: 24 * (1<<20 + 1), Tail: `</mergeCells></worksheet>`},
			err:  ErrTooMany,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := oneSheet
			b.Sheets = []xlsxtest.Sheet{{Name: "S", Data: header + `<row r="2"><c r="B2" t="s"><v>1</v></c></row><row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="s"><v>2</v></c></row>`}}
			path := writeHostile(t, b, tc.part, tc.s)
			info, err := os.Stat(path)
			require.NoError(t, err)
			assert.Less(t, info.Size(), int64(2<<20), "the hostile workbook is small on disk")

			rep := runChild(t, path)
			t.Logf("%s: %.1f MB on disk, peak RSS %.0f MB, %d rows, err %q", tc.name, float64(info.Size())/(1<<20), float64(rep.PeakKB)/1024, rep.Rows, rep.Err)
			if tc.err != nil {
				assert.Contains(t, rep.Kinds, tc.err.Error())
			} else {
				assert.Empty(t, rep.Err)
				assert.Equal(t, tc.problems, sizes.ReplaceAllString(strings.Join(rep.Problems, "|"), "is N MiB,"), "sizes differ by case")
				assert.Equal(t, tc.rows, rep.Rows)
			}
			if !raceEnabled {
				assert.Less(t, rep.PeakKB<<10, int64(maxHostileRSS), "peak RSS")
			}
		})
	}
}

// runChild reads path in a child process and returns its report.
func runChild(t *testing.T, path string) childReport {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileChild$", "-test.v")
	cmd.Env = append(os.Environ(), "XLSX_HOSTILE_PATH="+path)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, line := range strings.Split(string(out), "\n") {
		if s, ok := strings.CutPrefix(line, "REPORT "); ok {
			var rep childReport
			require.NoError(t, json.Unmarshal([]byte(s), &rep))
			return rep
		}
	}
	t.Fatalf("no report from the child: %s", out)
	return childReport{}
}

// TestHostileChild is the child of TestHostileWorkbooks; it does nothing on its own.
func TestHostileChild(t *testing.T) {
	path := os.Getenv("XLSX_HOSTILE_PATH")
	if path == "" {
		t.Skip("run by TestHostileWorkbooks")
	}
	var rep childReport
	rep.Problems = []string{}
	err := func() error {
		ctx := context.Background()
		wb, err := Open(ctx, path, Options{})
		if err != nil {
			return err
		}
		defer wb.Close()
		sr, err := wb.OpenSheet(ctx, "S")
		if err != nil {
			return err
		}
		defer sr.Close()
		for {
			r, err := sr.Next(ctx)
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			rep.Rows++
			if r.Problem != "" {
				rep.Problems = append(rep.Problems, r.Problem)
			}
		}
	}()
	if err != nil {
		rep.Err = err.Error()
		for _, k := range []error{ErrNotXLSX, ErrZipTooLarge, ErrTooDeep, ErrTagTooLarge, ErrTooMany} {
			if errors.Is(err, k) {
				rep.Kinds = append(rep.Kinds, k.Error())
			}
		}
	}
	rep.PeakKB = peakRSSKB(t)
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	fmt.Println("REPORT " + string(b))
}

// peakRSSKB reads this process's peak resident set size from /proc/self/status.
func peakRSSKB(t *testing.T) int64 {
	st, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status on this system")
	}
	for _, line := range strings.Split(string(st), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			require.NoError(t, err)
			return n
		}
	}
	t.Skip("no VmHWM in /proc/self/status")
	return 0
}
