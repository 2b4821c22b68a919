package xlsx

import (
	"bytes"
	"errors"
	"fmt"
)

// cellType is a cell's t attribute.
type cellType uint8

const (
	typeNumber  cellType = iota // "n", absent or unknown
	typeShared                  // "s": an index into the shared strings
	typeInline                  // "inlineStr": the text in <is>
	typeBool                    // "b"
	typeFormula                 // "str": a formula's text result
	typeError                   // "e": #N/A, #DIV/0!, ...
	typeDate                    // "d": an ISO 8601 date/time
)

func parseCellType(t []byte) cellType {
	switch string(t) {
	case "s":
		return typeShared
	case "inlineStr":
		return typeInline
	case "b":
		return typeBool
	case "str":
		return typeFormula
	case "e":
		return typeError
	case "d":
		return typeDate
	}
	return typeNumber
}

// maxRowCells is how many cells' worth of text one row may hold (16 MiB by default);
// past it the row's further cells are dropped, so a row of many large cells cannot
// grow without bound.
const maxRowCells = 16

// cell is what a <c> says, read before its content.
type cell struct {
	col   int
	style int
	typ   cellType
}

// readCells reads the <c> elements of the row just opened, through </row>.
func (r *SheetReader) readCells(num int) error {
	s := r.s
	d := s.depth
	col := 0
	for {
		// Nearly every cell tag is a plain <c ...>: read it directly, without the
		// general tag machinery.
		if !s.fastCellTag() {
			ok, err := s.child(d)
			if err != nil || !ok {
				return err
			}
			if s.kind == tagClose {
				continue
			}
			if !s.is("c") {
				if err := s.skip(); err != nil {
					return err
				}
				continue
			}
		}
		col++
		c := cell{col: col, style: -1}
		var ref []byte
		for a := s.attrs; len(a) > 0; {
			name, val, rest, ok := nextAttr(a)
			if !ok {
				break
			}
			a = rest
			if len(name) != 1 {
				continue
			}
			switch name[0] {
			case 'r':
				ref = val
			case 's':
				if n, ok := parseUint(val); ok {
					c.style = n
				}
			case 't':
				c.typ = parseCellType(val)
			}
		}
		if ref != nil {
			cc, _, ok := splitCellRef(ref)
			if !ok {
				r.problem(cellName(col, num), ErrBadCell, fmt.Sprintf("a cell in column %s has the reference %q, which is not a cell", ColumnName(col), ref))
				if err := s.skip(); err != nil {
					return err
				}
				continue
			}
			col, c.col = cc, cc
		}
		if s.kind == tagSelfClose {
			continue
		}
		if err := r.readCell(c, num); err != nil {
			return err
		}
	}
}

// readCell reads the content of a cell through </c> and sets its text.
func (r *SheetReader) readCell(c cell, num int) error {
	s := r.s
	limit := r.wb.opts.MaxCellBytes
	d := s.depth
	hasV, hasIS := false, false
	var inline []byte
	var inlineSize int64
	r.val.reset(limit)
	v, fast := s.fastText(fastV, fastVClose, limit)
	if fast {
		hasV = true
	}
	for !fast {
		ok, err := s.child(d)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		switch {
		case s.kind == tagClose:
		case s.is("v"):
			r.val.reset(limit)
			if err := s.elementText(&r.val); err != nil {
				return err
			}
			hasV = true
		case s.is("is"):
			if inline, inlineSize, err = r.item.read(s, limit); err != nil {
				return err
			}
			hasIS = true
		default:
			if err := s.skip(); err != nil {
				return err
			}
		}
	}
	switch {
	case hasV && r.val.over():
		r.tooLarge(c.col, num, r.val.size)
		return nil
	case c.typ == typeInline && hasIS && inlineSize > 0:
		r.tooLarge(c.col, num, inlineSize)
		return nil
	}
	start := len(r.rowBuf)
	if !fast {
		v = r.val.buf
	}
	switch c.typ {
	case typeShared:
		if !hasV {
			return nil
		}
		i, ok := parseUint(bytes.TrimSpace(v))
		if !ok {
			r.problem(cellName(c.col, num), ErrBadCell, fmt.Sprintf("cell %s: %q is not a shared string number", cellName(c.col, num), v))
			return nil
		}
		text, oversize, err := r.wb.shared.get(i)
		switch {
		case errors.Is(err, errNoSharedString):
			r.problem(cellName(c.col, num), ErrBadCell, fmt.Sprintf("cell %s: shared string %d does not exist (the workbook has %d)", cellName(c.col, num), i, r.wb.shared.len()))
			return nil
		case err != nil:
			return err
		case oversize > 0:
			r.tooLarge(c.col, num, oversize)
			return nil
		}
		r.rowBuf = append(r.rowBuf, text...)
	case typeInline:
		if hasIS {
			r.rowBuf = append(r.rowBuf, inline...)
		} else {
			r.rowBuf = append(r.rowBuf, v...)
		}
	case typeBool:
		switch string(v) {
		case "1", "true":
			r.rowBuf = append(r.rowBuf, "TRUE"...)
		case "0", "false":
			r.rowBuf = append(r.rowBuf, "FALSE"...)
		default:
			r.rowBuf = append(r.rowBuf, v...)
		}
	case typeFormula, typeError:
		r.rowBuf = append(r.rowBuf, v...)
	case typeDate:
		r.rowBuf = append(r.rowBuf, isoCellTime(string(v))...)
	default:
		if len(v) == 0 {
			return nil
		}
		r.rowBuf = appendNumber(r.rowBuf, v, r.wb.st.style(c.style), r.wb.st.date1904)
	}
	if len(r.rowBuf) == start {
		return nil
	}
	if len(r.rowBuf) > maxRowCells*limit {
		r.rowBuf = r.rowBuf[:start]
		if !r.rowFull {
			r.rowFull = true
			r.problem(cellName(c.col, num), ErrCellTooLarge, fmt.Sprintf("cells from %s on dropped: the row holds over %s of text", cellName(c.col, num), sizeText(int64(maxRowCells*limit))))
		}
		return nil
	}
	r.setSpan(c.col, start)
	return nil
}

func (r *SheetReader) tooLarge(col, num int, size int64) {
	r.problem(cellName(col, num), ErrCellTooLarge, fmt.Sprintf("cell %s is %s, over the %s limit", cellName(col, num), sizeText(size), sizeText(int64(r.wb.opts.MaxCellBytes))))
}

// style returns the number format of a cell style index.
func (st *structure) style(s int) cellFormat {
	if s >= 0 && s < len(st.styles) {
		return st.styles[s]
	}
	return cellFormat{}
}
