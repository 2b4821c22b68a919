package source

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"unicode/utf8"
)

// streamScanBytes is how much of a stream (an object read without a temp
// file) the encoding detection sees: a stream cannot be read twice.
const streamScanBytes = 4 << 20

// content is the bytes of one input after decompression, ready to decode.
type content struct {
	name    string
	ext     string        // the format's extension (innerExt)
	r       io.Reader     // from the first byte
	head    []byte        // the first bytes of r (still to be read from r)
	peeker  *bufio.Reader // streams: r itself, to peek more of for detection
	rescan  func() (io.ReadCloser, error)
	read    *atomic.Int64 // raw bytes read, for progress
	size    int64         // raw size; 0 if unknown
	closers []func() error

	localPath string // set when the content is a local file as is (not compressed)
}

// Close closes what content was built on, last opened first.
func (c *content) Close() error {
	var errs []error
	for i := len(c.closers) - 1; i >= 0; i-- {
		errs = append(errs, c.closers[i]())
	}
	c.closers = nil
	return errors.Join(errs...)
}

// scan gives the encoding detection its statistics: a quick validity pass
// over the whole content, and only if that fails a second, detailed one.
// A stream is judged by its first streamScanBytes.
func (c *content) scan(ctx context.Context) (byteStats, error) {
	if c.rescan == nil {
		head, err := c.peeker.Peek(streamScanBytes)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return byteStats{}, fmt.Errorf("read: %w", err)
		}
		whole := err != nil && errors.Is(err, io.EOF)
		cut := len(head)
		if !whole {
			cut = completeRunesPrefix(head)
		}
		if utf8.Valid(head[:cut]) {
			return byteStats{firstInvalid: -1, whole: whole}, nil
		}
		return scanBytes(ctx, bytes.NewReader(head), whole)
	}
	pass := func(f func(io.Reader) error) error {
		rc, err := c.rescan()
		if err != nil {
			return err
		}
		return errors.Join(f(rc), rc.Close())
	}
	var valid bool
	if err := pass(func(r io.Reader) (err error) { valid, err = validUTF8(ctx, r, 256<<10); return err }); err != nil {
		return byteStats{}, err
	}
	if valid {
		return byteStats{firstInvalid: -1, whole: true}, nil
	}
	var st byteStats
	err := pass(func(r io.Reader) (err error) { st, err = scanBytes(ctx, r, true); return err })
	return st, err
}

// Open opens the input for reading and reads its header. Compression is
// found from the first bytes; the format from them (a zip is a workbook)
// or from the extension. Stdin and pipes are spooled on first use; XLSX
// that is compressed or in a bucket is inflated or downloaded to a temp file
// that the source removes on Close.
func (in *Input) Open(ctx context.Context, o Options) (_ Source, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in.mu.Lock()
	closed := in.closed
	in.mu.Unlock()
	if closed {
		return nil, &ReadError{File: in.name, Err: errors.New("input is closed")}
	}
	c, err := in.content(ctx)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, c.Close())
		}
	}()
	f, err := detectFormat(c.ext, c.head)
	if err != nil {
		return nil, &ReadError{File: in.name, Err: err}
	}
	if f == formatText {
		return openCSV(ctx, c, o)
	}
	if local := c.localPath; local != "" {
		if err := c.Close(); err != nil {
			return nil, &ReadError{File: in.name, Err: err}
		}
		return openSheetAt(ctx, in.name, local, nil, o)
	}
	// A workbook needs random access: inflate or download it to a temp file.
	sp, err := spoolTo(ctx, c.r, o.TempDir, o.maxSpoolBytes(), false)
	if err != nil {
		return nil, &ReadError{File: in.name, Err: err}
	}
	if err := c.Close(); err != nil {
		return nil, errors.Join(&ReadError{File: in.name, Err: err}, sp.remove())
	}
	return openSheetAt(ctx, in.name, sp.path, sp, o)
}

// content opens the input's bytes, decompressed.
func (in *Input) content(ctx context.Context) (*content, error) {
	c := &content{name: in.name, ext: innerExt(in.name), read: new(atomic.Int64)}
	if in.kind == KindObject {
		return c, in.streamContent(ctx, c)
	}
	p := in.path
	if in.kind != KindFile {
		sp, err := in.spooled(ctx)
		if err != nil {
			return nil, err
		}
		p = sp.path
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, &ReadError{File: in.name, Err: err}
	}
	c.closers = append(c.closers, f.Close)
	st, err := f.Stat()
	if err != nil {
		return nil, errors.Join(&ReadError{File: in.name, Err: err}, c.Close())
	}
	c.size = st.Size()
	head := make([]byte, 8)
	k, err := f.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, errors.Join(&ReadError{File: in.name, Err: fmt.Errorf("read: %w", err)}, c.Close())
	}
	head = head[:k]
	comp := sniffCompression(head)
	c.rescan = func() (io.ReadCloser, error) { return decompress(comp, io.NewSectionReader(f, 0, c.size)) }
	if comp == compNone {
		// The hot path: the file itself, counted, with no buffer in between.
		c.r, c.head, c.localPath = &countingReader{r: f, n: c.read}, head, p
		return c, nil
	}
	dec, err := decompress(comp, &countingReader{r: f, n: c.read})
	if err != nil {
		return nil, errors.Join(&ReadError{File: in.name, Err: err}, c.Close())
	}
	c.closers = append(c.closers, dec.Close)
	br := bufio.NewReaderSize(dec, 64<<10)
	c.head, _ = br.Peek(8)
	c.r = br
	return c, nil
}

// streamContent reads an object as a stream.
func (in *Input) streamContent(ctx context.Context, c *content) error {
	rd, err := in.bucket.b.NewReader(ctx, in.key)
	if err != nil {
		return &ReadError{File: in.name, Err: err}
	}
	c.closers = append(c.closers, rd.Close)
	c.size = rd.Size()
	raw := bufio.NewReaderSize(&countingReader{r: rd, n: c.read}, 64<<10)
	head, err := raw.Peek(8)
	if err != nil && !errors.Is(err, io.EOF) {
		return errors.Join(&ReadError{File: in.name, Err: fmt.Errorf("read: %w", err)}, c.Close())
	}
	dec, err := decompress(sniffCompression(head), raw)
	if err != nil {
		return errors.Join(&ReadError{File: in.name, Err: err}, c.Close())
	}
	c.closers = append(c.closers, dec.Close)
	c.peeker = bufio.NewReaderSize(dec, streamScanBytes)
	c.head, _ = c.peeker.Peek(8)
	c.r = c.peeker
	return nil
}

// openSheetAt opens the workbook at path (a local file or a temp copy) under
// the input's name; tmp, if not nil, is removed with the source.
func openSheetAt(ctx context.Context, name, path string, tmp *spoolFile, o Options) (Source, error) {
	src, err := openXLSX(ctx, name, path, o)
	if tmp == nil {
		return src, err
	}
	if err != nil {
		return nil, errors.Join(err, tmp.remove())
	}
	return &tempSource{Source: src, tmp: tmp}, nil
}

// tempSource removes the temp copy a workbook was opened from with it.
type tempSource struct {
	Source
	tmp *spoolFile
}

func (s *tempSource) Close() error { return errors.Join(s.Source.Close(), s.tmp.remove()) }
