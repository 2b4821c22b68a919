package keyset

import (
	"crypto/sha256"
	"encoding/binary"
)

// fingerprint is 128 bits of SHA-256 over the set's salt and a lead's key.
// Two different keys share one with probability 2^-128; see doc.go for
// what that means at 20M keys.
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

// fingerprintOf hashes buf, which holds the salt followed by a key. The
// salt is random per set, so nobody can choose keys that pile up in one
// region of the table (and a set's fingerprints mean nothing outside it).
func fingerprintOf(buf []byte) fingerprint {
	sum := sha256.Sum256(buf)
	return fingerprint{hi: binary.BigEndian.Uint64(sum[0:8]), lo: binary.BigEndian.Uint64(sum[8:16])}
}
