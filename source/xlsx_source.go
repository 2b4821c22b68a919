package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xonvo/xonvo-import/source/xlsx"
)

// xlsxSource adapts an xlsx.SheetReader to a Source: it finds the header (the first
// row with a value), pads rows to its width and makes a value beyond it the row's
// Problem.
type xlsxSource struct {
	name     string
	wb       *xlsx.Workbook
	sheet    *xlsx.SheetReader
	header   []string
	warnings []string
}

func openXLSX(ctx context.Context, path string, opts Options) (_ Source, err error) {
	wb, err := xlsx.Open(ctx, path, xlsx.Options{MaxUnzipBytes: opts.MaxUnzipBytes, MaxCellBytes: opts.MaxFieldBytes})
	if err != nil {
		return nil, xlsxFail(path, err)
	}
	defer func() {
		if err != nil {
			_ = wb.Close()
		}
	}()
	s := &xlsxSource{name: path, wb: wb}
	name := opts.Sheet
	if name == "" {
		if name, err = wb.DefaultSheet(); err != nil {
			return nil, xlsxFail(path, err)
		}
		if first := wb.Sheets()[0]; first.Name != name {
			s.warnings = append(s.warnings, fmt.Sprintf("reading sheet %q, the first visible worksheet (%q is hidden or a chart)", name, first.Name))
		}
	}
	if s.sheet, err = wb.OpenSheet(ctx, name); err != nil {
		return nil, xlsxFail(path, err)
	}
	defer func() {
		if err != nil {
			_ = s.sheet.Close()
		}
	}()
	for {
		row, err := s.sheet.Next(ctx)
		if errors.Is(err, io.EOF) {
			return nil, &ReadError{File: path, Err: fmt.Errorf("sheet %q: %w", s.sheet.Name(), ErrNoHeader)}
		}
		if err != nil {
			return nil, xlsxFail(path, err)
		}
		if last := lastNonEmpty(row.Cells); last > 0 {
			s.header = slices.Clone(row.Cells[:last])
			return s, nil
		}
	}
}

func (s *xlsxSource) Name() string       { return s.name }
func (s *xlsxSource) Header() []string   { return slices.Clone(s.header) }
func (s *xlsxSource) Warnings() []string { return slices.Clone(s.warnings) }

// Sheet is the name of the sheet being read.
func (s *xlsxSource) Sheet() string { return s.sheet.Name() }

// Progress is in rows, from the sheet's <dimension> (0 total when unknown).
func (s *xlsxSource) Progress() (done, total int64) { return s.sheet.Progress() }

// Close releases the workbook and any temporary file.
func (s *xlsxSource) Close() error { return errors.Join(s.sheet.Close(), s.wb.Close()) }

// Next returns the next row with a non-blank value or a problem. Rows shorter than the
// header are padded; a value beyond the header's last column makes the row a Problem.
func (s *xlsxSource) Next(ctx context.Context) (Record, error) {
	for {
		row, err := s.sheet.Next(ctx)
		if errors.Is(err, io.EOF) {
			return Record{}, io.EOF
		}
		if err != nil {
			return Record{}, xlsxFail(s.name, err)
		}
		last := lastNonEmpty(row.Cells)
		if last == 0 && row.Problem == "" {
			continue
		}
		h := len(s.header)
		if last > h {
			p := fmt.Sprintf("row has a value in column %s, beyond the header's last column %s", xlsx.ColumnName(last), xlsx.ColumnName(h))
			if row.Problem != "" {
				p = row.Problem + "; " + p
			}
			return Record{Row: row.Num, Cells: row.Cells[:last], Problem: p}, nil
		}
		out := make([]string, h)
		copy(out, row.Cells)
		return Record{Row: row.Num, Cells: out, Problem: row.Problem}, nil
	}
}

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

func lastNonEmpty(cells []string) int {
	for i := len(cells) - 1; i >= 0; i-- {
		if strings.TrimSpace(cells[i]) != "" {
			return i + 1
		}
	}
	return 0
}
