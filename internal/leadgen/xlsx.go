package leadgen

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
)

// XLSXOptions shape a generated workbook.
type XLSXOptions struct {
	Sheet    string // default "Leads"
	Date1904 bool   // the Mac date system
}

// WriteXLSX writes a header and n generated rows as a workbook the way Excel
// does: text through the shared-strings table, Account ID as a number, Zip
// as a number shown through 00000, Lead Date as a serial number shown
// through m/d/yy h:mm.
func WriteXLSX(path string, n int, seed uint64, accounts int, opts XLSXOptions) error {
	if opts.Sheet == "" {
		opts.Sheet = "Leads"
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("leadgen: %w", err)
	}
	// Strings are spilled to a temp file as they are first used, so a
	// million-row workbook is written without holding its strings.
	spill, err := os.CreateTemp("", "leadgen-sst-*")
	if err != nil {
		f.Close()
		return fmt.Errorf("leadgen: %w", err)
	}
	defer os.Remove(spill.Name())
	defer spill.Close()
	err = writeWorkbook(f, spill, n, seed, accounts, opts)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// sst numbers shared strings. Repeated vocabulary is looked up; values
// unique by construction (ids, emails) skip the map.
type sst struct {
	w     *bufio.Writer
	index map[string]int
	count int // references
	uniq  int
}

func (s *sst) add(v string, lookup bool) int {
	s.count++
	if lookup {
		if i, ok := s.index[v]; ok {
			return i
		}
		s.index[v] = s.uniq
	}
	s.w.WriteString("<si><t xml:space=\"preserve\">")
	_ = xml.EscapeText(s.w, []byte(v))
	s.w.WriteString("</t></si>")
	s.uniq++
	return s.uniq - 1
}

func writeWorkbook(out io.Writer, spill *os.File, n int, seed uint64, accounts int, opts XLSXOptions) error {
	z := zip.NewWriter(out)
	static := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="%d"/><sheets><sheet name="%s" sheetId="1" r:id="rId1"/></sheets></workbook>`,
			b2i(opts.Date1904), xmlEscape(opts.Sheet)),
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/styles.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="00000"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`,
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"} {
		w, err := z.Create(name)
		if err != nil {
			return fmt.Errorf("leadgen: %w", err)
		}
		if _, err := io.WriteString(w, static[name]); err != nil {
			return fmt.Errorf("leadgen: %w", err)
		}
	}
	sw, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return fmt.Errorf("leadgen: %w", err)
	}
	bw := bufio.NewWriterSize(sw, 1<<20)
	strs := &sst{w: bufio.NewWriterSize(spill, 1<<20), index: map[string]int{}}
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	cell := func(col, row int, attrs, v string) {
		fmt.Fprintf(bw, `<c r="%s%d"%s><v>%s</v></c>`, colName(col), row, attrs, v)
	}
	str := func(col, row int, v string, lookup bool) {
		if v == "" {
			return
		}
		cell(col, row, ` t="s"`, strconv.Itoa(strs.add(v, lookup)))
	}
	bw.WriteString(`<row r="1">`)
	for i, h := range Header() {
		str(i, 1, h, true)
	}
	bw.WriteString(`</row>`)
	g := New(seed, accounts)
	for i := range n {
		r := g.Next()
		row := i + 2
		fmt.Fprintf(bw, `<row r="%d">`, row)
		cell(0, row, "", r.Account)
		str(1, row, r.ExternalID, false)
		str(2, row, r.First, true)
		str(3, row, r.Last, true)
		str(4, row, r.Phone, false)
		str(5, row, r.Email, false)
		str(6, row, r.Street, true)
		str(7, row, r.City, true)
		str(8, row, r.State, true)
		cell(9, row, ` s="2"`, strconv.Itoa(r.Zip))
		cell(10, row, ` s="1"`, strconv.FormatFloat(Serial(r.Date, opts.Date1904), 'g', -1, 64))
		str(11, row, r.IP, false)
		str(12, row, r.Jornaya, false)
		str(13, row, r.TrustedForm, false)
		str(14, row, r.CartURL, true)
		str(15, row, r.Discount, true)
		bw.WriteString(`</row>`)
	}
	bw.WriteString(`</sheetData></worksheet>`)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("leadgen: %w", err)
	}
	if err := strs.w.Flush(); err != nil {
		return fmt.Errorf("leadgen: %w", err)
	}
	ssw, err := z.Create("xl/sharedStrings.xml")
	if err != nil {
		return fmt.Errorf("leadgen: %w", err)
	}
	fmt.Fprintf(ssw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
		`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, strs.count, strs.uniq)
	if _, err := spill.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("leadgen: %w", err)
	}
	if _, err := io.Copy(ssw, spill); err != nil {
		return fmt.Errorf("leadgen: %w", err)
	}
	io.WriteString(ssw, `</sst>`)
	if err := z.Close(); err != nil {
		return fmt.Errorf("leadgen: %w", err)
	}
	return nil
}

// Serial is t as a spreadsheet serial number (days since the epoch of the
// 1900 or 1904 date system, fraction of a day for the time).
func Serial(t time.Time, date1904 bool) float64 {
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		epoch = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return t.Sub(epoch).Hours() / 24
}

func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func xmlEscape(s string) string {
	var b []byte
	w := &byteWriter{b: b}
	_ = xml.EscapeText(w, []byte(s))
	return string(w.b)
}

type byteWriter struct{ b []byte }

func (w *byteWriter) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }
