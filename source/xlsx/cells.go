package xlsx

import (
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
	typeText                    // an inline string the tokenizer already read
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

// resolve appends the text delivered for a raw cell to the row.
func (r *SheetReader) resolve(c rawCell, v []byte, num int) error {
	start := len(r.rowBuf)
	switch c.typ {
	case typeShared:
		v = trimSpace(v)
		if len(v) == 0 {
			return nil
		}
		i, ok := parseUint(v)
		if !ok {
			r.problems = append(r.problems, r.problemErr(int(c.col), num, ErrBadCell,
				fmt.Sprintf("cell %s: %q is not a shared string number", cellName(int(c.col), num), v)))
			return nil
		}
		text, oversize, err := r.wb.shared.get(i)
		switch {
		case errors.Is(err, errNoSharedString):
			r.problems = append(r.problems, r.problemErr(int(c.col), num, ErrBadCell,
				fmt.Sprintf("cell %s: shared string %d does not exist (the workbook has %d)", cellName(int(c.col), num), i, r.wb.shared.len())))
			return nil
		case err != nil:
			return err
		case oversize > 0:
			r.problems = append(r.problems, r.tooLargeErr(int(c.col), num, oversize))
			return nil
		}
		r.rowBuf = append(r.rowBuf, text...)
	case typeBool:
		switch string(v) {
		case "1", "true":
			r.rowBuf = append(r.rowBuf, "TRUE"...)
		case "0", "false":
			r.rowBuf = append(r.rowBuf, "FALSE"...)
		default:
			r.rowBuf = append(r.rowBuf, v...)
		}
	case typeInline, typeFormula, typeError, typeText:
		r.rowBuf = append(r.rowBuf, v...)
	case typeDate:
		r.rowBuf = append(r.rowBuf, isoCellTime(string(v))...)
	default:
		if len(v) == 0 {
			return nil
		}
		r.rowBuf = appendNumber(r.rowBuf, v, r.wb.st.style(int(c.style)), r.wb.st.date1904)
	}
	if len(r.rowBuf) == start {
		return nil
	}
	if len(r.rowBuf) > maxRowCells*r.wb.opts.MaxCellBytes {
		r.rowBuf = r.rowBuf[:start]
		if !r.rowFull {
			r.rowFull = true
			r.problems = append(r.problems, r.rowFullErr(int(c.col), num))
		}
		return nil
	}
	r.setSpan(int(c.col), start)
	return nil
}

func (r *SheetReader) tooLargeErr(col, num int, size int64) error {
	return r.problemErr(col, num, ErrCellTooLarge, fmt.Sprintf("cell %s is %s, over the %s limit",
		cellName(col, num), sizeText(size), sizeText(int64(r.wb.opts.MaxCellBytes))))
}

func (r *SheetReader) rowFullErr(col, num int) error {
	return r.problemErr(col, num, ErrCellTooLarge, fmt.Sprintf("cells from %s on dropped: the row holds over %s of text",
		cellName(col, num), sizeText(int64(maxRowCells*r.wb.opts.MaxCellBytes))))
}

// style returns the number format of a cell style index.
func (st *structure) style(s int) cellFormat {
	if s >= 0 && s < len(st.styles) {
		return st.styles[s]
	}
	return cellFormat{}
}
