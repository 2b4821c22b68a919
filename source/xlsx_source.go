package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/xonvo/xonvo-import/source/xlsx"
)

// xlsxRows reads a sheet's rows for the generic layer (openTable), which
// finds the header among them, pads short rows to its width, makes a value
// beyond it the row's Problem, and knows footers: the same for a sheet as
// for delimited text.
type xlsxRows struct {
	name     string
	wb       *xlsx.Workbook
	sheet    *xlsx.SheetReader
	warnings []string
}

// openXLSX opens the sheet opts.Sheet names, else the first visible
// worksheet; name is the input as shown to people.
func openXLSX(ctx context.Context, name, path string, opts Options) (_ Source, err error) {
	wb, err := xlsx.Open(ctx, path, xlsx.Options{MaxUnzipBytes: opts.MaxUnzipBytes, MaxCellBytes: opts.MaxFieldBytes, TempDir: opts.TempDir})
	if err != nil {
		return nil, xlsxFail(name, err)
	}
	defer func() {
		if err != nil {
			_ = wb.Close()
		}
	}()
	r := &xlsxRows{name: name, wb: wb}
	sheet := opts.Sheet
	if sheet == "" {
		if sheet, err = wb.DefaultSheet(); err != nil {
			return nil, xlsxFail(name, err)
		}
		if first := wb.Sheets()[0]; first.Name != sheet {
			r.warnings = append(r.warnings, fmt.Sprintf("reading sheet %q, the first visible worksheet (%q is hidden or a chart)", sheet, first.Name))
		}
	}
	if r.sheet, err = wb.OpenSheet(ctx, sheet); err != nil {
		return nil, xlsxFail(name, err)
	}
	return openTable(ctx, name, r, layout{ragged: true}, opts)
}

// ReadRow implements rowReader.
func (r *xlsxRows) ReadRow(ctx context.Context) (rawRow, error) {
	row, err := r.sheet.Next(ctx)
	if errors.Is(err, io.EOF) {
		return rawRow{}, io.EOF
	}
	if err != nil {
		return rawRow{}, xlsxFail(r.name, err)
	}
	return rawRow{Num: row.Num, Cells: row.Cells, Problem: row.Problem}, nil
}

// Warnings implements rowReader.
func (r *xlsxRows) Warnings() []string { return slices.Clone(r.warnings) }

// Sheet is the name of the sheet being read.
func (r *xlsxRows) Sheet() string { return r.sheet.Name() }

// Progress is in rows, from the sheet's <dimension> (0 total when unknown).
func (r *xlsxRows) Progress() (done, total int64) { return r.sheet.Progress() }

// Close releases the workbook.
func (r *xlsxRows) Close() error { return errors.Join(r.sheet.Close(), r.wb.Close()) }

// xlsxFail makes an error of package xlsx a *ReadError naming the file and row.
func xlsxFail(path string, err error) error {
	var snf *xlsx.SheetNotFoundError
	if errors.As(err, &snf) {
		names := make([]string, len(snf.Sheets))
		for i, sh := range snf.Sheets {
			names[i] = sh.Name
		}
		return &ReadError{File: path, Err: &SheetNotFoundError{Sheet: snf.Sheet, Sheets: names}}
	}
	re := &ReadError{File: path, Err: xlsxError{err}}
	var xe *xlsx.Error
	if errors.As(err, &xe) {
		// The ReadError names the file and row; the sheet goes in front of the reason.
		re.Row = xe.Row
		if xe.Sheet != "" {
			re.Err = xlsxError{fmt.Errorf("sheet %q: %w", xe.Sheet, xe.Err)}
		} else {
			re.Err = xlsxError{xe.Err}
		}
	}
	return re
}

// xlsxError carries an error of package xlsx so that errors.Is matches this package's
// sentinels too (ErrNotXLSX, ErrZipTooLarge) without repeating their text.
type xlsxError struct{ err error }

func (e xlsxError) Error() string { return e.err.Error() }
func (e xlsxError) Unwrap() error { return e.err }

func (e xlsxError) Is(target error) bool {
	switch target {
	case ErrNotXLSX:
		return errors.Is(e.err, xlsx.ErrNotXLSX)
	case ErrZipTooLarge:
		return errors.Is(e.err, xlsx.ErrZipTooLarge)
	}
	return false
}
