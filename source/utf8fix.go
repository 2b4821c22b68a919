package source

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// utf8Fixer passes UTF-8 through, replacing each byte that is not valid UTF-8
// with U+FFFD and remembering where it was, so that the row holding it can
// say so. A valid chunk goes through untouched (utf8.Valid is the only cost).
type utf8Fixer struct {
	r      io.Reader
	rawOff int64 // offset in the file of the next byte read from r
	outOff int64 // bytes handed out so far
	carry  [utf8.UTFMax]byte
	nc     int    // bytes in carry: an incomplete rune at the end of the last read
	pend   []byte // replaced output that did not fit in the caller's buffer
	spare  []byte // reused for building replaced output
	bad    []badByte
	err    error // the error that ended r, due once carry and pend are out
}

// badByte is one replaced byte: where its U+FFFD is in the output and where
// the byte was in the file.
type badByte struct {
	out, raw int64
	b        byte
}

func newUTF8Fixer(r io.Reader, base int64) *utf8Fixer {
	return &utf8Fixer{r: r, rawOff: base}
}

func (f *utf8Fixer) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if len(f.pend) > 0 {
		n := copy(p, f.pend)
		f.pend = f.pend[n:]
		f.outOff += int64(n)
		return n, nil
	}
	for {
		if f.err != nil && f.nc == 0 {
			return 0, f.err
		}
		if len(p) < 4*utf8.UTFMax {
			return f.readSmall(p)
		}
		k := copy(p, f.carry[:f.nc])
		f.nc = 0
		n := k
		if f.err == nil {
			var m int
			m, f.err = f.r.Read(p[k:])
			n += m
		}
		data := p[:n]
		if f.err == nil {
			cut := completeRunesPrefix(data)
			f.nc = copy(f.carry[:], data[cut:])
			data = data[:cut]
		}
		if len(data) == 0 {
			continue
		}
		if utf8.Valid(data) {
			f.rawOff += int64(len(data))
			f.outOff += int64(len(data))
			return len(data), nil
		}
		return f.replace(p, data), nil
	}
}

// readSmall serves a caller buffer too small to hold a replaced rune, through pend.
func (f *utf8Fixer) readSmall(p []byte) (int, error) {
	tmp := make([]byte, 4096)
	n, err := f.Read(tmp)
	if n == 0 {
		return 0, err
	}
	f.outOff -= int64(n) // counted again as it is copied out below
	f.pend = append(tmp[:n:n], f.pend...)
	m := copy(p, f.pend)
	f.pend = f.pend[m:]
	f.outOff += int64(m)
	return m, nil
}

// replace rewrites data (which is p's prefix) with U+FFFD for each invalid
// byte, copies what fits into p and keeps the rest pending.
func (f *utf8Fixer) replace(p, data []byte) int {
	out := f.spare[:0]
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			f.bad = append(f.bad, badByte{out: f.outOff + int64(len(out)), raw: f.rawOff + int64(i), b: data[i]})
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, data[i:i+size]...)
		}
		i += size
	}
	f.rawOff += int64(len(data))
	n := copy(p, out)
	f.outOff += int64(n)
	f.pend = append(f.pend[:0], out[n:]...)
	f.spare = out
	return n
}

// warningBefore returns the warning for the bytes replaced before output
// offset end (the end of a row), and forgets them; "" if none.
func (f *utf8Fixer) warningBefore(end int64) string {
	n := 0
	for n < len(f.bad) && f.bad[n].out < end {
		n++
	}
	if n == 0 {
		return ""
	}
	first := f.bad[0]
	f.bad = f.bad[n:]
	if n == 1 {
		return fmt.Sprintf("byte 0x%02X at byte offset %d is not valid UTF-8; replaced by U+FFFD", first.b, first.raw)
	}
	return fmt.Sprintf("%d bytes are not valid UTF-8 (the first, 0x%02X, at byte offset %d); replaced by U+FFFD", n, first.b, first.raw)
}
