package keyset

import (
	"slices"

	"github.com/xonvo/xonvo-import/internal/offheap"
)

// slot is one key in the in-memory table: its fingerprint and where it was
// first seen, packed (see packAt). at == 0 marks an empty slot.
type slot struct {
	hi, lo, at uint64
}

// slotBytes is the size of a slot, in memory and on disk.
const slotBytes = 24

// memtable is an open-addressing table with linear probing, indexed by the
// top bits of the fingerprint: a key's home slot grows with its
// fingerprint, so the table is already nearly in sorted order when it is
// spilled and the sort has little left to do.
type memtable struct {
	slots  []slot
	mapped bool // slots are outside the heap (internal/offheap)
	shift  uint // 64 - log2(len(slots))
	n      int
	max    int // largest len(slots) the budget allows
}

// maxLoad is the fill (3/4) past which the table grows or spills: linear
// probing stays at a few probes per lookup below it.
func maxLoad(slots int) int { return slots / 4 * 3 }

func newMemtable(initial, max int) memtable {
	m := memtable{max: max}
	m.alloc(min(initial, max))
	return m
}

func (m *memtable) alloc(size int) {
	m.slots, m.mapped = offheap.Alloc[slot](size)
	m.shift = uint(64 - log2(size))
	m.n = 0
}

// free gives the table's memory back; the table is empty and unusable
// until the next alloc.
func (m *memtable) free() {
	offheap.Free(m.slots, m.mapped)
	m.slots, m.mapped, m.n = nil, false, 0
}

// roomy reports whether one more key fits without passing maxLoad.
func (m *memtable) roomy() bool { return m.n < maxLoad(len(m.slots)) }

// canGrow reports whether the budget allows a bigger table.
func (m *memtable) canGrow() bool { return len(m.slots) < m.max }

// growStep is how many old slots grow rehashes between two releases of
// the old table's memory: 1.5 MiB, a whole number of 4 KiB pages.
const growStep = 1 << 16

// grow doubles the table and rehashes its keys. The old table is read in
// order and its pages are given back as it goes, while the new one is
// written about in the same order (homes are the fingerprint's top bits)
// and its pages are mapped only as they are first written: the two never
// hold more than the new table's size between them, where holding both
// whole was the peak of a million-row run's memory.
func (m *memtable) grow() {
	old, oldMapped := m.slots, m.mapped
	m.alloc(len(old) * 2)
	for start := 0; start < len(old); start += growStep {
		part := old[start:min(start+growStep, len(old))]
		for _, s := range part {
			if s.at != 0 {
				i, _ := m.probe(fingerprint{s.hi, s.lo})
				m.slots[i] = s
				m.n++
			}
		}
		if oldMapped {
			offheap.Release(part, true)
		}
	}
	offheap.Free(old, oldMapped)
}

// probe returns the slot holding f and true, or the empty slot where f
// would go and false.
func (m *memtable) probe(f fingerprint) (int, bool) {
	mask := len(m.slots) - 1
	for i := int(f.hi >> m.shift); ; i = (i + 1) & mask {
		s := &m.slots[i]
		if s.at == 0 {
			return i, false
		}
		if s.hi == f.hi && s.lo == f.lo {
			return i, true
		}
	}
}

// sorted moves the keys to the front of the table, sorts them by
// fingerprint and returns them; reset must follow before the next insert.
//
// The table is nearly sorted already: a key sits at its home (the top bits
// of its fingerprint) or a little after it, behind the keys of its cluster.
// So the keys are taken in slot order, those of the first cluster that
// wrapped around from the end of the table moved to the end, and an
// insertion sort puts each cluster in order with a few moves a key (where
// pdqsort cost 0.1 s a spill of 786k keys). Should a table ever need more
// moves than that, the rest is left to slices.SortFunc.
func (m *memtable) sorted() []slot {
	var wrapped []slot // keys whose probe went past the end of the table
	w, first := 0, true
	for i, s := range m.slots {
		if s.at == 0 {
			first = false
			continue
		}
		if first && int(s.hi>>m.shift) > i {
			wrapped = append(wrapped, s)
			continue
		}
		m.slots[w] = s
		w++
	}
	keys := append(m.slots[:w], wrapped...) // within the table: it holds them all
	moves, budget := 0, 8*len(keys)+64
	for i := 1; i < len(keys); i++ {
		k := keys[i]
		j := i
		for ; j > 0 && slotLess(k, keys[j-1]); j-- {
			keys[j] = keys[j-1]
		}
		keys[j] = k
		if moves += i - j; moves > budget {
			slices.SortFunc(keys, func(a, b slot) int {
				switch {
				case slotLess(a, b):
					return -1
				case slotLess(b, a):
					return 1
				}
				return 0
			})
			break
		}
	}
	return keys
}

// slotLess orders slots by fingerprint.
func slotLess(a, b slot) bool { return a.hi < b.hi || a.hi == b.hi && a.lo < b.lo }

// reset empties the table, keeping its size; its memory is given back
// until keys fill it again.
func (m *memtable) reset() {
	offheap.Release(m.slots, m.mapped)
	m.n = 0
}

// log2 of a power of two.
func log2(n int) int {
	l := 0
	for n > 1 {
		n >>= 1
		l++
	}
	return l
}
