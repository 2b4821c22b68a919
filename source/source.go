package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Defaults for Options' zero values.
const (
	DefaultMaxFieldBytes = 1 << 20 // 1 MiB per record
	DefaultMaxUnzipBytes = 2 << 30 // 2 GiB inflated in total
	DefaultMaxSpoolBytes = 8 << 30 // 8 GiB spooled to one temp file
)

// Options tunes how inputs are found and read. The zero value detects everything.
type Options struct {
	Sheet         string // XLSX: sheet name; "" = first sheet
	Encoding      string // "", "auto", "utf-8", "utf-16", "utf-16le", "utf-16be", "windows-1252", "iso-8859-1", "macroman"
	Delimiter     rune   // 0 = detect among , ; \t | (a .tsv prefers tab)
	MaxFieldBytes int    // 0 = DefaultMaxFieldBytes: a record growing past it is fatal (unclosed quote)
	MaxUnzipBytes int64  // 0 = DefaultMaxUnzipBytes: an XLSX inflating past it (or 1 GiB per part) is refused

	// HeaderRow pins the header to this spreadsheet row (the mapping's
	// source.header_row); 0 = find it. Rows above it are not data.
	HeaderRow int
	// HeaderColumns are the column names a mapping uses: the header is the
	// first of the first 50 non-empty rows holding all of them (compared
	// case-insensitively after trimming). Without them, or when no row holds
	// them all, the header is the first non-empty row unless that row is
	// clearly a title (see DetectHeaderRow).
	HeaderColumns []string

	// Stdin is what "-" and /dev/stdin read; nil = os.Stdin.
	Stdin io.Reader
	// TempDir holds spooled inputs (stdin, pipes, compressed or remote XLSX);
	// "" = os.TempDir().
	TempDir string
	// MaxSpoolBytes bounds one spooled or inflated temp file; 0 = DefaultMaxSpoolBytes.
	MaxSpoolBytes int64
}

func (o Options) maxFieldBytes() int {
	if o.MaxFieldBytes <= 0 {
		return DefaultMaxFieldBytes
	}
	return o.MaxFieldBytes
}

func (o Options) maxSpoolBytes() int64 {
	if o.MaxSpoolBytes <= 0 {
		return DefaultMaxSpoolBytes
	}
	return o.MaxSpoolBytes
}

// Record is one row of a source after its header.
type Record struct {
	Row     int      // the row number a spreadsheet shows (blank rows counted, a multi-line cell is one row)
	Cells   []string // owned by the caller (a fresh slice per record)
	Problem string   // non-empty when the row is structurally bad; the file goes on
	Warning string   // non-empty when the row was read with a caveat (bytes replaced by U+FFFD); for the row's message
	Skip    string   // non-empty when the row is not data (a footer line after the data): why; reported "skipped"
}

// Source streams the data rows of one input.
type Source interface {
	// Name is the input as shown to people: the path as given, "-", or the URL without its query.
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
	// Close releases the file and any temp file made for it.
	Close() error
	// HeaderRow is the spreadsheet row the header was found on (1 unless
	// title rows sit above it).
	HeaderRow() int
	// Sheet is the XLSX sheet read; "" for delimited text.
	Sheet() string
}

// Errors a source can fail with (wrapped, often inside a *ReadError).
var (
	ErrUnsupportedFormat = errors.New("unsupported file type (use .csv, .tsv, .txt or .xlsx, optionally .gz or .zst)")
	ErrUnknownEncoding   = errors.New("unknown encoding (use auto, utf-8, utf-16, utf-16le, utf-16be, windows-1252, iso-8859-1 or macroman)")
	ErrNoHeader          = errors.New("the file has no header row")
	ErrUnclosedQuote     = errors.New("a quoted field is never closed")
	ErrRecordTooLarge    = errors.New("record is larger than the size limit (is a quote opened there never closed?)")
	ErrZipTooLarge       = errors.New("the workbook inflates past the size limit (a zip bomb?)")
	ErrNotXLSX           = errors.New("not a readable XLSX workbook")
	ErrBadDelimiter      = errors.New("invalid delimiter")
	ErrNoMatch           = errors.New("no file matches the pattern")
	ErrSpoolTooLarge     = errors.New("the input is larger than the temp file limit")
	ErrNotMovable        = errors.New("only files and objects can be moved")
	ErrTargetExists      = errors.New("the target already exists; not overwritten")
	ErrUnsupportedURL    = errors.New("unsupported URL (use s3://, gs:// or azblob://, or a local path)")
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

// Open opens one input named as on a command line (a path, "-", a pipe, or
// an object URL; a pattern must match exactly one) and reads its header.
// The source owns the input: closing it removes any spool. To read an input
// twice, or several inputs, use Resolve and Input.Open.
func Open(ctx context.Context, name string, opts Options) (Source, error) {
	ins, err := Resolve(ctx, []string{name}, opts)
	if err != nil {
		return nil, err
	}
	if len(ins) != 1 {
		err := fmt.Errorf("%s: matches %d files, want one", name, len(ins))
		return nil, errors.Join(err, CloseAll(ins))
	}
	src, err := ins[0].Open(ctx, opts)
	if err != nil {
		return nil, errors.Join(err, ins[0].Close())
	}
	return &owningSource{Source: src, in: ins[0]}, nil
}

// owningSource closes its input with itself.
type owningSource struct {
	Source
	in *Input
}

func (s *owningSource) Close() error { return errors.Join(s.Source.Close(), s.in.Close()) }

// ReadHeader reads just the header row of one input (see Open).
func ReadHeader(ctx context.Context, name string, opts Options) ([]string, error) {
	src, err := Open(ctx, name, opts)
	if err != nil {
		return nil, err
	}
	h := src.Header()
	if err := src.Close(); err != nil {
		return nil, fmt.Errorf("close %s: %w", src.Name(), err)
	}
	return h, nil
}
