package source

import (
	"archive/zip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// updateFixtures regenerates testdata/*.xlsx: go test ./importer -run TestGenerateFixtures -update-fixtures
var updateFixtures = flag.Bool("update-fixtures", false, "rewrite the XLSX fixtures under testdata/")

// fixtureBuilders make the committed XLSX fixtures with excelize, the way a user's tool would.
func fixtureBuilders() map[string]func(t testing.TB) *excelize.File {
	return map[string]func(t testing.TB) *excelize.File{
		"leads.xlsx":    buildLeadsFixture,
		"date1904.xlsx": buildDate1904Fixture,
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

// xlsxParts is a hand-written workbook: the parts a spreadsheet writer might produce, for
// shapes excelize does not write (inline strings, prefixes, CDATA, lying zip headers).
type xlsxParts struct {
	sheet     string // the <sheetData> content
	shared    []string
	numFmts   string // <numFmts> content
	xfs       []int  // numFmtId per cell style
	date1904  bool
	prefix    string // element prefix for the sheet, e.g. "x:"
	dimension string // <dimension ref>, if any
	extra     map[string]string
}

func writeXLSX(t testing.TB, dir string, p xlsxParts) string {
	t.Helper()
	path := filepath.Join(dir, "book.xlsx")
	out, err := os.Create(path)
	require.NoError(t, err)
	zw := zip.NewWriter(out)
	add := func(name, body string) {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	add("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	add("_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	pr := ""
	if p.date1904 {
		pr = `<workbookPr date1904="1"/>`
	}
	add("xl/workbook.xml", `<?xml version="1.0"?><workbook `+ns+`>`+pr+`<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	add("xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>`+
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/>`+
		`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)
	var xfs strings.Builder
	for _, id := range p.xfs {
		fmt.Fprintf(&xfs, `<xf numFmtId="%d"/>`, id)
	}
	add("xl/styles.xml", `<?xml version="1.0"?><styleSheet `+ns+`><numFmts>`+p.numFmts+`</numFmts><cellXfs>`+xfs.String()+`</cellXfs></styleSheet>`)
	var sst strings.Builder
	for _, s := range p.shared {
		sst.WriteString("<si>" + s + "</si>")
	}
	add("xl/sharedStrings.xml", `<?xml version="1.0"?><sst `+ns+`>`+sst.String()+`</sst>`)
	x := p.prefix
	sheetNS := `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	if x != "" {
		sheetNS = `xmlns:` + strings.TrimSuffix(x, ":") + `="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	}
	dim := ""
	if p.dimension != "" {
		dim = `<` + x + `dimension ref="` + p.dimension + `"/>`
	}
	add("xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
		`<`+x+`worksheet `+sheetNS+`>`+dim+`<`+x+`sheetData>`+p.sheet+`</`+x+`sheetData></`+x+`worksheet>`)
	for name, body := range p.extra {
		add(name, body)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, out.Close())
	return path
}
