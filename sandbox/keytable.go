package sandbox

// keyTable finds a lead by account and key: an open-addressed table of
// uint64 slots, each the top half of the key's hash (its tag) above the
// lead's index plus one; 0 is an empty slot. A lookup of a new key costs one
// memory access where a Go map of strings cost several (control word, slot,
// key bytes): at a million leads each is a cache miss. A slot's tag only
// narrows the search; the store compares the key itself, so leads whose
// hashes collide take neighbouring slots and are told apart.
type keyTable struct {
	slots []uint64
	bits  uint // len(slots) is 1<<bits
	n     int  // slots in use
}

const keyTableMinBits = 3

// home is the first slot to look at for tag: its top bits, so that the table
// grows from the slots alone, without hashing a key again.
func (t *keyTable) home(tag uint32) int { return int(tag >> (32 - t.bits)) }

// next is the slot after i, wrapping around.
func (t *keyTable) next(i int) int { return (i + 1) & (len(t.slots) - 1) }

// reserve makes room for one more lead, keeping the table at most three
// quarters full so that probes stay short. Slots found before a reserve
// are stale after it.
func (t *keyTable) reserve() {
	if t.slots != nil && (t.n+1)*4 <= len(t.slots)*3 {
		return
	}
	old := t.slots
	t.bits = max(t.bits+1, keyTableMinBits)
	t.slots = make([]uint64, 1<<t.bits)
	for _, e := range old {
		if e == 0 {
			continue
		}
		i := t.home(uint32(e >> 32))
		for t.slots[i] != 0 {
			i = t.next(i)
		}
		t.slots[i] = e
	}
}

// put records lead idx under tag in the empty slot i a probe ended on.
func (t *keyTable) put(i int, tag uint32, idx int32) {
	t.slots[i] = uint64(tag)<<32 | uint64(uint32(idx)+1)
	t.n++
}

// at returns the tag and lead of slot i; ok is false for an empty slot.
func (t *keyTable) at(i int) (tag uint32, idx int32, ok bool) {
	e := t.slots[i]
	return uint32(e >> 32), int32(uint32(e) - 1), e != 0
}
