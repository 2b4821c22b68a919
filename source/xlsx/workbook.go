package xlsx

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Sheet describes one sheet of a workbook.
type Sheet struct {
	Name      string
	Visible   bool // false for state="hidden" and "veryHidden"
	Worksheet bool // false for a chart sheet (or a sheet whose part is missing)
}

// Workbook is an open XLSX file. It and its SheetReaders are for one goroutine at a
// time (SheetReader.Progress excepted).
type Workbook struct {
	opts   Options
	a      *archive
	st     *structure
	shared *sharedTable // read on the first OpenSheet
}

// Open opens the workbook at path and reads its structure: sheets, styles, date
// system. The shared strings are read when a sheet is first opened.
func Open(ctx context.Context, path string, o Options) (_ *Workbook, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o = o.withDefaults()
	a, err := openArchive(path, o.MaxUnzipBytes)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = a.Close()
		}
	}()
	st, err := a.readStructure()
	if err != nil {
		return nil, err
	}
	return &Workbook{opts: o, a: a, st: st}, nil
}

// Sheets lists the sheets in workbook order.
func (w *Workbook) Sheets() []Sheet {
	out := make([]Sheet, len(w.st.sheets))
	for i, s := range w.st.sheets {
		out[i] = s.Sheet
	}
	return out
}

// Date1904 reports whether the workbook counts dates from 1904 (old Mac Excel).
func (w *Workbook) Date1904() bool { return w.st.date1904 }

// DefaultSheet is the sheet to read when none is named: the first visible worksheet.
// A hidden first sheet (openpyxl and exceljs workbooks often have one) is not what a
// person sees when opening the file.
func (w *Workbook) DefaultSheet() (string, error) {
	for _, s := range w.st.sheets {
		if s.Visible && s.Worksheet {
			return s.Name, nil
		}
	}
	return "", ErrNoWorksheet
}

// find looks a sheet up by exact name, then case-insensitively.
func (w *Workbook) find(name string) (sheetEntry, error) {
	for _, s := range w.st.sheets {
		if s.Name == name {
			return s, nil
		}
	}
	for _, s := range w.st.sheets {
		if strings.EqualFold(s.Name, name) {
			return s, nil
		}
	}
	return sheetEntry{}, &SheetNotFoundError{Sheet: name, Sheets: w.Sheets()}
}

// OpenSheet opens a worksheet by name (exact, then case-insensitive) for streaming.
// It reads the workbook's shared strings if no sheet was opened before, and the
// sheet's merged ranges (which the format puts after the rows).
func (w *Workbook) OpenSheet(ctx context.Context, name string) (_ *SheetReader, err error) {
	e, err := w.find(name)
	if err != nil {
		return nil, err
	}
	if !e.Worksheet || !w.a.has(e.part) {
		return nil, &Error{Sheet: e.Name, Err: fmt.Errorf("%w: not a worksheet (a chart sheet, or its part is missing)", ErrNotXLSX)}
	}
	type mergeResult struct {
		ranges []mergeRange
		err    error
	}
	merges := make(chan mergeResult, 1)
	mctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		r, err := findMerges(mctx, w.a, e.part)
		merges <- mergeResult{r, err}
	}()
	if w.shared == nil {
		w.shared, err = readSharedStrings(ctx, w.a, w.st.sharedPart, w.opts)
	}
	if err != nil {
		cancel()
		<-merges
		return nil, &Error{Sheet: e.Name, Err: err}
	}
	m := <-merges
	if m.err != nil {
		return nil, &Error{Sheet: e.Name, Err: m.err}
	}
	return openSheetReader(ctx, w, e, m.ranges)
}

// Close releases the file and removes any temporary file.
func (w *Workbook) Close() error {
	var err error
	if w.shared != nil {
		err = w.shared.Close()
	}
	return errors.Join(err, w.a.Close())
}
