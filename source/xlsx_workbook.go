package source

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// workbook is what the sheet reader needs from the parts around a sheet.
type workbook struct {
	zip        *zip.ReadCloser
	byName     map[string]*zip.File // part name (lower case, no leading slash) -> entry
	partLimit  int64
	sheets     []sheetEntry
	date1904   bool
	styles     []cellFormat // by cell style index (the s attribute)
	sharedPart string       // the shared-strings part's name, from the relationships
	shared     sharedTable  // the shared strings
}

type sheetEntry struct {
	name string
	part string // part name, "" when the relationship is not a worksheet (a chart sheet)
}

// openWorkbook opens the zip, refuses one that inflates past the limits, and reads the
// workbook, relationships, styles and shared strings.
func openWorkbook(ctx context.Context, file string, totalLimit, partLimit int64) (_ *workbook, err error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotXLSX, err)
	}
	defer func() {
		if err != nil {
			_ = zr.Close()
		}
	}()
	wb := &workbook{zip: zr, byName: make(map[string]*zip.File, len(zr.File)), partLimit: partLimit}
	var total uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		total += size
		switch {
		case size > uint64(partLimit):
			return nil, fmt.Errorf("part %s inflates to %d bytes, over the %d-byte limit: %w", f.Name, size, partLimit, ErrZipTooLarge)
		case total > uint64(totalLimit):
			return nil, fmt.Errorf("parts inflate to over %d bytes: %w", totalLimit, ErrZipTooLarge)
		}
		wb.byName[strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/"))] = f
	}
	if err := wb.readStructure(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := wb.readSharedStrings(ctx); err != nil {
		return nil, err
	}
	return wb, nil
}

func (wb *workbook) Close() error { return wb.zip.Close() }

// open opens a part for streaming, guarded against inflating past the part limit even if
// its header lies about its size.
func (wb *workbook) open(name string) (io.ReadCloser, error) {
	f, ok := wb.byName[strings.ToLower(strings.TrimPrefix(name, "/"))]
	if !ok {
		return nil, fmt.Errorf("%w: part %s is missing", ErrNotXLSX, name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: part %s: %w", ErrNotXLSX, name, err)
	}
	return newReadAhead(&limitedPart{rc: rc, left: wb.partLimit, name: name}), nil
}

func (wb *workbook) has(name string) bool {
	_, ok := wb.byName[strings.ToLower(strings.TrimPrefix(name, "/"))]
	return ok
}

// decodePart unmarshals a small XML part.
func (wb *workbook) decodePart(name string, v any) error {
	rc, err := wb.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		if errors.Is(err, ErrZipTooLarge) {
			return err
		}
		return fmt.Errorf("%w: part %s: %w", ErrNotXLSX, name, err)
	}
	return nil
}

type xmlRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type xmlWorkbook struct {
	Pr struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []struct {
		Name  string     `xml:"name,attr"`
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"sheets>sheet"`
}

type xmlStyles struct {
	NumFmts []struct {
		ID   int    `xml:"numFmtId,attr"`
		Code string `xml:"formatCode,attr"`
	} `xml:"numFmts>numFmt"`
	CellXfs []struct {
		NumFmtID int `xml:"numFmtId,attr"`
	} `xml:"cellXfs>xf"`
}

// relTarget resolves a relationship target against the part that holds the relationship.
func relTarget(fromPart, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(target, "/")
	}
	return path.Join(path.Dir(fromPart), target)
}

func relsPartOf(part string) string {
	return path.Join(path.Dir(part), "_rels", path.Base(part)+".rels")
}

func (wb *workbook) readStructure() error {
	wbPart := "xl/workbook.xml"
	var root xmlRels
	if wb.has("_rels/.rels") {
		if err := wb.decodePart("_rels/.rels", &root); err != nil {
			return err
		}
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				wbPart = relTarget("", r.Target)
			}
		}
	}
	var w xmlWorkbook
	if err := wb.decodePart(wbPart, &w); err != nil {
		return err
	}
	wb.date1904 = w.Pr.Date1904 == "1" || strings.EqualFold(w.Pr.Date1904, "true")
	var rels xmlRels
	if err := wb.decodePart(relsPartOf(wbPart), &rels); err != nil {
		return err
	}
	targets := make(map[string]string, len(rels.Rels))
	stylesPart := ""
	for _, r := range rels.Rels {
		switch {
		case strings.HasSuffix(r.Type, "/worksheet"):
			targets[r.ID] = relTarget(wbPart, r.Target)
		case strings.HasSuffix(r.Type, "/styles"):
			stylesPart = relTarget(wbPart, r.Target)
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			wb.sharedPart = relTarget(wbPart, r.Target)
		}
	}
	for _, s := range w.Sheets {
		e := sheetEntry{name: s.Name}
		for _, a := range s.Attrs {
			if a.Name.Local == "id" && a.Name.Space != "" {
				e.part = targets[a.Value]
			}
		}
		wb.sheets = append(wb.sheets, e)
	}
	if stylesPart != "" && wb.has(stylesPart) {
		var st xmlStyles
		if err := wb.decodePart(stylesPart, &st); err != nil {
			return err
		}
		custom := make(map[int]string, len(st.NumFmts))
		for _, nf := range st.NumFmts {
			custom[nf.ID] = nf.Code
		}
		wb.styles = make([]cellFormat, len(st.CellXfs))
		for i, xf := range st.CellXfs {
			wb.styles[i] = classifyNumFmt(xf.NumFmtID, custom)
		}
	}
	return nil
}

// style returns the number format of a cell style index.
func (wb *workbook) style(s int) cellFormat {
	if s >= 0 && s < len(wb.styles) {
		return wb.styles[s]
	}
	return cellFormat{}
}

// sheet finds a sheet by name (exact, then case-insensitive), or the first worksheet.
func (wb *workbook) sheet(name string) (sheetEntry, error) {
	names := make([]string, len(wb.sheets))
	for i, s := range wb.sheets {
		names[i] = s.name
	}
	pick := -1
	if name == "" {
		for i, s := range wb.sheets {
			if s.part != "" {
				pick = i
				break
			}
		}
		if pick < 0 {
			return sheetEntry{}, fmt.Errorf("%w: the workbook has no worksheet", ErrNotXLSX)
		}
	} else {
		for i, s := range wb.sheets {
			if s.name == name {
				pick = i
				break
			}
		}
		for i, s := range wb.sheets {
			if pick < 0 && strings.EqualFold(s.name, name) {
				pick = i
			}
		}
		if pick < 0 {
			return sheetEntry{}, &SheetNotFoundError{Sheet: name, Sheets: names}
		}
	}
	s := wb.sheets[pick]
	if s.part == "" || !wb.has(s.part) {
		return sheetEntry{}, fmt.Errorf("sheet %q is not a worksheet: %w", s.name, ErrNotXLSX)
	}
	return s, nil
}

// readSharedStrings packs the shared string table into one string plus end offsets, so a
// cell's text is a substring and costs no allocation per cell.
func (wb *workbook) readSharedStrings(ctx context.Context) error {
	part := wb.sharedPart
	if part == "" {
		part = "xl/sharedStrings.xml"
	}
	if !wb.has(part) {
		return nil
	}
	rc, err := wb.open(part)
	if err != nil {
		return err
	}
	defer rc.Close()
	sc := newXMLScanner(bufio.NewReaderSize(rc, 64<<10))
	var text []byte // one string's text, reused
	for {
		tag, err := sc.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return sharedStringsError(err)
		}
		if tag.kind != tagOpen || string(tag.name) != "si" {
			continue
		}
		if wb.shared.len()%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if text, err = sc.appendRichText(text[:0], "si"); err != nil {
			return sharedStringsError(err)
		}
		wb.shared.add(text)
	}
	wb.shared.finish()
	return nil
}

func sharedStringsError(err error) error {
	if errors.Is(err, ErrZipTooLarge) {
		return err
	}
	return fmt.Errorf("%w: shared strings: %w", ErrNotXLSX, err)
}

// sharedString returns shared string i.
func (wb *workbook) sharedString(i int) (string, bool) { return wb.shared.get(i) }

// limitedPart fails a part that inflates past its limit.
type limitedPart struct {
	rc   io.ReadCloser
	left int64
	name string
}

func (l *limitedPart) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// The limit is reached: one more byte means the part is too large.
		var b [1]byte
		n, err := l.rc.Read(b[:])
		if n > 0 {
			return 0, fmt.Errorf("part %s inflates past its limit: %w", l.name, ErrZipTooLarge)
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.rc.Read(p)
	l.left -= int64(n)
	switch {
	case errors.Is(err, zip.ErrFormat): // archive/zip's answer to a part inflating past its declared size
		return n, fmt.Errorf("part %s inflates past its declared size: %w (%w)", l.name, ErrZipTooLarge, err)
	case errors.Is(err, zip.ErrChecksum):
		return n, fmt.Errorf("part %s is damaged: %w (%w)", l.name, ErrNotXLSX, err)
	}
	return n, err
}

func (l *limitedPart) Close() error { return l.rc.Close() }

// parseIntAttr parses a non-negative decimal attribute; -1 when absent or bad.
func parseIntAttr(b []byte) int {
	if len(b) == 0 {
		return -1
	}
	n, err := strconv.Atoi(string(b))
	if err != nil || n < 0 {
		return -1
	}
	return n
}
