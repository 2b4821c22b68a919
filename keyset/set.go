package keyset

import (
	"errors"
	"fmt"
)

// DefaultMemoryBudget is the heap a Set uses at most for its table and
// filter when Options.MemoryBudget is 0: half for the in-memory table (1M
// slots, ~786k keys before a spill), half for the largest filter over the
// spilled keys.
const DefaultMemoryBudget = 48 << 20

// MinMemoryBudget is the smallest budget New accepts.
const MinMemoryBudget = 64 << 10

// Limits of a first occurrence, from its packing in 64 bits.
const (
	rowBits  = 40
	fileBits = 23
	// MaxRow is the largest row number Add accepts.
	MaxRow = 1<<rowBits - 1
	// MaxFile is the largest file index Add accepts.
	MaxFile = 1<<fileBits - 1
)

// occupied marks a used slot, so that file 0 row 0 is not an empty slot.
const occupied = 1 << 63

// initialSlots is the table's size before its first growth: a small input
// costs a few KiB, not the whole budget.
const initialSlots = 1024

var (
	// ErrClosed means the Set was used after Close.
	ErrClosed = errors.New("keyset: used after Close")
	// ErrOutOfRange means a file index or row number does not fit.
	ErrOutOfRange = errors.New("keyset: file index or row out of range")
)

// Options configure New.
type Options struct {
	// Dir is where the spill file goes; "" means the system's temp dir.
	Dir string
	// MemoryBudget bounds the heap of the table and the filter, in bytes;
	// 0 means DefaultMemoryBudget. The runs' block index adds about 0.1
	// byte per spilled key beyond it.
	MemoryBudget int64
	// FingerprintsOf, when set, makes the new set reduce keys as that one
	// does (the same seeds), so that a fingerprint taken from either can be
	// added to or looked up in both.
	FingerprintsOf *Set
}

// Occurrence is where a key was first seen: the caller's index of the input
// file and the row number in it.
type Occurrence struct {
	File int
	Row  int
}

// Stats describe a Set's footprint, for logs and benchmarks.
type Stats struct {
	Keys        int64 // distinct keys added
	Runs        int   // sorted runs spilled to disk
	SpilledKeys int64 // keys in those runs
	DiskBytes   int64 // size of the spill file
	HeapBytes   int64 // memory of table + filter + block index (the first two outside the Go heap, offheap.go)
	DiskReads   int64 // reads of the spill file by lookups so far
}

// Set is a set of lead keys with the first occurrence of each. It is not
// safe for concurrent use: the importer calls it from the goroutine that
// keeps rows in input order.
type Set struct {
	dir         string
	filterBytes int64 // the filter's share of the budget: its largest size
	hash        hasher

	mem     memtable
	filter  bloom
	spill   *spillFile
	spilled int64
	keys    int64
	err     error // sticky: a failed spill leaves the set unusable
	closed  bool

	prefetched uint64 // sums what Prefetch read; never read itself
}

// New returns an empty Set; it touches no disk until its table is full.
func New(o Options) (*Set, error) {
	budget := o.MemoryBudget
	if budget == 0 {
		budget = DefaultMemoryBudget
	}
	if budget < MinMemoryBudget {
		return nil, fmt.Errorf("keyset: memory budget %d bytes is below the minimum of %d", budget, int64(MinMemoryBudget))
	}
	maxSlots := 1
	for int64(maxSlots)*2*slotBytes <= budget/2 {
		maxSlots *= 2
	}
	s := &Set{
		dir:         o.Dir,
		filterBytes: budget - int64(maxSlots)*slotBytes,
		mem:         newMemtable(initialSlots, maxSlots),
	}
	if o.FingerprintsOf != nil {
		s.hash = o.FingerprintsOf.hash
	} else {
		s.hash = newHasher()
	}
	return s, nil
}

// Add records the key of a lead seen at row of file (the caller's index)
// and reports whether the key was seen before, with where it was first
// seen. The key is (account, externalID), or (account, phone) when
// externalID is empty; a lead with neither is not keyed and never a
// duplicate. Pass normalised values, so "+1 206 555 0100" and "2065550100"
// are one key.
func (s *Set) Add(account, externalID, phone string, file, row int) (first Occurrence, dup bool, err error) {
	return s.AddFingerprint(s.Fingerprint(account, externalID, phone), file, row)
}

// AddFingerprint is Add of a key reduced beforehand by Fingerprint.
func (s *Set) AddFingerprint(fp Fingerprint, file, row int) (first Occurrence, dup bool, err error) {
	if err := s.usable(); err != nil {
		return Occurrence{}, false, err
	}
	if !fp.keyed {
		return Occurrence{}, false, nil
	}
	f := fp.f
	if file < 0 || file > MaxFile || row < 0 || row > MaxRow {
		return Occurrence{}, false, fmt.Errorf("%w: file %d, row %d (at most %d and %d)", ErrOutOfRange, file, row, MaxFile, MaxRow)
	}
	if !s.mem.roomy() {
		if s.mem.canGrow() {
			s.mem.grow()
		} else if err := s.spillTable(); err != nil {
			return Occurrence{}, false, err
		}
	}
	i, found := s.mem.probe(f)
	if found {
		return unpackAt(s.mem.slots[i].at), true, nil
	}
	if at, found, err := s.findSpilled(f); err != nil || found {
		return unpackAt(at), found, err
	}
	s.mem.slots[i] = slot{hi: f.hi, lo: f.lo, at: packAt(file, row)}
	s.mem.n++
	s.keys++
	return Occurrence{}, false, nil
}

// Prefetch reads the table's slots for fps and changes nothing: the
// AddFingerprint calls that follow soon after find them in the CPU's
// cache. Past a few MiB the table outgrows the cache and each Add waits
// for memory on its own (a third of the time of a million-row run's
// in-order stage); a batch of independent reads waits for them together.
func (s *Set) Prefetch(fps []Fingerprint) {
	slots := s.mem.slots
	if len(slots) == 0 {
		return
	}
	var sum uint64
	for i := range fps {
		if fps[i].keyed {
			sum += slots[fps[i].f.hi>>s.mem.shift].at
		}
	}
	s.prefetched += sum // a use of the reads, so they are not optimised away
}

// Contains reports whether the key (same rule as Add) was added. A lead
// with neither id is never contained. The first Contains that needs the
// disk after a spill merges the runs into one (a sequential pass, about
// half a second at 5M keys): call Contains after the Adds, not between
// them.
func (s *Set) Contains(account, externalID, phone string) (bool, error) {
	if err := s.usable(); err != nil {
		return false, err
	}
	f, keyed := s.fingerprint(account, externalID, phone)
	if !keyed {
		return false, nil
	}
	if _, found := s.mem.probe(f); found {
		return true, nil
	}
	if s.spill == nil || !s.filter.mayContain(f) {
		return false, nil
	}
	if len(s.spill.runs) > 1 {
		if err := s.mergeRuns(); err != nil {
			return false, err
		}
	}
	_, found, err := s.findSpilled(f)
	return found, err
}

// mergeRuns makes the spilled keys one run, so that each Contains of a
// spilled key reads the disk once. Contains calls it when it finds more
// than one run: once, when every Add comes before every Contains, as in
// removed detection.
func (s *Set) mergeRuns() error {
	m, err := s.spill.merged(s.dir)
	if err != nil {
		s.err = err
		return err
	}
	if err := s.spill.close(); err != nil {
		_ = m.close()
		s.err = err
		return err
	}
	s.spill = m
	return nil
}

// Len is the number of distinct keys added.
func (s *Set) Len() int64 { return s.keys }

// Stats returns the set's footprint.
func (s *Set) Stats() Stats {
	st := Stats{
		Keys:        s.keys,
		SpilledKeys: s.spilled,
		HeapBytes:   int64(cap(s.mem.slots))*slotBytes + int64(cap(s.filter.words))*8,
	}
	if s.spill != nil {
		st.Runs = len(s.spill.runs)
		st.DiskBytes = s.spill.end
		st.DiskReads = s.spill.reads
		st.HeapBytes += s.spill.indexBytes()
	}
	return st
}

// outsideBytes is the memory of the table and filter that lives outside
// the Go heap (internal/offheap), for the benchmarks' figures.
func (s *Set) outsideBytes() int64 {
	var n int64
	if s.mem.mapped {
		n += int64(cap(s.mem.slots)) * slotBytes
	}
	if s.filter.mapped {
		n += int64(cap(s.filter.words)) * 8
	}
	return n
}

// Close releases the memory and removes the spill file. Calling it again,
// or on a nil Set (one New never made), does nothing.
func (s *Set) Close() error {
	if s == nil || s.closed {
		return nil
	}
	s.closed = true
	s.mem.free()
	s.filter.free()
	if s.spill == nil {
		return nil
	}
	err := s.spill.close()
	s.spill = nil
	return err
}

func (s *Set) usable() error {
	if s.closed {
		return ErrClosed
	}
	return s.err
}

// fingerprint hashes the lead's key under the set's seeds.
func (s *Set) fingerprint(account, externalID, phone string) (fingerprint, bool) {
	fp := s.Fingerprint(account, externalID, phone)
	return fp.f, fp.keyed
}

// findSpilled looks f up among the spilled keys; the filter answers most
// misses without reading the disk.
func (s *Set) findSpilled(f fingerprint) (uint64, bool, error) {
	if s.spill == nil || !s.filter.mayContain(f) {
		return 0, false, nil
	}
	at, found, err := s.spill.find(f)
	if err != nil {
		s.err = err
	}
	return at, found, err
}

// spillTable writes the table to disk as a sorted run and empties it.
func (s *Set) spillTable() error {
	if s.spill == nil {
		sp, err := openSpill(s.dir)
		if err != nil {
			s.err = err
			return err
		}
		s.spill = sp
	}
	keys := s.mem.sorted()
	if err := s.spill.write(keys); err != nil {
		s.err = err
		return err
	}
	s.spilled += int64(len(keys))
	if want := filterSize(s.spilled, s.filterBytes); want > int64(len(s.filter.words))*8 {
		// Rebuilding from the runs (the new one included) reads the
		// spill file once; sizes double, so that is twice its size in all.
		s.filter.free() // the file has every key: let the old one go first
		f := newBloom(want)
		if err := s.spill.each(f.add); err != nil {
			f.free()
			s.err = err
			return err
		}
		s.filter = f
	} else {
		for _, k := range keys {
			s.filter.add(fingerprint{k.hi, k.lo})
		}
	}
	s.mem.reset()
	return nil
}

// filterBitsPerKey sizes the filter while the budget allows: 16 bits a key
// keep its false positives near 1 in 1,000 (doc.go).
const filterBitsPerKey = 16

// filterSize is the filter's size for n spilled keys: the power of two
// bytes that gives each key filterBitsPerKey, at most limit. It grows with
// the keys, so an input that spills once does not pay for the whole budget.
func filterSize(n, limit int64) int64 {
	size := int64(4096)
	for size < n*filterBitsPerKey/8 && size < limit {
		size *= 2
	}
	return min(size, limit)
}

// packAt packs a first occurrence: the occupied bit, 23 bits of file index
// and 40 of row number.
func packAt(file, row int) uint64 {
	return occupied | uint64(file)<<rowBits | uint64(row)
}

func unpackAt(at uint64) Occurrence {
	if at == 0 {
		return Occurrence{}
	}
	return Occurrence{File: int(at &^ occupied >> rowBits), Row: int(at & MaxRow)}
}
