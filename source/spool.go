package source

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
)

// spoolFile is a private temp file holding bytes that could only be read once
// (stdin, a pipe) or that need random access (an XLSX inflated from .gz or
// downloaded from a bucket).
type spoolFile struct {
	path string
	size int64
	sum  [sha256.Size]byte // zero unless asked for
}

// spoolTo copies r into a new temp file in dir ("" = os.TempDir()), created
// 0600 so that only this user can read the leads in it. More than limit bytes
// is ErrSpoolTooLarge; the file is removed on any failure.
func spoolTo(ctx context.Context, r io.Reader, dir string, limit int64, withSum bool) (_ *spoolFile, err error) {
	f, err := os.CreateTemp(dir, "xonvo-import-*.spool")
	if err != nil {
		return nil, fmt.Errorf("temp file: %w", err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	var h hash.Hash
	var w io.Writer = f
	if withSum {
		h = sha256.New()
		w = io.MultiWriter(f, h)
	}
	buf := make([]byte, 256<<10)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k, rerr := r.Read(buf)
		if k > 0 {
			if n += int64(k); n > limit {
				return nil, fmt.Errorf("%w (%d bytes; raise it or pass a file)", ErrSpoolTooLarge, limit)
			}
			if _, err := w.Write(buf[:k]); err != nil {
				return nil, fmt.Errorf("temp file: %w", err)
			}
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			return nil, fmt.Errorf("read: %w", rerr)
		}
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("temp file: %w", err)
	}
	sp := &spoolFile{path: f.Name(), size: n}
	if h != nil {
		h.Sum(sp.sum[:0])
	}
	return sp, nil
}

// remove deletes the temp file; one already gone is fine.
func (s *spoolFile) remove() error {
	if err := os.Remove(s.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove temp file: %w", err)
	}
	return nil
}

// spooled reads stdin or the pipe into a temp file, once.
func (in *Input) spooled(ctx context.Context) (*spoolFile, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return nil, &ReadError{File: in.name, Err: errors.New("input is closed")}
	}
	if in.spool != nil || in.spoolErr != nil {
		return in.spool, in.spoolErr
	}
	var r io.Reader
	switch in.kind {
	case KindStdin:
		r = in.opts.Stdin
		if r == nil {
			if st, err := os.Stdin.Stat(); err == nil && st.Mode()&fs.ModeCharDevice != 0 {
				// Nothing is piped in: reading would wait for the keyboard.
				return nil, &ReadError{File: in.name, Err: errors.New("standard input is a terminal; pipe or redirect a file into it")}
			}
			r = os.Stdin
		}
	case KindPipe:
		f, err := os.Open(in.path)
		if err != nil {
			return nil, &ReadError{File: in.name, Err: err}
		}
		defer f.Close()
		r = f
	default:
		return nil, fmt.Errorf("%s: a %s is not spooled", in.name, in.kind)
	}
	sp, err := spoolTo(ctx, r, in.opts.TempDir, in.opts.maxSpoolBytes(), true)
	if err != nil {
		in.spoolErr = &ReadError{File: in.name, Err: err}
		return nil, in.spoolErr
	}
	in.spool = sp
	return sp, nil
}
