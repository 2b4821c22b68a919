package state

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrNoKey means a lead has neither an externalId nor a phone, so nothing
// identifies it from one run to the next.
var ErrNoKey = errors.New("lead has neither externalId nor phone")

// ErrKeyTooLong means an identifier would not fit in a bbolt key (32 KiB).
var ErrKeyTooLong = errors.New("lead key too long")

// maxKeyLen is bbolt's limit on a key.
const maxKeyLen = 32768

// Key identifies a lead within an account: by ExternalID when it is set,
// else by Phone (the same rule as the importer's duplicate check). Phone is
// kept beside an externalId-keyed lead only as information for the removed
// report; it does not take part in the identity. Pass the mapped
// (normalised) values, as for the duplicate check, so that one lead keeps
// one key from run to run.
type Key struct {
	AccountID  string
	ExternalID string
	Phone      string
}

// Tags after the account say which identifier follows, so a lead keyed by
// externalId "123" and another keyed by phone "123" stay two leads.
const (
	tagExternalID = 'e'
	tagPhone      = 'p'
)

// appendKey appends the bbolt key of k to dst:
//
//	uvarint(len(AccountID)) AccountID tag identifier
//
// The length prefix makes the encoding unambiguous whatever bytes the ids
// hold (no separator can be forged), puts every lead of an account under one
// prefix (accountPrefix) for a prefix scan, and the identifier runs to the
// end, so decodeKey needs no second length.
func appendKey(dst []byte, k Key) ([]byte, error) {
	tag, id := byte(tagExternalID), k.ExternalID
	if id == "" {
		tag, id = tagPhone, k.Phone
	}
	if id == "" {
		return dst, fmt.Errorf("state: account %q: %w", k.AccountID, ErrNoKey)
	}
	if binary.MaxVarintLen64+len(k.AccountID)+1+len(id) > maxKeyLen {
		return dst, fmt.Errorf("state: account %.40q: %w (%d bytes)", k.AccountID, ErrKeyTooLong, len(k.AccountID)+len(id))
	}
	dst = accountPrefix(dst, k.AccountID)
	dst = append(dst, tag)
	return append(dst, id...), nil
}

// accountPrefix appends the prefix that every bbolt key of the account's
// leads starts with: uvarint(len(account)) then the account's bytes.
func accountPrefix(dst []byte, account string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(account)))
	return append(dst, account...)
}

// decodeKey is the inverse of appendKey; phone fills Key.Phone of an
// externalId-keyed lead from its stored entry.
func decodeKey(b []byte) (Key, error) {
	n, w := binary.Uvarint(b)
	if w <= 0 || uint64(len(b)-w) < n+1 {
		return Key{}, fmt.Errorf("state: malformed lead key %q", b)
	}
	acct := string(b[w : w+int(n)])
	tag, id := b[w+int(n)], string(b[w+int(n)+1:])
	switch {
	case id == "":
		return Key{}, fmt.Errorf("state: malformed lead key %q (empty identifier)", b)
	case tag == tagExternalID:
		return Key{AccountID: acct, ExternalID: id}, nil
	case tag == tagPhone:
		return Key{AccountID: acct, Phone: id}, nil
	}
	return Key{}, fmt.Errorf("state: malformed lead key %q (tag %q)", b, tag)
}
