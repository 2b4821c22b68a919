package xlsx

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"

	"github.com/xonvo/xonvo-import/internal/offheap"
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
	pinnedBytes  = 4 << 20
)

type sharedTable struct {
	budget  int64  // bytes in memory before spilling; negative: never
	tempDir string // for the spill file
	n       int    // strings added
	first   []int  // index of each chunk's first string

	mem      [][]byte // the chunks, while in memory
	memBytes int64

	pinned [][]byte // once spilled, the first chunks stay in memory too: the strings
	//                 a sheet uses most (its vocabulary) are usually the first it uses
	file *os.File      // the chunks, once spilled
	w    *bufio.Writer // writing them
	offs []int64       // each spilled chunk's offset, and the end

	cur      []byte   // text of the chunk being built
	ends     []uint32 // its strings' ends
	spillBuf []byte   // a chunk being written to the file, once spilled

	oversized map[int]int64 // strings over the cell limit, not kept: index -> size

	uniform bool // every chunk holds chunkStrings strings (the last may hold fewer): chunk = i / chunkStrings

	cache  chunkCache
	strs   stringCache
	recent [4]struct { // the chunks of the latest lookups, most recent first: a sheet alternates
		c    int // between a few common strings and the new ones of each row
		data []byte
	}
}

func newSharedTable(budget int64, tempDir string) *sharedTable {
	return &sharedTable{budget: budget, tempDir: tempDir, oversized: map[int]int64{}, uniform: true,
		cache: chunkCache{limit: cacheBytes}, strs: stringCache{limit: cacheBytes}}
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
		return t.seal(false)
	}
	return nil
}

// addOversized appends a string too large to keep, remembering its size.
func (t *sharedTable) addOversized(size int64) error {
	t.oversized[t.n] = size
	return t.add(nil)
}

// seal encodes the chunk being built and stores it; last is set for the table's last chunk.
func (t *sharedTable) seal(last bool) error {
	if len(t.ends) == 0 {
		return nil
	}
	if len(t.ends) < chunkStrings && !last {
		t.uniform = false // closed early for its text's size
	}
	head := 4 + 4*len(t.ends)
	var c []byte
	if t.file != nil {
		// Written out and dropped: one buffer serves every spilled chunk, where a
		// fresh one each was 95 MB of the million-row sheet's garbage.
		t.spillBuf = slices.Grow(t.spillBuf[:0], head+len(t.cur))[:head+len(t.cur)]
		c = t.spillBuf
	} else {
		c = make([]byte, head+len(t.cur))
	}
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
	pin, pinned := 0, 0
	for _, c := range t.mem {
		if err := t.write(c); err != nil {
			return err
		}
		if pinned += len(c); pinned <= pinnedBytes {
			pin++
		}
	}
	t.pinned = slices.Clone(t.mem[:pin]) // not the whole array: the rest must go
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
	if err := t.seal(true); err != nil {
		return err
	}
	t.cur, t.ends, t.spillBuf = nil, nil, nil
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
	c := i / chunkStrings
	if !t.uniform {
		c = sort.Search(len(t.first), func(k int) bool { return t.first[k] > i }) - 1
	}
	if t.file == nil {
		return t.inChunk(t.mem[c], i-t.first[c]), 0, nil
	}
	if c < len(t.pinned) {
		return t.inChunk(t.pinned[c], i-t.first[c]), 0, nil
	}
	for k, r := range t.recent {
		if r.c == c && r.data != nil {
			copy(t.recent[1:k+1], t.recent[:k]) // most recent first
			t.recent[0] = r
			return t.inChunk(r.data, i-t.first[c]), 0, nil
		}
	}
	if text, ok := t.strs.get(i); ok {
		return text, 0, nil
	}
	chunk, err := t.load(c)
	if err != nil {
		return nil, 0, err
	}
	text = t.inChunk(chunk, i-t.first[c])
	// Not the chunk of a recent lookup: a string used again out of order (a sheet's
	// repeated values, or a sorted sheet). Keep it for next time.
	t.strs.put(i, text)
	return text, 0, nil
}

// inChunk returns string j of a chunk.
func (t *sharedTable) inChunk(chunk []byte, j int) []byte {
	start := uint32(0)
	if j > 0 {
		start = binary.LittleEndian.Uint32(chunk[4*j:])
	}
	end := binary.LittleEndian.Uint32(chunk[4+4*j:])
	head := 4 + 4*int(binary.LittleEndian.Uint32(chunk))
	return chunk[head+int(start) : head+int(end)]
}

var errNoSharedString = errors.New("no such shared string")

// load reads spilled chunk c through the cache and makes it the most recent.
func (t *sharedTable) load(c int) ([]byte, error) {
	b, ok := t.cache.get(c)
	if !ok {
		b = t.cache.alloc(int(t.offs[c+1]-t.offs[c]), t.heldByRecent)
		if _, err := t.file.ReadAt(b, t.offs[c]); err != nil {
			return nil, fmt.Errorf("shared strings: %w", err)
		}
		t.cache.put(c, b)
	}
	copy(t.recent[1:], t.recent[:len(t.recent)-1])
	t.recent[0].c, t.recent[0].data = c, b
	return b, nil
}

// Close removes the temporary file, if any, and frees the string cache.
func (t *sharedTable) Close() error {
	t.strs.free()
	if t.file == nil {
		return nil
	}
	err := errors.Join(t.file.Close(), os.Remove(t.file.Name()))
	t.file = nil
	return err
}

// heldByRecent reports whether b is the buffer of one of the latest lookups' chunks,
// which later lookups may still read.
func (t *sharedTable) heldByRecent(b []byte) bool {
	for _, r := range t.recent {
		if cap(r.data) > 0 && cap(b) > 0 && &r.data[:1][0] == &b[:1][0] {
			return true
		}
	}
	return false
}

// chunkCache keeps recently read chunks up to limit bytes, dropping the oldest first.
// An evicted chunk's buffer is kept for the next load unless one of the table's recent
// lookups still holds it: a sheet that reads its strings out of order reloads chunks
// again and again (the million-row benchmark sheet loaded 625 MB of 110 MB), and a
// fresh buffer for each load made most of the reader's garbage.
type chunkCache struct {
	limit int
	where map[int][]byte
	order []int // chunks, oldest first
	bytes int   // capacity of the buffers in where
	spare [][]byte
}

// maxSpare bounds the evicted buffers kept for reuse; chunkRound is the granularity
// of a buffer's capacity, so that a buffer fits the next chunks of about its size.
const (
	maxSpare   = 8
	chunkRound = 1 << 10
)

func (c *chunkCache) get(i int) ([]byte, bool) {
	b, ok := c.where[i]
	return b, ok
}

// alloc returns a buffer of n bytes, evicting the oldest chunks to make room; held
// says which evicted buffers may not be reused yet.
func (c *chunkCache) alloc(n int, held func([]byte) bool) []byte {
	for c.bytes+n > c.limit && len(c.order) > 0 {
		old := c.order[0]
		c.order = c.order[1:]
		b := c.where[old]
		c.bytes -= cap(b)
		delete(c.where, old)
		if len(c.spare) < maxSpare && !held(b) {
			c.spare = append(c.spare, b)
		}
	}
	for k, b := range c.spare {
		if cap(b) >= n {
			c.spare[k] = c.spare[len(c.spare)-1]
			c.spare[len(c.spare)-1] = nil
			c.spare = c.spare[:len(c.spare)-1]
			return b[:n]
		}
	}
	return make([]byte, n, (n+chunkRound-1)/chunkRound*chunkRound)
}

func (c *chunkCache) put(i int, b []byte) {
	if c.where == nil {
		c.where = map[int][]byte{}
	}
	c.where[i] = b
	c.order = append(c.order, i)
	c.bytes += cap(b)
}

// stringCache keeps single spilled strings that were looked up out of order, up to
// limit bytes of text, in a direct-mapped table (a string displaces another with the
// same slot); when its text is full it starts over.
//
// Its 20 MB live outside the Go heap (internal/offheap): in it, under a dry run's
// memory limit, they left the collector so little room that the million-row sheet's
// run collected 77 times (1.26 s of CPU; 33 times, 0.33 s, outside). free gives the
// memory back.
type stringCache struct {
	limit  int
	arena  []byte
	tags   []int32  // slot -> string index + 1; 0: empty
	locs   []uint64 // slot -> offset<<32 | length in arena
	mapped [3]bool  // arena, tags and locs are outside the heap
}

// stringSlots is the table's size: with 2^18 slots the million-row benchmark
// sheet's repeated values (streets, phones, URLs, about 150k of them) displaced each
// other, and the reader made 111,715 preads; with 2^20 (12 MB of slots, touched as
// they fill) 69,836, for 5 MB more peak RSS.
const stringSlots = 1 << 20

func (c *stringCache) get(i int) ([]byte, bool) {
	if c.tags == nil {
		return nil, false
	}
	k := i & (stringSlots - 1)
	if int(c.tags[k]) != i+1 {
		return nil, false
	}
	loc := c.locs[k]
	return c.arena[loc>>32 : loc>>32+loc&0xffffffff], true
}

func (c *stringCache) put(i int, text []byte) {
	if len(text) > c.limit/16 {
		return
	}
	switch {
	case c.tags == nil:
		c.arena, c.mapped[0] = offheap.Alloc[byte](c.limit)
		c.arena = c.arena[:0]
		c.tags, c.mapped[1] = offheap.Alloc[int32](stringSlots)
		c.locs, c.mapped[2] = offheap.Alloc[uint64](stringSlots)
	case len(c.arena)+len(text) > c.limit:
		// Full: start again in the same memory (get's text is only valid until the
		// next call), rather than leaving 20 MB of garbage each time.
		c.arena = c.arena[:0]
		clear(c.tags)
	}
	k := i & (stringSlots - 1)
	c.tags[k], c.locs[k] = int32(i+1), uint64(len(c.arena))<<32|uint64(len(text))
	c.arena = append(c.arena, text...)
}

// free gives the cache's memory back; it is empty afterwards.
func (c *stringCache) free() {
	offheap.Free(c.arena, c.mapped[0])
	offheap.Free(c.tags, c.mapped[1])
	offheap.Free(c.locs, c.mapped[2])
	c.arena, c.tags, c.locs, c.mapped = nil, nil, nil, [3]bool{}
}
