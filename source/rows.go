package source

import (
	"context"
	"strings"
)

// rawRow is one row as a format reads it, before the header is known.
type rawRow struct {
	Num     int      // the spreadsheet row number, 1-based, strictly increasing; a gap is blank rows
	Cells   []string // as read; the reader hands over ownership
	Problem string   // the row is structurally bad (a stray quote); its cells may be partial
	Warning string   // read with a caveat (bytes replaced by U+FFFD)
}

// rowReader is what a format (CSV, XLSX) provides to the generic layer
// (openTable): every row with its spreadsheet number, from the top of the
// sheet or file (the header is found among them). It may leave blank rows
// out (the gap in Num says they were there) or return them with empty cells.
type rowReader interface {
	// ReadRow returns the next row (Cells a fresh slice); io.EOF at the
	// end. Any other error is fatal for the file and should be a *ReadError.
	ReadRow(ctx context.Context) (rawRow, error)
	// Warnings are file-level notes (an encoding guess).
	Warnings() []string
	// Progress is bytes or rows done of total (0 = unknown); safe from another goroutine.
	Progress() (done, total int64)
	// Close releases the file.
	Close() error
}

// nonEmpty counts the cells holding more than spaces.
func nonEmpty(cells []string) int {
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	return n
}

func allEmpty(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// blank reports whether r is a blank row: nothing in it and nothing wrong with it.
func (r rawRow) blank() bool { return r.Problem == "" && allEmpty(r.Cells) }
