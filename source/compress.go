package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// compression is how an input's bytes are packed, found from its first
// bytes (the extension only names the format inside).
type compression int

const (
	compNone compression = iota
	compGzip
	compZstd
)

// Magic numbers.
const (
	magicGzip = "\x1F\x8B"
	magicZstd = "\x28\xB5\x2F\xFD"
	magicZip  = "PK\x03\x04"               // XLSX is a zip
	magicOLE  = "\xD0\xCF\x11\xE0\xA1\xB1" // Excel 97-2003 .xls
)

// maxZstdWindow bounds the memory a zstd frame may ask for (zstd --long=27).
const maxZstdWindow = 128 << 20

func sniffCompression(head []byte) compression {
	switch {
	case bytes.HasPrefix(head, []byte(magicGzip)):
		return compGzip
	case bytes.HasPrefix(head, []byte(magicZstd)):
		return compZstd
	}
	return compNone
}

func (c compression) String() string {
	switch c {
	case compGzip:
		return "gzip"
	case compZstd:
		return "zstd"
	}
	return "none"
}

// decompress wraps r. Errors from damaged or cut-short data say so, since a
// truncated export is the usual cause.
func decompress(c compression, r io.Reader) (io.ReadCloser, error) {
	switch c {
	case compGzip:
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		return &inflater{r: zr, close: zr.Close, what: "gzip"}, nil
	case compZstd:
		d, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(maxZstdWindow))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return &inflater{r: d, close: func() error { d.Close(); return nil }, what: "zstd"}, nil
	}
	return io.NopCloser(r), nil
}

type inflater struct {
	r     io.Reader
	close func() error
	what  string
}

func (z *inflater) Read(p []byte) (int, error) {
	n, err := z.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("the %s data is damaged or cut short: %w", z.what, err)
	}
	return n, err
}

func (z *inflater) Close() error { return z.close() }

// innerExt is the extension of the format inside a name, lowercase, without
// a compression suffix: "a.CSV.gz" → ".csv"; "-" → "".
func innerExt(name string) string {
	name = strings.ToLower(name)
	if i := strings.IndexByte(name, '?'); i >= 0 && strings.Contains(name, "://") {
		name = name[:i]
	}
	for _, suffix := range []string{".gz", ".gzip", ".zst", ".zstd"} {
		if strings.HasSuffix(name, suffix) {
			name = strings.TrimSuffix(name, suffix)
			break
		}
	}
	return path.Ext(strings.ReplaceAll(name, `\`, "/"))
}

// format is how an input's content is parsed.
type format int

const (
	formatText  format = iota + 1 // delimited text
	formatSheet                   // an XLSX workbook
)

// detectFormat: the content's magic wins (a workbook named .csv is read as
// one; an .xls is refused with advice); otherwise the extension, and text
// when there is none (stdin, pipes).
func detectFormat(ext string, head []byte) (format, error) {
	switch {
	case bytes.HasPrefix(head, []byte(magicZip)):
		return formatSheet, nil
	case bytes.HasPrefix(head, []byte(magicOLE)):
		return 0, fmt.Errorf("an Excel 97-2003 workbook: %w; save it as .xlsx or CSV", ErrUnsupportedFormat)
	}
	switch ext {
	case ".csv", ".tsv", ".txt", "":
		return formatText, nil
	case ".xlsx", ".xlsm":
		return formatSheet, nil
	}
	return 0, fmt.Errorf("%q: %w", ext, ErrUnsupportedFormat)
}
