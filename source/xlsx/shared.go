package xlsx

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"sort"
)

// The shared-strings table in chunks of up to 256 strings or 64 KiB of text, each
// one byte slice: a count, the strings' end offsets (uint32), then the text. That is
// 4 bytes of overhead per string and one allocation per chunk, with nothing for the
// garbage collector to scan. While the chunks fit in Options.SharedStringsInMemory
// they stay in memory; past it they all go to a temporary file (offsets kept in
// memory, 8 bytes per chunk) and are read back through a small cache. Spreadsheet
// writers number shared strings in order of first use, so a sheet read top to
// bottom walks the file nearly in order and each chunk is read about once.
// The million-row benchmark sheet has 5M shared strings (110 MB of text): held as
// Go strings they set the reader's peak RSS (226 MB, most of it the GC's headroom
// over that live heap).
const (
	chunkStrings = 256
	chunkText    = 64 << 10
	cacheBytes   = 8 << 20
)

type sharedTable struct {
	budget  int64  // bytes in memory before spilling; negative: never
	tempDir string // for the spill file
	n       int    // strings added
	first   []int  // index of each chunk's first string

	mem      [][]byte // the chunks, while in memory
	memBytes int64

	file *os.File      // the chunks, once spilled
	w    *bufio.Writer // writing them
	offs []int64       // each spilled chunk's offset, and the end

	cur  []byte   // text of the chunk being built
	ends []uint32 // its strings' ends

	oversized map[int]int64 // strings over the cell limit, not kept: index -> size

	cache chunkCache
	last  int // the chunk of the previous lookup
}

func newSharedTable(budget int64, tempDir string) *sharedTable {
	return &sharedTable{budget: budget, tempDir: tempDir, oversized: map[int]int64{}}
}

// add appends the next string.
func (t *sharedTable) add(s []byte) error {
	if len(t.ends) == 0 {
		t.first = append(t.first, t.n)
	}
	t.cur = append(t.cur, s...)
	t.ends = append(t.ends, uint32(len(t.cur)))
	t.n++
	if len(t.ends) == chunkStrings || len(t.cur) >= chunkText {
		return t.seal()
	}
	return nil
}

// addOversized appends a string too large to keep, remembering its size.
func (t *sharedTable) addOversized(size int64) error {
	t.oversized[t.n] = size
	return t.add(nil)
}

// seal encodes the chunk being built and stores it.
func (t *sharedTable) seal() error {
	if len(t.ends) == 0 {
		return nil
	}
	head := 4 + 4*len(t.ends)
	c := make([]byte, head+len(t.cur))
	binary.LittleEndian.PutUint32(c, uint32(len(t.ends)))
	for i, e := range t.ends {
		binary.LittleEndian.PutUint32(c[4+4*i:], e)
	}
	copy(c[head:], t.cur)
	t.cur, t.ends = t.cur[:0], t.ends[:0]
	if t.file != nil {
		return t.write(c)
	}
	t.mem = append(t.mem, c)
	t.memBytes += int64(len(c))
	if t.budget >= 0 && t.memBytes > t.budget {
		return t.spill()
	}
	return nil
}

// spill moves the chunks in memory to a temporary file; later chunks go there too.
func (t *sharedTable) spill() error {
	f, err := os.CreateTemp(t.tempDir, "xlsx-shared-*")
	if err != nil {
		return fmt.Errorf("shared strings: %w", err)
	}
	t.file, t.w, t.offs = f, bufio.NewWriterSize(f, 1<<20), []int64{0}
	for _, c := range t.mem {
		if err := t.write(c); err != nil {
			return err
		}
	}
	t.mem, t.memBytes = nil, 0
	return nil
}

func (t *sharedTable) write(c []byte) error {
	if _, err := t.w.Write(c); err != nil {
		return fmt.Errorf("shared strings: %w", err)
	}
	t.offs = append(t.offs, t.offs[len(t.offs)-1]+int64(len(c)))
	return nil
}

// finish seals the last chunk; no add may follow.
func (t *sharedTable) finish() error {
	if err := t.seal(); err != nil {
		return err
	}
	t.cur, t.ends = nil, nil
	if t.w != nil {
		if err := t.w.Flush(); err != nil {
			return fmt.Errorf("shared strings: %w", err)
		}
		t.w = nil
	}
	return nil
}

func (t *sharedTable) len() int { return t.n }

// get returns string i, valid until the next call, or the size of a string too large
// to keep.
func (t *sharedTable) get(i int) (text []byte, oversize int64, err error) {
	if i < 0 || i >= t.n {
		return nil, 0, errNoSharedString
	}
	if size, ok := t.oversized[i]; ok {
		return nil, size, nil
	}
	c := t.last
	if c >= len(t.first) || t.first[c] > i || (c+1 < len(t.first) && t.first[c+1] <= i) {
		if c+1 < len(t.first) && t.first[c+1] <= i && (c+2 >= len(t.first) || t.first[c+2] > i) {
			c++ // reading on in order
		} else {
			c = sort.Search(len(t.first), func(k int) bool { return t.first[k] > i }) - 1
		}
		t.last = c
	}
	chunk, err := t.chunk(c)
	if err != nil {
		return nil, 0, err
	}
	j := i - t.first[c]
	start := uint32(0)
	if j > 0 {
		start = binary.LittleEndian.Uint32(chunk[4*j:])
	}
	end := binary.LittleEndian.Uint32(chunk[4+4*j:])
	head := 4 + 4*int(binary.LittleEndian.Uint32(chunk))
	return chunk[head+int(start) : head+int(end)], 0, nil
}

var errNoSharedString = errors.New("no such shared string")

func (t *sharedTable) chunk(c int) ([]byte, error) {
	if t.file == nil {
		return t.mem[c], nil
	}
	if b, ok := t.cache.get(c); ok {
		return b, nil
	}
	b := t.cache.alloc(int(t.offs[c+1] - t.offs[c]))
	if _, err := t.file.ReadAt(b, t.offs[c]); err != nil {
		return nil, fmt.Errorf("shared strings: %w", err)
	}
	t.cache.put(c, b)
	return b, nil
}

// Close removes the temporary file, if any.
func (t *sharedTable) Close() error {
	if t.file == nil {
		return nil
	}
	err := errors.Join(t.file.Close(), os.Remove(t.file.Name()))
	t.file = nil
	return err
}

// chunkCache keeps recently read chunks up to cacheBytes, dropping the oldest first.
type chunkCache struct {
	where map[int][]byte
	order []int // chunks, oldest first
	bytes int
	spare []byte // an evicted chunk's memory, for the next read
}

func (c *chunkCache) get(i int) ([]byte, bool) {
	b, ok := c.where[i]
	return b, ok
}

func (c *chunkCache) alloc(n int) []byte {
	for c.bytes+n > cacheBytes && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		b := c.where[old]
		delete(c.where, old)
		c.bytes -= len(b)
		if cap(b) > cap(c.spare) {
			c.spare = b
		}
	}
	if cap(c.spare) >= n {
		b := c.spare[:n]
		c.spare = nil
		return b
	}
	return make([]byte, n)
}

func (c *chunkCache) put(i int, b []byte) {
	if c.where == nil {
		c.where = map[int][]byte{}
	}
	c.where[i] = b
	c.order = append(c.order, i)
	c.bytes += len(b)
}
