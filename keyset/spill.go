package keyset

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// blockRecs is how many records a disk lookup reads at once: 170 records
// of 24 bytes fill one 4 KiB page.
const blockRecs = 170

// ioChunk is the size of the reads and writes that move whole runs.
const ioChunk = 64 << 10 / slotBytes * slotBytes

// run is one sorted spill of the memtable, kept in the spill file.
type run struct {
	off   int64         // offset of its first record
	n     int           // records
	first []fingerprint // first fingerprint of each block of blockRecs
}

// spillFile holds every run, one after the other, in a single temporary
// file. On systems that allow it the file is unlinked as soon as it is
// created, so not even a kill -9 leaves it behind.
type spillFile struct {
	f        *os.File
	unlinked bool
	end      int64
	runs     []run
	rbuf     []byte
	mbuf     []byte // ContainsMany's reads of several blocks
	reads    int64  // reads made by lookups
	lastHit  int    // run of the last key found: duplicates come in streaks
}

// openSpill creates an empty spill file in dir ("" means the system's temp
// dir).
func openSpill(dir string) (*spillFile, error) {
	f, err := os.CreateTemp(dir, "xonvo-keyset-*.spill")
	if err != nil {
		return nil, fmt.Errorf("keyset: create spill file: %w", err)
	}
	s := &spillFile{f: f, rbuf: make([]byte, blockRecs*slotBytes)}
	// Windows cannot remove an open file: there close removes it instead.
	s.unlinked = os.Remove(f.Name()) == nil
	return s, nil
}

// write appends keys (sorted) as a new run.
func (s *spillFile) write(keys []slot) error {
	w := newRunWriter(s.f, s.end, len(keys))
	for _, k := range keys {
		w.add(k)
	}
	r, err := w.finish()
	if err != nil {
		return err
	}
	s.runs = append(s.runs, r)
	s.end += int64(r.n) * slotBytes
	return nil
}

// find looks f up in the runs, starting with the run of the last hit (a
// file given twice finds its duplicates in the same run as their
// neighbours), then newest first. The block index says which block of a run
// could hold f, and one read of that block settles it. Add never stores a
// key twice, so the first hit is the only one (Insert may, but it only
// asks whether there is one).
func (s *spillFile) find(f fingerprint) (uint64, bool, error) {
	if len(s.runs) == 0 {
		return 0, false, nil
	}
	last := min(s.lastHit, len(s.runs)-1)
	for step := -1; step < len(s.runs); step++ {
		ri := last
		if step >= 0 {
			if ri = len(s.runs) - 1 - step; ri == last {
				continue
			}
		}
		at, found, err := s.findIn(&s.runs[ri], f)
		if err != nil || found {
			s.lastHit = ri
			return at, found, err
		}
	}
	return 0, false, nil
}

// findIn looks f up in one run.
func (s *spillFile) findIn(r *run, f fingerprint) (uint64, bool, error) {
	b := sort.Search(len(r.first), func(i int) bool { return f.less(r.first[i]) }) - 1
	if b < 0 {
		return 0, false, nil
	}
	n := min(blockRecs, r.n-b*blockRecs)
	buf := s.rbuf[:n*slotBytes]
	if _, err := s.f.ReadAt(buf, r.off+int64(b*blockRecs*slotBytes)); err != nil && !errors.Is(err, io.EOF) {
		return 0, false, fmt.Errorf("keyset: read spill file %s: %w", s.f.Name(), err)
	}
	s.reads++
	i := sort.Search(n, func(i int) bool { return !recordAt(buf, i).less(f) })
	if i < n && recordAt(buf, i) == f {
		return binary.LittleEndian.Uint64(buf[i*slotBytes+16:]), true, nil
	}
	return 0, false, nil
}

// each calls fn with the fingerprint of every spilled key, reading the
// file in order.
func (s *spillFile) each(fn func(fingerprint)) error {
	for i := range s.runs {
		rd := newRunReader(s.f, &s.runs[i])
		for {
			k, ok, err := rd.next()
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			fn(fingerprint{k.hi, k.lo})
		}
	}
	return nil
}

// indexBytes is the memory the runs' block indexes and read buffer hold.
func (s *spillFile) indexBytes() int64 {
	var n int64
	for _, r := range s.runs {
		n += int64(cap(r.first)) * 16
	}
	return n + int64(cap(s.mbuf))
}

// close closes and removes the file.
func (s *spillFile) close() error {
	err := s.f.Close()
	if !s.unlinked {
		if rerr := os.Remove(s.f.Name()); rerr != nil && !errors.Is(rerr, os.ErrNotExist) && err == nil {
			err = rerr
		}
	}
	if err != nil {
		return fmt.Errorf("keyset: close spill file %s: %w", s.f.Name(), err)
	}
	return nil
}

// recordAt decodes the fingerprint of record i of a block.
func recordAt(buf []byte, i int) fingerprint {
	return fingerprint{
		hi: binary.LittleEndian.Uint64(buf[i*slotBytes:]),
		lo: binary.LittleEndian.Uint64(buf[i*slotBytes+8:]),
	}
}

// runWriter writes sorted records from off on, in chunks, and builds the
// run's block index as it goes.
type runWriter struct {
	f   *os.File
	off int64
	buf []byte
	r   run
	err error
}

func newRunWriter(f *os.File, off int64, n int) *runWriter {
	return &runWriter{f: f, off: off, buf: make([]byte, 0, ioChunk),
		r: run{off: off, first: make([]fingerprint, 0, (n+blockRecs-1)/blockRecs)}}
}

func (w *runWriter) add(k slot) {
	if w.r.n%blockRecs == 0 {
		w.r.first = append(w.r.first, fingerprint{k.hi, k.lo})
	}
	w.r.n++
	w.buf = binary.LittleEndian.AppendUint64(w.buf, k.hi)
	w.buf = binary.LittleEndian.AppendUint64(w.buf, k.lo)
	w.buf = binary.LittleEndian.AppendUint64(w.buf, k.at)
	if len(w.buf) == cap(w.buf) {
		w.flush()
	}
}

func (w *runWriter) flush() {
	if w.err != nil || len(w.buf) == 0 {
		return
	}
	if _, err := w.f.WriteAt(w.buf, w.off); err != nil {
		w.err = fmt.Errorf("keyset: write spill file %s: %w", w.f.Name(), err)
	}
	w.off += int64(len(w.buf))
	w.buf = w.buf[:0]
}

func (w *runWriter) finish() (run, error) {
	w.flush()
	return w.r, w.err
}

// runReader reads a run's records in order, a chunk at a time.
type runReader struct {
	f        *os.File
	off, end int64
	buf      []byte
	pos      int
}

func newRunReader(f *os.File, r *run) *runReader {
	return &runReader{f: f, off: r.off, end: r.off + int64(r.n)*slotBytes, buf: make([]byte, 0, ioChunk)}
}

// next returns the next record, or false at the end of the run.
func (rd *runReader) next() (slot, bool, error) {
	if rd.pos == len(rd.buf) {
		if rd.off == rd.end {
			return slot{}, false, nil
		}
		n := min(int64(cap(rd.buf)), rd.end-rd.off)
		rd.buf = rd.buf[:n]
		if _, err := rd.f.ReadAt(rd.buf, rd.off); err != nil && !errors.Is(err, io.EOF) {
			return slot{}, false, fmt.Errorf("keyset: read spill file %s: %w", rd.f.Name(), err)
		}
		rd.off += n
		rd.pos = 0
	}
	b := rd.buf[rd.pos:]
	rd.pos += slotBytes
	return slot{
		hi: binary.LittleEndian.Uint64(b),
		lo: binary.LittleEndian.Uint64(b[8:]),
		at: binary.LittleEndian.Uint64(b[16:]),
	}, true, nil
}
