package xlsx

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Errors the reader fails with, wrapped (often in an *Error): test them with errors.Is.
var (
	// ErrNotXLSX: the file is not a zip, or a part is missing or malformed.
	ErrNotXLSX = errors.New("not a readable XLSX workbook")
	// ErrZipTooLarge: the parts inflate past Options.MaxUnzipBytes (or 1 GiB for one part).
	ErrZipTooLarge = errors.New("the workbook inflates past the size limit (a zip bomb?)")
	// ErrCellTooLarge: a cell's text is over Options.MaxCellBytes. It is a row's Problem,
	// not a failure of the file; the error is exported for callers who want to check.
	ErrCellTooLarge = errors.New("cell is over the size limit")
	// ErrBadCell: a cell refers to a shared string that does not exist, or has a
	// reference that is not a cell. Like ErrCellTooLarge it is a row's Problem.
	ErrBadCell = errors.New("bad cell")
	// ErrTooDeep: a part nests elements deeper than any spreadsheet does.
	ErrTooDeep = errors.New("elements nested too deep")
	// ErrTagTooLarge: one tag (name and attributes) is over 1 MiB.
	ErrTagTooLarge = errors.New("tag over the size limit")
	// ErrTooMany: a part lists more sheets, styles or merged ranges than the reader keeps.
	ErrTooMany = errors.New("more entries than the reader allows")
	// ErrNoWorksheet: the workbook has no worksheet to read (or none visible, for DefaultSheet).
	ErrNoWorksheet = errors.New("the workbook has no visible worksheet")
)

// Error is a failure located in a sheet: the part, and the row and cell when known.
type Error struct {
	Sheet string // the sheet's name; "" for the workbook's own parts
	Row   int    // the sheet's row number; 0 if unknown
	Cell  string // a cell reference such as "C7"; "" if unknown
	Err   error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Sheet != "" {
		fmt.Fprintf(&b, "sheet %q", e.Sheet)
	}
	switch {
	case e.Cell != "":
		sep(&b)
		b.WriteString("cell " + e.Cell)
	case e.Row > 0:
		sep(&b)
		b.WriteString("row " + strconv.Itoa(e.Row))
	}
	sep(&b)
	b.WriteString(e.Err.Error())
	return b.String()
}

func sep(b *strings.Builder) {
	if b.Len() > 0 {
		b.WriteString(", ")
	}
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// SheetNotFoundError says a requested sheet does not exist and lists those that do.
type SheetNotFoundError struct {
	Sheet  string
	Sheets []Sheet
}

func (e *SheetNotFoundError) Error() string {
	names := make([]string, len(e.Sheets))
	for i, s := range e.Sheets {
		names[i] = strconv.Quote(s.Name)
		switch {
		case !s.Worksheet:
			names[i] += " (chart)"
		case !s.Visible:
			names[i] += " (hidden)"
		}
	}
	return fmt.Sprintf("no sheet named %q (sheets: %s)", e.Sheet, strings.Join(names, ", "))
}
