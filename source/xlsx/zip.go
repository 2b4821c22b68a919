package xlsx

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/flate"
)

// Defaults for Options' zero values.
const (
	DefaultMaxUnzipBytes         = 2 << 30  // 2 GiB inflated in total
	DefaultMaxCellBytes          = 1 << 20  // 1 MiB of text in one cell
	DefaultSharedStringsInMemory = 32 << 20 // shared strings kept in memory before spilling
	maxPartBytes                 = 1 << 30  // 1 GiB inflated for one part
)

// Options tunes Open. The zero value is the defaults.
type Options struct {
	// MaxUnzipBytes refuses a workbook whose parts inflate past it (1 GiB at most per part).
	MaxUnzipBytes int64
	// MaxCellBytes is the most text a cell may hold; a larger cell is dropped and its
	// row gets a Problem.
	MaxCellBytes int
	// SharedStringsInMemory is how many bytes of shared strings are held in memory;
	// past it they go to a temporary file. Negative: always in memory.
	SharedStringsInMemory int64
	// TempDir is where that file goes; "" is os.TempDir().
	TempDir string
}

func (o Options) withDefaults() Options {
	if o.MaxUnzipBytes <= 0 {
		o.MaxUnzipBytes = DefaultMaxUnzipBytes
	}
	if o.MaxCellBytes <= 0 {
		o.MaxCellBytes = DefaultMaxCellBytes
	}
	if o.SharedStringsInMemory == 0 {
		o.SharedStringsInMemory = DefaultSharedStringsInMemory
	}
	return o
}

// archive is the zip with its parts by name and the inflation limits.
type archive struct {
	zr        *zip.ReadCloser
	byName    map[string]*zip.File // part name (lower case, no leading slash) -> entry
	partLimit int64
}

func partKey(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/"))
}

// openArchive opens the zip and refuses one whose declared sizes pass the limits. The
// parts inflate with klauspost/compress's flate, about twice as fast as compress/flate
// on sheet XML; the sheet's inflation is most of a read's work.
func openArchive(path string, total int64) (*archive, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotXLSX, err)
	}
	// The compressed bytes are read in 256 KiB reads: flate's own 4 KiB buffer made
	// one pread per 4 KiB, 47,000 system calls for the million-row benchmark.
	zr.RegisterDecompressor(zip.Deflate, inflater)
	a := &archive{zr: zr, byName: make(map[string]*zip.File, len(zr.File)), partLimit: min(total, maxPartBytes)}
	var sum uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		sum += size
		switch {
		case size > uint64(a.partLimit):
			_ = zr.Close()
			return nil, fmt.Errorf("part %s inflates to %d bytes, over the %d-byte limit: %w", f.Name, size, a.partLimit, ErrZipTooLarge)
		case sum > uint64(total):
			_ = zr.Close()
			return nil, fmt.Errorf("the parts inflate to over %d bytes: %w", total, ErrZipTooLarge)
		}
		a.byName[partKey(f.Name)] = f
	}
	return a, nil
}

func (a *archive) Close() error { return a.zr.Close() }

func (a *archive) has(name string) bool {
	_, ok := a.byName[partKey(name)]
	return ok
}

// open opens a part for streaming, guarded against inflating past the part limit
// even if its header lies about its size. With ahead, a second goroutine inflates
// while the caller parses.
func (a *archive) open(name string, ahead bool) (io.ReadCloser, error) {
	f, ok := a.byName[partKey(name)]
	if !ok {
		return nil, fmt.Errorf("%w: part %s is missing", ErrNotXLSX, name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: part %s: %w", ErrNotXLSX, name, err)
	}
	lp := &limitedPart{rc: rc, left: a.partLimit, name: name}
	if !ahead {
		return lp, nil
	}
	return newReadAhead(lp), nil
}

// inflater inflates a Deflate part, reading its compressed bytes 256 KiB at a time.
func inflater(r io.Reader) io.ReadCloser {
	return flate.NewReader(bufio.NewReaderSize(r, 256<<10))
}

// openUnchecked opens a part like open, without ahead, and without the CRC-32
// check of its content: for the merge pass, which reads the sheet only to find its
// merged ranges before the row pass reads it again, checked. The CRC cost 0.1 s of
// the million-row sheet's first pass, which the rows wait for. A method other than
// Store and Deflate goes through open.
func (a *archive) openUnchecked(name string) (io.ReadCloser, error) {
	f, ok := a.byName[partKey(name)]
	if !ok || (f.Method != zip.Store && f.Method != zip.Deflate) {
		return a.open(name, false)
	}
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, fmt.Errorf("%w: part %s: %w", ErrNotXLSX, name, err)
	}
	var rc io.ReadCloser = io.NopCloser(raw)
	if f.Method == zip.Deflate {
		rc = inflater(raw)
	}
	return &limitedPart{rc: rc, left: a.partLimit, name: name}, nil
}

// limitedPart fails a part that inflates past its limit.
type limitedPart struct {
	rc   io.ReadCloser
	left int64
	name string
}

func (l *limitedPart) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// The limit is reached: one more byte means the part is too large.
		var b [1]byte
		n, err := l.rc.Read(b[:])
		if n > 0 {
			return 0, fmt.Errorf("part %s inflates past its limit: %w", l.name, ErrZipTooLarge)
		}
		return 0, l.wrap(err)
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.rc.Read(p)
	l.left -= int64(n)
	return n, l.wrap(err)
}

func (l *limitedPart) wrap(err error) error {
	switch {
	case err == nil, errors.Is(err, io.EOF):
		return err
	case errors.Is(err, zip.ErrFormat): // archive/zip's answer to a part inflating past its declared size
		return fmt.Errorf("part %s inflates past its declared size: %w (%w)", l.name, ErrZipTooLarge, err)
	default:
		return fmt.Errorf("part %s is damaged: %w (%w)", l.name, ErrNotXLSX, err)
	}
}

func (l *limitedPart) Close() error { return l.rc.Close() }
