package mapping

import (
	"hash/maphash"
	"strconv"
)

// Deduper finds leads that appear more than once in one run's input. It keeps
// only a 64-bit hash of each key and where the key was first seen, so a
// million rows cost about 16 bytes of map slot each (≈ 40 MB with the map's
// overhead at worst, see BenchmarkDeduper), whatever the ids' lengths.
//
// Collision odds: two different keys share a hash with probability 2^-64, so
// among n keys the chance of any false "duplicate" is about n²/2^65: 3e-8
// for a million rows, 3e-6 for ten million. The seed is random per Deduper,
// so a colliding pair in one run does not collide in the next.
//
// A Deduper is not safe for concurrent use; the importer calls it from the
// goroutine that keeps rows in input order.
type Deduper struct {
	seed  maphash.Seed
	seen  map[uint64]uint64 // key hash -> file index << rowBits | row
	files []string
	index map[string]uint64
}

// Packing of the first-seen place: 24 bits of file index (16M files), 40 of
// row number (a trillion rows).
const (
	rowBits = 40
	rowMask = 1<<rowBits - 1
	maxFile = 1<<(64-rowBits) - 1
)

// NewDeduper returns an empty Deduper.
func NewDeduper() *Deduper {
	return &Deduper{
		seed:  maphash.MakeSeed(),
		seen:  make(map[uint64]uint64),
		index: make(map[string]uint64),
	}
}

// Check remembers the lead keyed by (account, externalId), or by (account,
// phone) when externalId is empty, and reports whether the same key was seen
// before, with where: "duplicate of row 12 of leads.csv". A row with neither
// externalId nor phone has no key and is never a duplicate. Pass the mapped
// (normalised) values so that "+1 206 555 0100" and "2065550100" match.
func (d *Deduper) Check(accountID, externalID, phone, file string, row int) (message string, dup bool) {
	var h maphash.Hash
	h.SetSeed(d.seed)
	h.WriteString(accountID)
	switch {
	case externalID != "":
		h.WriteByte(0) // separators keep ("1","23") and ("12","3") apart
		h.WriteByte('e')
		h.WriteString(externalID)
	case phone != "":
		h.WriteByte(0)
		h.WriteByte('p')
		h.WriteString(phone)
	default:
		return "", false
	}
	key := h.Sum64()
	if at, ok := d.seen[key]; ok {
		fi, r := at>>rowBits, at&rowMask
		msg := "duplicate of row " + strconv.FormatUint(r, 10)
		if fi < uint64(len(d.files)) {
			msg += " of " + d.files[fi]
		}
		return msg, true
	}
	d.seen[key] = d.fileIndex(file)<<rowBits | uint64(row)&rowMask
	return "", false
}

// fileIndex returns the index of file, adding it when new.
func (d *Deduper) fileIndex(file string) uint64 {
	if i, ok := d.index[file]; ok {
		return i
	}
	i := uint64(len(d.files))
	if i > maxFile { // beyond 16M files the message loses the file name
		return maxFile
	}
	d.files = append(d.files, file)
	d.index[file] = i
	return i
}
