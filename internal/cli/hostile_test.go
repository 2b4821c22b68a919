package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/source/xlsx/xlsxtest"
)

// TestHostileWorkbooksEndToEnd runs the binary on workbooks small on disk
// that inflate to ~900 MB inside the zip limits: one huge <v>, one huge
// shared string, deep nesting in workbook.xml. Each run must end with its
// peak RSS ≤ 300 MB and a report ≤ 20 MB (today's worst was 7.6 GB of RSS
// and a 2.8 GB report), the huge cell reported, never sent.
func TestHostileWorkbooksEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("inflates ~1 GB per case")
	}
	bin := buildBinary(t)
	const huge = 900 << 20
	header := `<row r="1"><c r="A1" t="inlineStr"><is><t>Phone</t></is></c><c r="B1" t="inlineStr"><is><t>Name</t></is></c></row>`
	row3 := `<row r="3"><c r="A3" t="inlineStr"><is><t>+12065550100</t></is></c><c r="B3" t="inlineStr"><is><t>Ann</t></is></c></row>`
	hugeV := xlsxtest.Stream{Head: `<worksheet ` + xlsxtest.NS + `><sheetData>` + header + `<row r="2"><c r="A2"><v>`,
		Body: "1234567890", N: huge, Tail: `</v></c></row>` + row3 + `</sheetData></worksheet>`}
	tests := []struct {
		name     string
		book     xlsxtest.Book
		part     string
		s        xlsxtest.Stream
		wantCode int
	}{
		{name: "one huge <v>", book: xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S"}}}, part: "xl/worksheets/sheet1.xml",
			s: hugeV, wantCode: ExitRowsNotSent},
		{name: "one huge shared string", part: "xl/sharedStrings.xml",
			book: xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Data: header +
				`<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="inlineStr"><is><t>Bob</t></is></c></row>` + row3}}, Shared: []string{"<t>x</t>"}},
			s:        xlsxtest.Stream{Head: `<sst ` + xlsxtest.NS + `><si><t>ok</t></si><si><t>`, Body: "Lorem ipsum ", N: huge, Tail: `</t></si></sst>`},
			wantCode: ExitRowsNotSent},
		{name: "deep nesting in workbook.xml", part: "xl/workbook.xml", book: xlsxtest.Book{Sheets: []xlsxtest.Sheet{{Name: "S", Data: header + row3}}},
			s: xlsxtest.Stream{Head: `<workbook ` + xlsxtest.NS + `>`, Body: "<a>", N: 70 << 10}, wantCode: ExitFailed},
	}
	mappingFile := filepath.Join(t.TempDir(), "m.yaml")
	require.NoError(t, os.WriteFile(mappingFile, []byte("version: 1\nfields:\n  phone: Phone\n  externalId: Name\n"), 0o600))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			book := filepath.Join(dir, "hostile.xlsx")
			require.NoError(t, xlsxtest.WriteStreamed(book, tc.book, tc.part, tc.s))
			report := filepath.Join(dir, "report.csv")
			// leads unsubscribe --dry-run: a list of keys, so a row needs only a phone.
			cmd := exec.Command(bin, "leads", "unsubscribe", book, "--mapping", mappingFile, "--dry-run", "--report", report, "--quiet")
			out, _ := cmd.CombinedOutput()
			assert.Equal(t, tc.wantCode, cmd.ProcessState.ExitCode(), string(out))
			peakKB := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
			t.Logf("%s: peak RSS %.1f MB", tc.name, float64(peakKB)/1024)
			assert.LessOrEqual(t, peakKB, int64(300<<10), "peak RSS in KB")
			if st, err := os.Stat(report); err == nil {
				t.Logf("%s: report %d bytes", tc.name, st.Size())
				assert.LessOrEqual(t, st.Size(), int64(20<<20))
				rows := readCSVReport(t, report)
				require.NotEmpty(t, rows)
				assert.Equal(t, "invalid", rows[0]["status"], "the row with the huge cell: %s", rows[0]["message"])
				assert.Contains(t, rows[0]["message"], "limit")
			}
		})
	}
}
