package keyset

import (
	"encoding/binary"
	"hash/maphash"
)

// fingerprint is 128 bits of a lead's key: two 64-bit hashes under the
// set's two random seeds. See doc.go for why two different keys share one
// with probability 2^-128, and what that means at 20M keys.
type fingerprint struct{ hi, lo uint64 }

// less orders fingerprints as the spill runs are sorted: by hi, then lo.
func (f fingerprint) less(g fingerprint) bool {
	return f.hi < g.hi || f.hi == g.hi && f.lo < g.lo
}

// Tags after the account keep a lead keyed by externalId "123" apart from
// one keyed by phone "123" (the state package uses the same rule).
const (
	tagExternalID = 'e'
	tagPhone      = 'p'
)

// appendKey appends the key of a lead to dst: uvarint(len(account)),
// account, a tag, then externalId, or phone when there is no externalId.
// The length prefix keeps ("1","23") and ("12","3") apart whatever bytes the
// ids hold. It reports false for a lead with neither id: such a lead has no
// key and is never a duplicate.
func appendKey(dst []byte, account, externalID, phone string) ([]byte, bool) {
	tag, id := byte(tagExternalID), externalID
	if id == "" {
		tag, id = tagPhone, phone
	}
	if id == "" {
		return dst, false
	}
	dst = binary.AppendUvarint(dst, uint64(len(account)))
	dst = append(dst, account...)
	dst = append(dst, tag)
	return append(dst, id...), true
}

// hasher turns keys into fingerprints. Its seeds are random per set and
// never leave the process, so nobody can choose keys that pile up in one
// region of the table, and a set's fingerprints mean nothing outside it.
type hasher struct {
	seeds [2]maphash.Seed
}

func newHasher() hasher {
	return hasher{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

// of hashes one encoded key (appendKey).
func (h *hasher) of(key []byte) fingerprint {
	return fingerprint{hi: maphash.Bytes(h.seeds[0], key), lo: maphash.Bytes(h.seeds[1], key)}
}

// Fingerprint is a lead's key reduced to what a Set stores of it (or the
// mark of a lead with no key), so that the hashing can be done ahead of
// the Adds, on another goroutine.
type Fingerprint struct {
	f     fingerprint
	keyed bool
}

// keyBufSize holds the usual key on the stack: a larger one is hashed from
// the heap.
const keyBufSize = 128

// Fingerprint reduces a lead's key (see Add). It only reads the set's
// seeds: any goroutine may call it at any time, also while another uses
// the set.
func (s *Set) Fingerprint(account, externalID, phone string) Fingerprint {
	var buf [keyBufSize]byte
	b, keyed := appendKey(buf[:0], account, externalID, phone)
	if !keyed {
		return Fingerprint{}
	}
	return Fingerprint{f: s.hash.of(b), keyed: true}
}
