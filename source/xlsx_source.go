package source

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
)

// maxColumns is the widest sheet a spreadsheet allows (XFD).
const maxColumns = 16384

// xlsxSource streams one worksheet.
type xlsxSource struct {
	name     string
	wb       *workbook
	part     io.ReadCloser
	sc       *xmlScanner
	header   []string
	warnings []string
	lastRow  int          // the last <row> number seen
	doneRows atomic.Int64 // for Progress
	total    int64        // the sheet's last row from <dimension>, 0 if unknown
	eof      bool

	scratch []string // cells of the row being read, reused
	value   []byte   // <v> text, reused
	inline  []byte   // <is> text, reused
}

func openXLSX(ctx context.Context, path string, opts Options) (_ Source, err error) {
	total, part := opts.unzipLimits()
	wb, err := openWorkbook(ctx, path, total, part)
	if err != nil {
		return nil, &ReadError{File: path, Err: err}
	}
	defer func() {
		if err != nil {
			_ = wb.Close()
		}
	}()
	sheet, err := wb.sheet(opts.Sheet)
	if err != nil {
		return nil, &ReadError{File: path, Err: err}
	}
	rc, err := wb.open(sheet.part)
	if err != nil {
		return nil, &ReadError{File: path, Err: err}
	}
	s := &xlsxSource{name: path, wb: wb, part: rc, sc: newXMLScanner(bufio.NewReaderSize(rc, 64<<10))}
	defer func() {
		if err != nil {
			_ = rc.Close()
		}
	}()
	if err := s.seekSheetData(); err != nil {
		return nil, s.fail(0, err)
	}
	for {
		row, cells, err := s.readRow()
		if errors.Is(err, io.EOF) {
			return nil, &ReadError{File: path, Err: fmt.Errorf("sheet %q: %w", sheet.name, ErrNoHeader)}
		}
		if err != nil {
			return nil, s.fail(row, err)
		}
		if last := lastNonEmpty(cells); last > 0 {
			s.header = slices.Clone(cells[:last])
			return s, nil
		}
	}
}

func (s *xlsxSource) Name() string       { return s.name }
func (s *xlsxSource) Header() []string   { return slices.Clone(s.header) }
func (s *xlsxSource) Warnings() []string { return slices.Clone(s.warnings) }

// Progress is in rows. The total comes from the sheet's <dimension>; when the rows go past
// it, it was stale and the total is reported unknown.
func (s *xlsxSource) Progress() (done, total int64) {
	done = s.doneRows.Load()
	if done > s.total {
		return done, 0
	}
	return done, s.total
}

// Close releases the workbook. No temp files are made: the sheet streams from the zip.
func (s *xlsxSource) Close() error {
	return errors.Join(s.part.Close(), s.wb.Close())
}

// Next returns the next non-empty row. Rows shorter than the header are padded; a value
// beyond the header's last column makes the row a Problem.
func (s *xlsxSource) Next(ctx context.Context) (Record, error) {
	for {
		if err := ctx.Err(); err != nil {
			return Record{}, err
		}
		row, cells, err := s.readRow()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return Record{}, io.EOF
			}
			return Record{}, s.fail(row, err)
		}
		last := lastNonEmpty(cells)
		if last == 0 {
			continue
		}
		h := len(s.header)
		if last > h {
			return Record{Row: row, Cells: slices.Clone(cells[:last]),
				Problem: fmt.Sprintf("row has a value in column %s, beyond the header's last column %s", columnName(last), columnName(h))}, nil
		}
		out := make([]string, h)
		copy(out, cells)
		return Record{Row: row, Cells: out}, nil
	}
}

func (s *xlsxSource) fail(row int, err error) error {
	if errors.Is(err, errBadXML) && !errors.Is(err, ErrNotXLSX) {
		err = fmt.Errorf("%w: %w", ErrNotXLSX, err)
	}
	return &ReadError{File: s.name, Row: row, Err: err}
}

// seekSheetData reads up to <sheetData>, noting the sheet's size from <dimension>.
func (s *xlsxSource) seekSheetData() error {
	for {
		tag, err := s.sc.next()
		if err != nil {
			return unexpectedEOF(err)
		}
		switch string(tag.name) {
		case "dimension":
			// A lone cell ("A1") is what several writers leave behind without updating it.
			if ref, ok := tagAttr(tag.attrs, "ref"); ok {
				if i := bytes.LastIndexByte(ref, ':'); i >= 0 {
					if _, row, ok := splitCellRef(ref[i+1:]); ok {
						s.total = int64(row)
					}
				}
			}
		case "sheetData":
			if tag.kind == tagSelfClose {
				s.eof = true
			}
			return nil
		}
	}
}

// readRow reads the next <row>. The returned cells are scratch, valid until the next call.
func (s *xlsxSource) readRow() (int, []string, error) {
	if s.eof {
		return s.lastRow, nil, io.EOF
	}
	for {
		tag, err := s.sc.next()
		if err != nil {
			return s.lastRow, nil, unexpectedEOF(err)
		}
		name := string(tag.name)
		if tag.kind == tagClose && name == "sheetData" {
			s.eof = true
			return s.lastRow, nil, io.EOF
		}
		if name != "row" || tag.kind == tagClose {
			continue
		}
		row := s.lastRow + 1
		if r, ok := tagAttr(tag.attrs, "r"); ok {
			if n := parseIntAttr(r); n > 0 {
				row = n
			}
		}
		s.lastRow = row
		s.doneRows.Store(int64(row))
		clear(s.scratch)
		s.scratch = s.scratch[:0]
		if tag.kind == tagSelfClose {
			return row, nil, nil
		}
		if err := s.readCells(); err != nil {
			return row, nil, err
		}
		return row, s.scratch, nil
	}
}

// readCells reads the <c> elements of the row just opened, up to </row>.
func (s *xlsxSource) readCells() error {
	col := 0
	for {
		tag, err := s.sc.next()
		if err != nil {
			return unexpectedEOF(err)
		}
		name := string(tag.name)
		if tag.kind == tagClose && name == "row" {
			return nil
		}
		if name != "c" || tag.kind == tagClose {
			if tag.kind == tagOpen {
				if err := s.sc.skipElement(name); err != nil {
					return err
				}
			}
			continue
		}
		col++
		if ref, ok := tagAttr(tag.attrs, "r"); ok {
			c, _, ok := splitCellRef(ref)
			if !ok {
				return fmt.Errorf("%w: bad cell reference %q", errBadXML, ref)
			}
			col = c
		}
		style := -1
		if sv, ok := tagAttr(tag.attrs, "s"); ok {
			style = parseIntAttr(sv)
		}
		typ, _ := tagAttr(tag.attrs, "t")
		cellType := string(typ) // short strings: no allocation worth avoiding
		if tag.kind == tagSelfClose {
			continue
		}
		hasV, hasIS, err := s.readCellContent()
		if err != nil {
			return err
		}
		val, err := s.cellText(cellType, style, hasV, hasIS)
		if err != nil {
			return fmt.Errorf("cell %s%d: %w", columnName(col), s.lastRow, err)
		}
		if val == "" {
			continue
		}
		for len(s.scratch) < col {
			s.scratch = append(s.scratch, "")
		}
		s.scratch[col-1] = val
	}
}

// readCellContent reads a cell's children up to </c>: its value <v> and inline string <is>.
func (s *xlsxSource) readCellContent() (hasV, hasIS bool, err error) {
	s.value, s.inline = s.value[:0], s.inline[:0]
	for {
		tag, err := s.sc.next()
		if err != nil {
			return false, false, unexpectedEOF(err)
		}
		name := string(tag.name)
		switch {
		case tag.kind == tagClose && name == "c":
			return hasV, hasIS, nil
		case tag.kind == tagOpen && name == "v":
			if s.value, err = s.sc.readText(s.value[:0]); err != nil {
				return false, false, err
			}
			hasV = true
		case tag.kind == tagOpen && name == "is":
			if s.inline, err = s.sc.appendRichText(s.inline[:0], "is"); err != nil {
				return false, false, err
			}
			hasIS = true
		case tag.kind == tagOpen:
			if err := s.sc.skipElement(name); err != nil {
				return false, false, err
			}
		}
	}
}

// cellText turns a cell's stored value into the text we deliver.
func (s *xlsxSource) cellText(cellType string, style int, hasV, hasIS bool) (string, error) {
	switch cellType {
	case "s":
		i := parseIntAttr(s.value)
		text, ok := s.wb.sharedString(i)
		if !ok && hasV {
			return "", fmt.Errorf("%w: shared string %q does not exist", ErrNotXLSX, s.value)
		}
		return text, nil
	case "inlineStr":
		if hasIS {
			return string(s.inline), nil
		}
		return string(s.value), nil
	case "b":
		switch string(s.value) {
		case "1", "true":
			return "TRUE", nil
		case "0", "false":
			return "FALSE", nil
		}
		return string(s.value), nil
	case "str", "e":
		return string(s.value), nil
	case "d":
		return isoCellTime(string(s.value)), nil
	default:
		if !hasV || len(s.value) == 0 {
			return "", nil
		}
		return formatNumber(s.value, s.wb.style(style), s.wb.date1904), nil
	}
}

func lastNonEmpty(cells []string) int {
	for i := len(cells) - 1; i >= 0; i-- {
		if strings.TrimSpace(cells[i]) != "" {
			return i + 1
		}
	}
	return 0
}

// splitCellRef splits "AB12" into column 28 and row 12.
func splitCellRef(ref []byte) (col, row int, ok bool) {
	i := 0
	for ; i < len(ref); i++ {
		c := ref[i] | 0x20
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
		if col > maxColumns {
			return 0, 0, false
		}
	}
	if i == 0 {
		return 0, 0, false
	}
	row, err := strconv.Atoi(string(ref[i:]))
	if err != nil || row <= 0 {
		return col, 0, i == len(ref)
	}
	return col, row, true
}

// columnName turns 1 into A, 28 into AB.
func columnName(col int) string {
	var b []byte
	for col > 0 {
		col--
		b = append(b, byte('A'+col%26))
		col /= 26
	}
	slices.Reverse(b)
	return string(b)
}
