package source

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// Defaults for Options' zero values.
const (
	DefaultMaxFieldBytes = 1 << 20 // 1 MiB per record
	DefaultMaxUnzipBytes = 2 << 30 // 2 GiB inflated in total
	maxUnzipPartBytes    = 1 << 30 // 1 GiB inflated per zip part
)

// Options tunes how Open reads a file. The zero value detects everything.
type Options struct {
	Sheet         string // XLSX: sheet name; "" = first sheet
	Encoding      string // "", "auto", "utf-8", "utf-16", "utf-16le", "utf-16be", "windows-1252", "iso-8859-1"
	Delimiter     rune   // 0 = detect among , ; \t | (a .tsv prefers tab)
	MaxFieldBytes int    // 0 = DefaultMaxFieldBytes: a record growing past it is fatal (unclosed quote)
	MaxUnzipBytes int64  // 0 = DefaultMaxUnzipBytes: an XLSX inflating past it (or 1 GiB per part) is refused
}

func (o Options) maxFieldBytes() int {
	if o.MaxFieldBytes <= 0 {
		return DefaultMaxFieldBytes
	}
	return o.MaxFieldBytes
}

func (o Options) unzipLimits() (total, part int64) {
	total = o.MaxUnzipBytes
	if total <= 0 {
		total = DefaultMaxUnzipBytes
	}
	return total, min(total, maxUnzipPartBytes)
}

// Record is one data row of a source.
type Record struct {
	Row     int      // header = row 1; CSV: the record number (blank lines not counted); XLSX: the sheet's row number
	Cells   []string // owned by the caller (a fresh slice per record)
	Problem string   // non-empty when the row is structurally bad; the file goes on
}

// Source streams the data rows of one input file.
type Source interface {
	// Name is the file path as given.
	Name() string
	// Header is the header row as read (not trimmed).
	Header() []string
	// Next returns the next data row; io.EOF at the end. Any other error is fatal for the file.
	Next(ctx context.Context) (Record, error)
	// Warnings are things the user should know about the whole file (e.g. an encoding guess).
	Warnings() []string
	// Progress is bytes (CSV) or rows (XLSX) done of total, for a progress bar; total is 0 if unknown.
	// It is safe to call from another goroutine.
	Progress() (done, total int64)
	// Close releases the file.
	Close() error
}

// Errors a source can fail with (wrapped, often inside a *ReadError).
var (
	ErrUnsupportedFormat = errors.New("unsupported file type (use .csv, .tsv, .txt or .xlsx)")
	ErrUnknownEncoding   = errors.New("unknown encoding (use auto, utf-8, utf-16, utf-16le, utf-16be, windows-1252 or iso-8859-1)")
	ErrNoHeader          = errors.New("the file has no header row")
	ErrUnclosedQuote     = errors.New("a quoted field is never closed")
	ErrRecordTooLarge    = errors.New("record is larger than the size limit (is a quote opened there never closed?)")
	ErrZipTooLarge       = errors.New("the workbook inflates past the size limit (a zip bomb?)")
	ErrNotXLSX           = errors.New("not a readable XLSX workbook")
	ErrBadDelimiter      = errors.New("invalid delimiter")
)

// ReadError is a fatal error reading a file, located as precisely as known.
type ReadError struct {
	File   string
	Row    int // row number as in Record.Row; 0 if unknown
	Column int // 1-based cell index; 0 if unknown
	Err    error
}

func (e *ReadError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Row > 0 {
		fmt.Fprintf(&b, ": row %d", e.Row)
		if e.Column > 0 {
			fmt.Fprintf(&b, ", column %d", e.Column)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ReadError) Unwrap() error { return e.Err }

// SheetNotFoundError says a requested sheet does not exist and lists those that do.
type SheetNotFoundError struct {
	Sheet  string
	Sheets []string
}

func (e *SheetNotFoundError) Error() string {
	return fmt.Sprintf("no sheet named %q (sheets: %s)", e.Sheet, strings.Join(quoteAll(e.Sheets), ", "))
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// Open opens path as a Source chosen by its extension: .csv .tsv .txt (delimited text) or .xlsx.
// The header row is read before it returns.
func Open(ctx context.Context, path string, opts Options) (Source, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv", ".tsv", ".txt":
		return openCSV(ctx, path, ext, opts)
	case ".xlsx", ".xlsm":
		return openXLSX(ctx, path, opts)
	default:
		return nil, &ReadError{File: path, Err: fmt.Errorf("%q: %w", ext, ErrUnsupportedFormat)}
	}
}

// ReadHeader reads just the header row of path.
func ReadHeader(ctx context.Context, path string, opts Options) ([]string, error) {
	src, err := Open(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	h := src.Header()
	if err := src.Close(); err != nil {
		return nil, fmt.Errorf("close %s: %w", path, err)
	}
	return h, nil
}
