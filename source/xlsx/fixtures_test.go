package xlsx

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// updateFixtures regenerates testdata/*.xlsx: go test ./source/xlsx -run TestGenerateFixtures -update-fixtures
var updateFixtures = flag.Bool("update-fixtures", false, "rewrite the XLSX fixtures under testdata/")

// fixtureBuilders make the committed XLSX fixtures with excelize, the way a user's tool would.
func fixtureBuilders() map[string]func(t testing.TB) *excelize.File {
	return map[string]func(t testing.TB) *excelize.File{
		"leads.xlsx":    buildLeadsFixture,
		"date1904.xlsx": buildDate1904Fixture,
		"merged.xlsx":   buildMergedFixture,
	}
}

func TestGenerateFixtures(t *testing.T) {
	for name, build := range fixtureBuilders() {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name)
			if !*updateFixtures {
				_, err := os.Stat(path)
				require.NoError(t, err, "fixture missing: run with -update-fixtures")
				return
			}
			f := build(t)
			require.NoError(t, f.SaveAs(path))
			require.NoError(t, f.Close())
		})
	}
}

// serial1900 is t as a 1900-system serial date.
func serial1900(t time.Time) float64 {
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	return float64(t.Sub(base)) / float64(24*time.Hour)
}

func newStyle(t testing.TB, f *excelize.File, code string, builtin int) int {
	st := &excelize.Style{NumFmt: builtin}
	if code != "" {
		st = &excelize.Style{CustomNumFmt: &code}
	}
	id, err := f.NewStyle(st)
	require.NoError(t, err)
	return id
}

func set(t testing.TB, f *excelize.File, sheet, cell string, v any, style int) {
	require.NoError(t, f.SetCellValue(sheet, cell, v))
	if style > 0 {
		require.NoError(t, f.SetCellStyle(sheet, cell, cell, style))
	}
}

func buildLeadsFixture(t testing.TB) *excelize.File {
	f := excelize.NewFile()
	require.NoError(t, f.SetSheetName("Sheet1", "Leads"))
	_, err := f.NewSheet("Other")
	require.NoError(t, err)
	const s = "Leads"
	zip5 := newStyle(t, f, "00000", 0)
	dateTime := newStyle(t, f, "m/d/yy h:mm", 0)
	ssn := newStyle(t, f, "000-00-0000", 0)
	money := newStyle(t, f, "#,##0.00", 0)
	dateOnly := newStyle(t, f, "", 14)

	header := []string{"Name", "Zip", "Phone", "Big", "Ratio", "Active", "Lead Date", "SSN", "Amount", "Day"}
	for i, h := range header {
		set(t, f, s, fmt.Sprintf("%c1", 'A'+i), h, 0)
	}
	// Row 2: every kind of value.
	set(t, f, s, "A2", "José", 0)
	set(t, f, s, "B2", 2134, zip5)
	set(t, f, s, "C2", 5551234567, 0)
	set(t, f, s, "D2", 12345678901234, 0)
	require.NoError(t, f.SetCellFloat(s, "E2", 0.1, -1, 64))
	set(t, f, s, "F2", true, 0)
	require.NoError(t, f.SetCellFloat(s, "G2", serial1900(time.Date(2021, 6, 23, 22, 55, 23, 0, time.UTC)), -1, 64))
	require.NoError(t, f.SetCellStyle(s, "G2", "G2", dateTime))
	set(t, f, s, "H2", 12345678, ssn)
	require.NoError(t, f.SetCellFloat(s, "I2", 1234.5, -1, 64))
	require.NoError(t, f.SetCellStyle(s, "I2", "I2", money))
	set(t, f, s, "J2", 44370, dateOnly)
	// Row 3: styled but empty, so the row exists with no values.
	require.NoError(t, f.SetCellStyle(s, "A3", "C3", zip5))
	// Row 4: short.
	set(t, f, s, "A4", "Short", 0)
	set(t, f, s, "F4", false, 0)
	// Row 5: a value beyond the header.
	set(t, f, s, "A5", "Wide", 0)
	set(t, f, s, "L5", "stray", 0)
	// Row 6: half a second rounds up, 0.4 s rounds down.
	set(t, f, s, "A6", "Rounding", 0)
	require.NoError(t, f.SetCellFloat(s, "G6", serial1900(time.Date(2021, 6, 23, 22, 55, 23, 500e6, time.UTC)), -1, 64))
	require.NoError(t, f.SetCellFloat(s, "J6", serial1900(time.Date(2021, 6, 23, 22, 55, 23, 400e6, time.UTC)), -1, 64))
	require.NoError(t, f.SetCellStyle(s, "G6", "G6", dateTime))
	require.NoError(t, f.SetCellStyle(s, "J6", "J6", dateTime))
	// Row 7: rich text, a 16-digit number, a tiny ratio, markup characters.
	require.NoError(t, f.SetCellRichText(s, "A7", []excelize.RichTextRun{{Text: "Mü"}, {Text: "ller", Font: &excelize.Font{Bold: true}}}))
	set(t, f, s, "B7", 90210, zip5)
	set(t, f, s, "D7", 1234567890123456, 0)
	require.NoError(t, f.SetCellFloat(s, "E7", 1e-7, -1, 64))
	set(t, f, s, "H7", "<b>&\"'", 0)

	set(t, f, "Other", "A1", "Other header", 0)
	set(t, f, "Other", "A2", "other value", 0)
	return f
}

func buildDate1904Fixture(t testing.TB) *excelize.File {
	f := excelize.NewFile()
	on := true
	require.NoError(t, f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &on}))
	dt := newStyle(t, f, "yyyy-mm-dd hh:mm:ss", 0)
	set(t, f, "Sheet1", "A1", "Name", 0)
	set(t, f, "Sheet1", "B1", "When", 0)
	set(t, f, "Sheet1", "A2", "Ada", 0)
	// 1904 serial = 1900 serial - 1462 days.
	require.NoError(t, f.SetCellFloat("Sheet1", "B2", serial1900(time.Date(2021, 6, 23, 22, 55, 23, 0, time.UTC))-1462, -1, 64))
	require.NoError(t, f.SetCellStyle("Sheet1", "B2", "B2", dt))
	return f
}

// buildMergedFixture is the shape openpyxl and exceljs users send: a hidden first sheet
// of settings, then the leads with an account merged down over the rows it applies to,
// and a title merged across.
func buildMergedFixture(t testing.TB) *excelize.File {
	f := excelize.NewFile()
	require.NoError(t, f.SetSheetName("Sheet1", "Config"))
	set(t, f, "Config", "A1", "secret setting", 0)
	idx, err := f.NewSheet("Leads")
	require.NoError(t, err)
	f.SetActiveSheet(idx) // excelize does not hide the active sheet
	require.NoError(t, f.SetSheetVisible("Config", false))
	const s = "Leads"
	for i, h := range []string{"Account", "First", "Last", "Note"} {
		set(t, f, s, fmt.Sprintf("%c1", 'A'+i), h, 0)
	}
	rows := [][]string{{"18", "Ada", "Lovelace", "merged across"}, {"", "Bob", "Smith", ""}, {"", "Cy", "Young", ""}, {"19", "Di", "Prince", ""}}
	for r, row := range rows {
		for c, v := range row {
			if v != "" {
				set(t, f, s, fmt.Sprintf("%c%d", 'A'+c, r+2), v, 0)
			}
		}
	}
	require.NoError(t, f.MergeCell(s, "A2", "A4"))
	require.NoError(t, f.MergeCell(s, "D2", "D3"))
	require.NoError(t, f.MergeCell(s, "D5", "E5"))
	set(t, f, s, "D5", "across only", 0)
	return f
}
