package source

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// textEncoding is how a delimited file's bytes become UTF-8.
type textEncoding struct {
	name    string            // canonical name, for messages
	dec     encoding.Encoding // nil: the bytes are UTF-8 already (invalid ones are replaced)
	skipBOM int               // UTF-8 BOM bytes to drop
	valid   bool              // UTF-8 checked valid to the end: no bytes to replace
}

// Byte order marks.
const (
	bomUTF8    = "\xEF\xBB\xBF"
	bomUTF16LE = "\xFF\xFE"
	bomUTF16BE = "\xFE\xFF"
)

// resolveEncoding decides how to decode a file whose first bytes are head.
// For "auto" without a BOM or a UTF-16 pattern it asks detect for the
// statistics of the file's bytes (see byteStats.decide); the warning, if
// any, is for the user.
func resolveEncoding(ctx context.Context, name string, head []byte, detect func(context.Context) (byteStats, error)) (textEncoding, string, error) {
	le := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	be := unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	hasPrefix := func(p string) bool { return len(head) >= len(p) && string(head[:len(p)]) == p }
	utf8Enc := func() textEncoding {
		if hasPrefix(bomUTF8) {
			return textEncoding{name: "UTF-8", skipBOM: len(bomUTF8)}
		}
		return textEncoding{name: "UTF-8"}
	}
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "auto":
		switch {
		case hasPrefix(bomUTF8):
			return utf8Enc(), "", nil
		case hasPrefix(bomUTF16LE):
			return textEncoding{name: "UTF-16LE", dec: le}, "", nil
		case hasPrefix(bomUTF16BE):
			return textEncoding{name: "UTF-16BE", dec: be}, "", nil
		case len(head) >= 4 && head[0] != 0 && head[1] == 0 && head[2] != 0 && head[3] == 0:
			return textEncoding{name: "UTF-16LE", dec: le}, "no byte order mark, read as UTF-16LE", nil
		case len(head) >= 4 && head[0] == 0 && head[1] != 0 && head[2] == 0 && head[3] != 0:
			return textEncoding{name: "UTF-16BE", dec: be}, "no byte order mark, read as UTF-16BE", nil
		}
		st, err := detect(ctx)
		if err != nil {
			return textEncoding{}, "", err
		}
		enc, warning := st.decide()
		return enc, warning, nil
	case "utf-8", "utf8":
		return utf8Enc(), "", nil
	case "utf-16", "utf16", "utf-16le", "utf16le", "unicode":
		// A BOM, when present, wins over the stated byte order; it is dropped either way.
		return textEncoding{name: "UTF-16LE", dec: le}, "", nil
	case "utf-16be", "utf16be":
		return textEncoding{name: "UTF-16BE", dec: be}, "", nil
	case "windows-1252", "cp1252", "win1252":
		return win1252(), "", nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1":
		return textEncoding{name: "ISO-8859-1", dec: charmap.ISO8859_1}, "", nil
	case "macroman", "mac", "x-mac-roman", "macintosh", "mac-roman":
		return macRoman(), "", nil
	default:
		return textEncoding{}, "", fmt.Errorf("%q: %w", name, ErrUnknownEncoding)
	}
}

// The single-byte encodings auto detection chooses between.
func win1252() textEncoding  { return textEncoding{name: "Windows-1252", dec: charmap.Windows1252} }
func macRoman() textEncoding { return textEncoding{name: "MacRoman", dec: charmap.Macintosh} }

// reader wraps r (positioned at the start of the file) so that it yields
// UTF-8 without a BOM. For UTF-8 it returns the fixer that replaces invalid
// bytes and remembers where they were.
func (e textEncoding) reader(r io.Reader) (io.Reader, *utf8Fixer, error) {
	if e.skipBOM > 0 {
		if _, err := io.CopyN(io.Discard, r, int64(e.skipBOM)); err != nil {
			return nil, nil, fmt.Errorf("skip byte order mark: %w", err)
		}
	}
	switch {
	case e.dec == nil && e.valid:
		return r, nil, nil // the hot path of the usual file: nothing in between
	case e.dec == nil:
		f := newUTF8Fixer(r, int64(e.skipBOM))
		return f, f, nil
	}
	return transform.NewReader(r, e.dec.NewDecoder()), nil, nil
}

// validUTF8 reports whether r is valid UTF-8 to its end, reading it in chunks
// and stopping at the first chunk that is not; a rune split across chunks is
// carried over.
func validUTF8(ctx context.Context, r io.Reader, chunk int) (bool, error) {
	buf := make([]byte, chunk+utf8.UTFMax)
	carry := 0
	for {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		n, err := io.ReadFull(r, buf[carry:carry+chunk])
		data := buf[:carry+n]
		final := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !final {
			return false, fmt.Errorf("read: %w", err)
		}
		cut := len(data)
		if !final {
			cut = completeRunesPrefix(data)
		}
		if !utf8.Valid(data[:cut]) {
			return false, nil
		}
		if final {
			return true, nil
		}
		carry = copy(buf, data[cut:])
	}
}

// completeRunesPrefix returns the length of b without a trailing incomplete rune.
func completeRunesPrefix(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if utf8.FullRune(b[i:]) {
				return len(b)
			}
			return i
		}
	}
	return len(b)
}
