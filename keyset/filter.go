package keyset

import (
	"math/bits"

	"github.com/xonvo/xonvo-import/internal/offheap"
)

// bloom is a blocked Bloom filter over the spilled keys: each key sets one
// bit in each of the eight 64-bit words of one 64-byte block (a split-block
// filter), so a lookup reads a single cache line. Its size is fixed by the
// budget, not by the number of keys: memory stays bounded, and the false
// positive rate rises as keys are added (see doc.go for the figures).
type bloom struct {
	words  []uint64
	mapped bool // words are outside the heap (internal/offheap)
	blocks uint64
}

// newBloom makes a filter of size bytes (rounded down to whole blocks, at
// least one).
func newBloom(size int64) bloom {
	blocks := max(uint64(size)/64, 1)
	words, mapped := offheap.Alloc[uint64](int(blocks * 8))
	return bloom{words: words, mapped: mapped, blocks: blocks}
}

// free gives the filter's memory back and leaves it empty.
func (b *bloom) free() {
	offheap.Free(b.words, b.mapped)
	*b = bloom{}
}

// block picks the key's block from hi; the bits within it come from lo, so
// the two choices are independent.
func (b *bloom) block(f fingerprint) []uint64 {
	i, _ := bits.Mul64(f.hi, b.blocks)
	return b.words[i*8 : i*8+8 : i*8+8]
}

func (b *bloom) add(f fingerprint) {
	w := b.block(f)
	for i := range 8 {
		w[i] |= 1 << (f.lo >> (6 * i) & 63)
	}
}

// mayContain is false for a key never added; true for every added key and
// for a small share of the others.
func (b *bloom) mayContain(f fingerprint) bool {
	w := b.block(f)
	for i := range 8 {
		if w[i]&(1<<(f.lo>>(6*i)&63)) == 0 {
			return false
		}
	}
	return true
}
