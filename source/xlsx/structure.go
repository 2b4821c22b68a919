package xlsx

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// The workbook's small parts (relationships, workbook, styles) are read with the same
// scanner as the sheet, never encoding/xml: its depth and tag bounds hold for them too,
// and what is kept from them is capped here.
const (
	maxSheets     = 4096  // sheets listed in the workbook
	maxRels       = 16384 // relationships of one part
	maxStyles     = 65536 // cell formats (Excel allows 64,000)
	maxNumFmts    = 4096  // custom number formats (Excel allows about 250)
	maxAttrString = 4096  // a sheet name, relationship target or format code
)

// rel is one relationship of a part.
type rel struct{ id, typ, target string }

// structure is what the sheet reader needs from the parts around the sheets.
type structure struct {
	sheets     []sheetEntry
	date1904   bool
	styles     []cellFormat // by cell style index (the s attribute)
	sharedPart string       // the shared-strings part, "" if none
}

type sheetEntry struct {
	Sheet
	part string // the sheet's part name, "" when missing
}

// scanPart runs fn over every tag of a small part.
func (a *archive) scanPart(name string, fn func(s *scanner) error) error {
	rc, err := a.open(name, false)
	if err != nil {
		return err
	}
	defer rc.Close()
	s := newScanner(rc, name)
	for {
		err := s.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(s); err != nil {
			return err
		}
	}
}

// readRels reads a relationships part.
func (a *archive) readRels(name string) ([]rel, error) {
	var rels []rel
	err := a.scanPart(name, func(s *scanner) error {
		if !s.is("Relationship") {
			return nil
		}
		if len(rels) == maxRels {
			return fmt.Errorf("part %s: over %d relationships: %w", name, maxRels, ErrTooMany)
		}
		var r rel
		var err error
		if r.id, err = attrValue(s, "Id"); err != nil {
			return err
		}
		if r.typ, err = attrValue(s, "Type"); err != nil {
			return err
		}
		if r.target, err = attrValue(s, "Target"); err != nil {
			return err
		}
		rels = append(rels, r)
		return nil
	})
	return rels, err
}

// attrValue decodes an unprefixed attribute of the current tag, bounded in length.
func attrValue(s *scanner, key string) (string, error) {
	raw, _ := attr(s.attrs, key, false)
	return boundedAttr(s, key, raw)
}

func boundedAttr(s *scanner, key string, raw []byte) (string, error) {
	if len(raw) > maxAttrString {
		return "", s.errorf("attribute %s of <%s> is %d bytes long", key, s.name, len(raw))
	}
	v, err := attrString(raw)
	if err != nil {
		return "", s.errorf("attribute %s: %v", key, err)
	}
	return v, nil
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

func hasType(r rel, suffix string) bool { return strings.HasSuffix(r.typ, "/"+suffix) }

// readStructure reads the package relationships, the workbook and its relationships,
// and the styles.
func (a *archive) readStructure() (*structure, error) {
	wbPart := "xl/workbook.xml"
	if a.has("_rels/.rels") {
		rels, err := a.readRels("_rels/.rels")
		if err != nil {
			return nil, err
		}
		for _, r := range rels {
			if hasType(r, "officeDocument") {
				wbPart = relTarget("", r.target)
			}
		}
	}
	st := &structure{}
	var listed []struct{ name, rid, state string }
	err := a.scanPart(wbPart, func(s *scanner) error {
		switch {
		case s.is("workbookPr"):
			v, _ := attr(s.attrs, "date1904", false)
			st.date1904 = string(v) == "1" || strings.EqualFold(string(v), "true")
		case s.is("sheet"):
			if len(listed) == maxSheets {
				return fmt.Errorf("part %s: over %d sheets: %w", wbPart, maxSheets, ErrTooMany)
			}
			name, err := attrValue(s, "name")
			if err != nil {
				return err
			}
			state, err := attrValue(s, "state")
			if err != nil {
				return err
			}
			rawID, _ := attr(s.attrs, "id", true)
			rid, err := boundedAttr(s, "r:id", rawID)
			if err != nil {
				return err
			}
			listed = append(listed, struct{ name, rid, state string }{name, rid, state})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var rels []rel
	if relsPart := relsPartOf(wbPart); a.has(relsPart) {
		if rels, err = a.readRels(relsPart); err != nil {
			return nil, err
		}
	}
	byID := make(map[string]rel, len(rels))
	stylesPart := ""
	for _, r := range rels {
		byID[r.id] = r
		switch {
		case hasType(r, "styles"):
			stylesPart = relTarget(wbPart, r.target)
		case hasType(r, "sharedStrings"):
			st.sharedPart = relTarget(wbPart, r.target)
		}
	}
	if st.sharedPart == "" && a.has("xl/sharedStrings.xml") {
		st.sharedPart = "xl/sharedStrings.xml"
	}
	for _, l := range listed {
		e := sheetEntry{Sheet: Sheet{Name: l.name, Visible: l.state != "hidden" && l.state != "veryHidden"}}
		if r, ok := byID[l.rid]; ok {
			e.Worksheet = hasType(r, "worksheet")
			e.part = relTarget(wbPart, r.target)
		}
		st.sheets = append(st.sheets, e)
	}
	if stylesPart != "" && a.has(stylesPart) {
		if st.styles, err = a.readStyles(stylesPart); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// readStyles reads the number format of every cell format (cellXfs) of the styles part.
func (a *archive) readStyles(part string) ([]cellFormat, error) {
	custom := map[int]string{}
	var xfIDs []int
	inXfs := 0 // depth of the open <cellXfs>, 0 outside
	err := a.scanPart(part, func(s *scanner) error {
		switch {
		case s.is("numFmt"):
			if len(custom) == maxNumFmts {
				return fmt.Errorf("part %s: over %d number formats: %w", part, maxNumFmts, ErrTooMany)
			}
			code, err := attrValue(s, "formatCode")
			if err != nil {
				return err
			}
			if id, ok := intAttr(s, "numFmtId"); ok {
				custom[id] = code
			}
		case s.kind == tagOpen && string(s.name) == "cellXfs":
			inXfs = s.depth
		case s.kind == tagClose && string(s.name) == "cellXfs":
			inXfs = 0
		case inXfs > 0 && s.is("xf") && isChildOf(s, inXfs):
			if len(xfIDs) == maxStyles {
				return fmt.Errorf("part %s: over %d cell formats: %w", part, maxStyles, ErrTooMany)
			}
			id, _ := intAttr(s, "numFmtId")
			xfIDs = append(xfIDs, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	styles := make([]cellFormat, len(xfIDs))
	for i, id := range xfIDs {
		styles[i] = classifyNumFmt(id, custom)
	}
	return styles, nil
}

// isChildOf reports whether the tag just read is a child of the element open at depth d
// (an open tag has added its own level; a self-closing one has not).
func isChildOf(s *scanner, d int) bool {
	if s.kind == tagOpen {
		return s.depth == d+1
	}
	return s.depth == d
}

// intAttr reads a non-negative integer attribute.
func intAttr(s *scanner, key string) (int, bool) {
	v, ok := attr(s.attrs, key, false)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(v)))
	return n, err == nil && n >= 0
}
