package xlsx

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xonvo/xonvo-import/source/xlsx/xlsxtest"
)

// The workbook generator of FuzzXLSXMatchesExcelize. The fuzz input is a stream of
// choices; when it runs out every choice is 0, so any input makes a workbook. Parts
// are written by hand so the shapes excelize's writer never makes are there too:
// <si/>, <si><t/></si>, rich text with phonetic runs, several <t>, CR LF, comments
// and CDATA in text, _xHHHH_ escapes (split across runs too), cells and rows without
// references, sparse rows, formula results, errors, dates in both systems.

type choices struct {
	b []byte
	i int
}

func (c *choices) pick(n int) int {
	if c.i >= len(c.b) || n <= 1 {
		c.i++
		return 0
	}
	v := int(c.b[c.i]) % n
	c.i++
	return v
}

// textPieces are what text is made of, as written in the part.
var textPieces = []string{
	"a", "Bob", " ", "  lead ", "EXT-A", "&amp;", "&lt;x&gt;", "&quot;&apos;", "&#233;", "&#x20AC;",
	"_x000D_", "_x005F_x0041_", "_x00", "41_", "_xD800_", "_x0041", "_X0041_", "\r\n", "\r", "\n", "\t",
	"<![CDATA[<b>&amp;</b>]]>", "<!-- note -->", "é", "日本", "0", "+1 (206) 555-0100", "=SUM(A1)",
}

func (c *choices) text() string {
	var b strings.Builder
	for n := c.pick(5); n > 0; n-- {
		b.WriteString(textPieces[c.pick(len(textPieces))])
	}
	return b.String()
}

func (c *choices) t() string {
	if c.pick(3) == 0 {
		return `<t xml:space="preserve">` + c.text() + `</t>`
	}
	return `<t>` + c.text() + `</t>`
}

// item is the content of a string item (<si> or <is>); "" makes a self-closing one.
func (c *choices) item() string {
	switch c.pick(7) {
	case 0:
		return ""
	case 1:
		return "<t/>"
	case 2, 3:
		return c.t()
	case 4: // rich text, perhaps after the item's own text
		var b strings.Builder
		if c.pick(2) == 0 {
			b.WriteString(c.t())
		}
		for n := 1 + c.pick(3); n > 0; n-- {
			b.WriteString("<r>")
			if c.pick(2) == 0 {
				b.WriteString(`<rPr><b/><sz val="11"/><rFont val="Calibri"/></rPr>`)
			}
			b.WriteString(c.t() + "</r>")
		}
		return b.String()
	case 5: // phonetic runs and properties are not text
		return c.t() + `<rPh sb="0" eb="1"><t>フリガナ</t></rPh><phoneticPr fontId="1" type="noConversion"/>`
	default: // several <t>: the last counts
		return c.t() + c.t()
	}
}

// cellKind is what a generated cell holds, which says how to compare it.
type cellKind uint8

const (
	kindNone     cellKind = iota
	kindText              // shared, inline, formula string, error: as excelize's raw value
	kindBool              // as excelize's formatted value
	kindNumber            // General: excelize's formatted value, or the same float
	kindDigits            // 00000: excelize's formatted value
	kindDateTime          // a date style: excelize's date of the raw serial
	kindTime              // a time style on a serial under 1: the time of day
)

// genBook is a generated workbook and what each cell is.
type genBook struct {
	book  xlsxtest.Book
	kinds map[[2]int]cellKind // {row, col} -> kind
}

// Cell formats of generated workbooks: 0 General, 1 date-time (builtin 22), 2 00000,
// 3 custom date-time, 4 time (builtin 21), 5 custom time.
const genXfs = `yyyy\-mm\-dd\ hh:mm:ss`

var (
	generalNumbers = []string{"0", "42", "-7", "3.14", "1.5E+20", "1E-7", "12345678901234", "1234567890123456", "0.1", "007", "2.5e3", "-0.5"}
	digitNumbers   = []string{"2134", "90210", "0", "123456", "7", "0098"}
	errorValues    = []string{"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?"}
)

func generate(input []byte) genBook {
	c := &choices{b: input}
	g := genBook{kinds: map[[2]int]cellKind{}}
	g.book.Date1904 = c.pick(4) == 0
	g.book.NumFmts = `<numFmt numFmtId="164" formatCode="00000"/><numFmt numFmtId="165" formatCode="` + genXfs + `"/><numFmt numFmtId="166" formatCode="hh:mm:ss"/>`
	g.book.Xfs = []int{0, 22, 164, 165, 21, 166}
	nShared := c.pick(9)
	for range nShared {
		if it := c.item(); it == "" {
			g.book.RawShared += "<si/>"
		} else {
			g.book.RawShared += "<si>" + it + "</si>"
		}
	}
	if nShared == 0 && c.pick(2) == 0 {
		g.book.RawShared = "<!-- no strings -->"
	}
	var data strings.Builder
	rowNum := 0
	for rows := 1 + c.pick(12); rows > 0; rows-- {
		step := 1 + c.pick(3)
		rowNum += step
		if step == 1 && c.pick(2) == 0 {
			data.WriteString("<row>")
		} else {
			fmt.Fprintf(&data, `<row r="%d" spans="1:8">`, rowNum)
		}
		col := 0
		for cells := c.pick(9); cells > 0; cells-- {
			step := 1 + c.pick(2)
			col += step
			ref := ` r="` + cellName(col, rowNum) + `"`
			if step == 1 && c.pick(3) == 0 {
				ref = ""
			}
			cell, kind := c.cell(ref, nShared)
			data.WriteString(cell)
			if kind != kindNone {
				g.kinds[[2]int{rowNum, col}] = kind
			}
		}
		data.WriteString("</row>")
	}
	g.book.Sheets = []xlsxtest.Sheet{{Name: "Data", Data: data.String()}}
	return g
}

// cell makes one <c>.
func (c *choices) cell(ref string, nShared int) (string, cellKind) {
	switch c.pick(12) {
	case 0:
		if nShared > 0 {
			return fmt.Sprintf(`<c%s t="s"><v>%d</v></c>`, ref, c.pick(nShared)), kindText
		}
		return fmt.Sprintf(`<c%s s="1"/>`, ref), kindNone
	case 1:
		if it := c.item(); it != "" {
			return fmt.Sprintf(`<c%s t="inlineStr"><is>%s</is></c>`, ref, it), kindText
		}
		return fmt.Sprintf(`<c%s t="inlineStr"><is/></c>`, ref), kindText
	case 2, 3:
		return fmt.Sprintf(`<c%s><v>%s</v></c>`, ref, generalNumbers[c.pick(len(generalNumbers))]), kindNumber
	case 4:
		return fmt.Sprintf(`<c%s s="2"><v>%s</v></c>`, ref, digitNumbers[c.pick(len(digitNumbers))]), kindDigits
	case 5:
		// Whole seconds from 1900-03-02 on (excelize reckons earlier dates in the Julian calendar).
		days := 62 + c.pick(256)*c.pick(256) + c.pick(256)
		secs := c.pick(256) * c.pick(256) * 2 % 86400
		serial := float64(days) + float64(secs)/86400
		style := []int{1, 3}[c.pick(2)]
		return fmt.Sprintf(`<c%s s="%d"><v>%s</v></c>`, ref, style, strconv.FormatFloat(serial, 'f', -1, 64)), kindDateTime
	case 6:
		secs := c.pick(256) * c.pick(256) * 2 % 86400
		style := []int{4, 5}[c.pick(2)]
		return fmt.Sprintf(`<c%s s="%d"><v>%s</v></c>`, ref, style, strconv.FormatFloat(float64(secs)/86400, 'f', -1, 64)), kindTime
	case 7:
		return fmt.Sprintf(`<c%s t="b"><v>%d</v></c>`, ref, c.pick(2)), kindBool
	case 8:
		return fmt.Sprintf(`<c%s t="e"><f>1/0</f><v>%s</v></c>`, ref, errorValues[c.pick(len(errorValues))]), kindText
	case 9:
		return fmt.Sprintf(`<c%s t="str"><f>A1&amp;"x"</f><v>%s</v></c>`, ref, c.text()), kindText
	case 10:
		return fmt.Sprintf(`<c%s s="%d"/>`, ref, c.pick(6)), kindNone
	default: // a shared string in a date style: still text
		if nShared > 0 {
			return fmt.Sprintf(`<c%s t="s" s="1"><v>%d</v></c>`, ref, c.pick(nShared)), kindText
		}
		return fmt.Sprintf(`<c%s><f>A1</f></c>`, ref), kindNone
	}
}
