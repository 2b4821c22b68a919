// Package xlsxtest writes small workbooks from hand-written XML for tests: the shapes
// spreadsheet writers produce and the ones no writer does (self-closing shared strings,
// prefixes, hidden sheets, hostile parts), which excelize's writer cannot make.
package xlsxtest

import (
	"archive/zip"
	"fmt"
	"os"
	"strings"
)

// NS is the SpreadsheetML namespace with the relationships prefix r.
const NS = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// Sheet is one sheet of a Book.
type Sheet struct {
	Name  string
	State string // "", "hidden" or "veryHidden"
	Chart bool   // a chart sheet (no data)
	// Data is the content of <sheetData>; After is what follows it (e.g. <mergeCells>).
	Data, After string
	Dimension   string // <dimension ref>, if any
	Prefix      string // element prefix, e.g. "x:"
}

// Book is a workbook to write. Shared holds the inside of each <si> (nil Shared and
// RawShared: no shared-strings part); RawShared, when set, is the whole <sst> content.
type Book struct {
	Sheets    []Sheet
	Shared    []string
	RawShared string
	NumFmts   string // <numFmts> content
	Xfs       []int  // numFmtId per cell format
	Date1904  bool
	Workbook  string            // when set, replaces xl/workbook.xml
	Extra     map[string]string // more parts, by name
}

// Write writes the book to path.
func Write(path string, b Book) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(out)
	add := func(name, body string) {
		if err != nil {
			return
		}
		var w interface{ Write([]byte) (int, error) }
		if w, err = zw.Create(name); err == nil {
			_, err = w.Write([]byte(body))
		}
	}
	add("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	add("_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	var sheets, rels strings.Builder
	for i, s := range b.Sheets {
		state := ""
		if s.State != "" {
			state = ` state="` + s.State + `"`
		}
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d"%s r:id="rIdS%d"/>`, escape(s.Name), i+1, state, i+1)
		typ, target := "worksheet", fmt.Sprintf("worksheets/sheet%d.xml", i+1)
		if s.Chart {
			typ, target = "chartsheet", fmt.Sprintf("chartsheets/sheet%d.xml", i+1)
		}
		fmt.Fprintf(&rels, `<Relationship Id="rIdS%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/%s" Target="%s"/>`, i+1, typ, target)
		if s.Chart {
			add("xl/"+target, `<?xml version="1.0"?><chartsheet `+NS+`/>`)
			continue
		}
		x := s.Prefix
		sheetNS := `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
		if x != "" {
			sheetNS = `xmlns:` + strings.TrimSuffix(x, ":") + `="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
		}
		dim := ""
		if s.Dimension != "" {
			dim = `<` + x + `dimension ref="` + s.Dimension + `"/>`
		}
		add("xl/"+target, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
			`<`+x+`worksheet `+sheetNS+`>`+dim+`<`+x+`sheetData>`+s.Data+`</`+x+`sheetData>`+s.After+`</`+x+`worksheet>`)
	}
	pr := ""
	if b.Date1904 {
		pr = `<workbookPr date1904="1"/>`
	}
	wb := b.Workbook
	if wb == "" {
		wb = `<?xml version="1.0"?><workbook ` + NS + `>` + pr + `<sheets>` + sheets.String() + `</sheets></workbook>`
	}
	add("xl/workbook.xml", wb)
	rels.WriteString(`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="/xl/styles.xml"/>`)
	if b.Shared != nil || b.RawShared != "" {
		rels.WriteString(`<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`)
		sst := b.RawShared
		if sst == "" {
			var sb strings.Builder
			for _, s := range b.Shared {
				sb.WriteString("<si>" + s + "</si>")
			}
			sst = sb.String()
		}
		add("xl/sharedStrings.xml", `<?xml version="1.0"?><sst `+NS+`>`+sst+`</sst>`)
	}
	add("xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels.String()+`</Relationships>`)
	var xfs strings.Builder
	for _, id := range b.Xfs {
		fmt.Fprintf(&xfs, `<xf numFmtId="%d"/>`, id)
	}
	add("xl/styles.xml", `<?xml version="1.0"?><styleSheet `+NS+`><numFmts>`+b.NumFmts+`</numFmts><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs>`+xfs.String()+`</cellXfs></styleSheet>`)
	for name, body := range b.Extra {
		add(name, body)
	}
	if err != nil {
		out.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// OneSheet is a book of one sheet named "Data" with the given <sheetData> content.
func OneSheet(data string, shared ...string) Book {
	return Book{Sheets: []Sheet{{Name: "Data", Data: data}}, Shared: shared}
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
