package xlsx

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
)

// A sheet is read twice: once for its merged ranges, which the format lists after the
// rows, then for the rows. Inflating is the largest part of a read (2.1 s of CPU per
// pass on the million-row benchmark), so the first pass over a large sheet keeps the XML
// it inflated in a private temporary file and the rows are read back from it: writing
// and reading the file cost 0.3 s of CPU alone, up to 1.7 s (the kernel copying into
// fresh page cache) within a whole run on a busy VM. The XML is stored as is: s2 made
// the file 4 times smaller but cost 1.6 s to encode and decode, nearly the inflate it
// saved.
//
// Only a part that declares over cacheAbove bytes, and at most cacheRatio times its
// compressed size, is cached: a small sheet inflates again in milliseconds, and a part
// that inflates far more than XML does (a zip bomb) would make a file far larger than
// the workbook. archive/zip fails a part that inflates past its declared size, so the
// file is never larger than that.
const (
	cacheAbove = 8 << 20
	cacheRatio = 16
)

// cachePolicy says which sheets are cached, and where. A temp dir in RAM
// (tmpfs) takes no cache: the file, five times the workbook's size for the
// benchmark sheet, would be memory the reader's bounds do not count, to save
// CPU; there the sheet is inflated twice.
type cachePolicy struct {
	dir      string // Options.TempDir
	above    int64  // cacheAbove; tests change these three
	ratio    uint64 // cacheRatio
	inMemory func(dir string) bool
}

func (p cachePolicy) wants(size, packed uint64) bool {
	return size > uint64(max(p.above, 0)) && size <= p.ratio*packed
}

// sheetCache is the temporary file holding a sheet's XML.
type sheetCache struct {
	f    *os.File
	w    *bufio.Writer // while the first pass writes it
	size int64
	werr error // why writing it failed: the sheet is then inflated again
}

// Close removes the file. It does nothing the second time, or on a nil cache.
func (c *sheetCache) Close() error {
	if c == nil || c.f == nil {
		return nil
	}
	err := errors.Join(c.f.Close(), os.Remove(c.f.Name()))
	c.f = nil
	return err
}

func (c *sheetCache) closed() bool { return c.f == nil }

// Read passes through from the part, writing what it reads to the file.
type cacheTee struct {
	r io.Reader
	c *sheetCache
}

func (t cacheTee) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 && t.c.werr == nil {
		_, t.c.werr = t.c.w.Write(p[:n])
		t.c.size += int64(n)
	}
	return n, err
}

// reader reads the cached XML from its start; closing it removes the file.
func (c *sheetCache) reader() io.ReadCloser {
	return cacheReader{io.NewSectionReader(c.f, 0, c.size), c}
}

type cacheReader struct {
	*io.SectionReader
	c *sheetCache
}

func (r cacheReader) Close() error { return r.c.Close() }

// scanSheet is the first pass over a sheet's part: it returns the sheet's vertical
// merged ranges and, for a large sheet, the cache holding its XML (nil for a small one).
func scanSheet(ctx context.Context, a *archive, part string, p cachePolicy) (_ []mergeRange, _ *sheetCache, err error) {
	rc, err := a.open(part, false)
	if err != nil {
		return nil, nil, err
	}
	defer rc.Close()
	var src io.Reader = rc
	var c *sheetCache
	// The cache only saves work: a temp dir that cannot take it (missing, read-only,
	// full) leaves the sheet to be inflated again rather than unread.
	if p.wants(a.sizes(part)) && (p.inMemory == nil || !p.inMemory(p.dir)) {
		if f, ferr := os.CreateTemp(p.dir, "xlsx-sheet-*"); ferr == nil { // 0600
			c = &sheetCache{f: f, w: bufio.NewWriterSize(f, 1<<20)}
		}
	}
	if c != nil {
		defer func() {
			if err != nil {
				_ = c.Close()
			}
		}()
		src = cacheTee{rc, c}
	}
	ranges, err := findMerges(ctx, src, part)
	if err != nil {
		return nil, nil, err
	}
	if c != nil {
		if c.werr == nil {
			c.werr = c.w.Flush()
		}
		c.w = nil
		if c.werr != nil {
			return ranges, nil, c.Close()
		}
	}
	return ranges, c, nil
}
