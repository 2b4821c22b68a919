package xlsx

import (
	"fmt"
	"slices"
	"strconv"
)

const (
	maxColumns = 16384   // XFD, the widest sheet a spreadsheet allows
	maxRows    = 1048576 // the tallest
)

// splitCellRef splits "AB12" into column 28 and row 12. A reference without a row
// number ("AB") is a column; its row is 0.
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
	if i == len(ref) {
		return col, 0, true
	}
	row, ok = parseUint(ref[i:])
	return col, row, ok && row > 0 && row <= maxRows
}

// parseUint parses decimal digits (no sign, no spaces) up to 999,999,999.
func parseUint(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// ColumnName turns 1 into A, 28 into AB.
func ColumnName(col int) string {
	var b []byte
	for col > 0 {
		col--
		b = append(b, byte('A'+col%26))
		col /= 26
	}
	slices.Reverse(b)
	return string(b)
}

// cellName is a cell reference such as "C7".
func cellName(col, row int) string { return ColumnName(col) + strconv.Itoa(row) }

// sizeText describes a byte count for a message: "3.1 MiB", "512 KiB", "80 bytes".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
