package state

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Hash is the digest of a lead's payload: the first 16 bytes of its SHA-256.
// It only has to tell "same payload as last confirmed" from "changed" for
// one key at a time, so the odds that a changed lead is wrongly taken for
// unchanged are 2^-128 per comparison; a full 32 bytes would add 16 bytes to
// every lead in the file (80 MB at 5M leads) for no gain.
type Hash [16]byte

// PayloadHash is the Hash of the exact bytes sent for one lead. SHA-256 is in
// the standard library, runs on the CPU's SHA instructions where present
// (~2 GB/s here), and is fixed forever, which a hash kept in a file across
// releases must be; a faster non-cryptographic hash would be a dependency and
// could only save well under a microsecond a row.
func PayloadHash(payload []byte) Hash {
	sum := sha256.Sum256(payload)
	return Hash(sum[:16])
}

// Entry is what the state remembers of a lead the server confirmed.
type Entry struct {
	// Hash is PayloadHash of the payload the server confirmed.
	Hash Hash
	// SentAt is when it was confirmed (UTC, nanoseconds).
	SentAt time.Time
}

// Confirmed is one lead the server accepted, to be recorded by Confirm.
type Confirmed struct {
	Key    Key
	Hash   Hash
	SentAt time.Time
}

// Entry value layout: format byte, Hash, SentAt as Unix nanoseconds (0 for
// the zero time), then the phone of an externalId-keyed lead, if any.
const (
	entryFormat = 1
	entryFixed  = 1 + len(Hash{}) + 8
)

func appendEntry(dst []byte, c Confirmed) []byte {
	dst = append(dst, entryFormat)
	dst = append(dst, c.Hash[:]...)
	var ns int64
	if !c.SentAt.IsZero() {
		ns = c.SentAt.UnixNano()
	}
	dst = binary.BigEndian.AppendUint64(dst, uint64(ns))
	if c.Key.ExternalID != "" {
		dst = append(dst, c.Key.Phone...)
	}
	return dst
}

// decodeEntry reads a value written by appendEntry; phone is the trailing
// phone of an externalId-keyed lead.
func decodeEntry(v []byte) (e Entry, phone string, err error) {
	if len(v) < entryFixed || v[0] != entryFormat {
		return Entry{}, "", fmt.Errorf("state: malformed lead entry (%d bytes)", len(v))
	}
	copy(e.Hash[:], v[1:])
	if ns := int64(binary.BigEndian.Uint64(v[1+len(e.Hash):])); ns != 0 {
		e.SentAt = time.Unix(0, ns).UTC()
	}
	return e, string(v[entryFixed:]), nil
}

// Get returns what the state recorded for the lead, and whether it has it.
// It is called once a row by --changed-only: one short read transaction on
// the memory-mapped file, no write, no lock held between calls.
func (s *Store) Get(k Key) (Entry, bool, error) {
	var buf [64]byte
	kb, err := appendKey(buf[:0], k)
	if err != nil {
		return Entry{}, false, err
	}
	var e Entry
	var found bool
	err = s.db.View(func(tx *bolt.Tx) error {
		defer s.touchIn(tx, 1)
		v := tx.Bucket(bucketLeads).Get(kb)
		if v == nil {
			return nil
		}
		found = true
		e, _, err = decodeEntry(v)
		return err
	})
	if err != nil {
		return Entry{}, false, fmt.Errorf("state: %s: get %s: %w", s.path, describeKey(k), err)
	}
	return e, found, nil
}

// GetMany looks up several leads in one read transaction, in key order
// (neighbours share pages), and calls fn once for each, with i its index in
// keys. It saves the per-call transaction of Get when the caller holds a
// batch of rows; fn must not call the Store's writing methods.
func (s *Store) GetMany(keys []Key, fn func(i int, e Entry, found bool)) error {
	type probe struct {
		k []byte
		i int
	}
	probes := make([]probe, len(keys))
	arena := make([]byte, 0, len(keys)*32)
	for i, k := range keys {
		start := len(arena)
		var err error
		if arena, err = appendKey(arena, k); err != nil {
			return fmt.Errorf("state: %s: get lead %d of %d: %w", s.path, i+1, len(keys), err)
		}
		probes[i] = probe{k: arena[start:len(arena):len(arena)], i: i}
	}
	slices.SortFunc(probes, func(a, b probe) int { return bytes.Compare(a.k, b.k) })
	err := s.db.View(func(tx *bolt.Tx) error {
		defer s.touchIn(tx, len(probes))
		b := tx.Bucket(bucketLeads)
		for _, p := range probes {
			v := b.Get(p.k)
			if v == nil {
				fn(p.i, Entry{}, false)
				continue
			}
			e, _, err := decodeEntry(v)
			if err != nil {
				return fmt.Errorf("%s: %w", describeKey(keys[p.i]), err)
			}
			fn(p.i, e, true)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("state: %s: get %d leads: %w", s.path, len(keys), err)
	}
	return nil
}

// Confirm records leads the server confirmed, all in ONE transaction: when
// Confirm returns nil they are on disk (bbolt fsyncs on commit), and a crash
// before that leaves none of them recorded. A lead confirmed again replaces
// its entry; within one call the last occurrence of a key wins. A lead
// without a key fails the whole call before anything is written.
//
// Confirm takes no context on purpose: what the server confirmed must be
// recorded even while the run is being interrupted.
func (s *Store) Confirm(leads []Confirmed) error {
	if len(leads) == 0 {
		return nil
	}
	type rec struct{ k, v []byte }
	recs := make([]rec, len(leads))
	arena := make([]byte, 0, len(leads)*(entryFixed+48))
	for i, c := range leads {
		start := len(arena)
		var err error
		if arena, err = appendKey(arena, c.Key); err != nil {
			return fmt.Errorf("state: %s: confirm lead %d of %d: %w", s.path, i+1, len(leads), err)
		}
		mid := len(arena)
		arena = appendEntry(arena, c)
		recs[i] = rec{k: arena[start:mid:mid], v: arena[mid:len(arena):len(arena)]}
	}
	// Sorted puts touch each leaf page once; the stable sort keeps input
	// order among equal keys so the last one is written last.
	slices.SortStableFunc(recs, func(a, b rec) int { return bytes.Compare(a.k, b.k) })
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLeads)
		// Splits leave pages 65% full rather than bbolt's default half. At
		// 1M leads (BenchmarkFileSize) that gives ~118 bytes a lead whether
		// they come in key order or not; 0.5 wastes a third in key order
		// (151), 0.8 as much in random order (152).
		b.FillPercent = 0.65
		var added uint64
		for _, r := range recs {
			if b.Get(r.k) == nil {
				added++
			}
			if err := b.Put(r.k, r.v); err != nil {
				return err
			}
		}
		return addLeadCount(tx, int64(added))
	})
	if err != nil {
		return fmt.Errorf("state: %s: confirm %d leads: %w", s.path, len(leads), err)
	}
	s.touch(len(recs))
	return nil
}

// Delete forgets leads (removed from the input and dealt with), in one
// transaction, and returns how many of them the state held. Like Confirm it
// takes no context: it records what was already done.
func (s *Store) Delete(keys []Key) (int, error) {
	enc := make([][]byte, 0, len(keys))
	for _, k := range keys {
		kb, err := appendKey(nil, k)
		if err != nil {
			return 0, fmt.Errorf("state: %s: delete: %w", s.path, err)
		}
		enc = append(enc, kb)
	}
	slices.SortFunc(enc, bytes.Compare)
	enc = slices.CompactFunc(enc, bytes.Equal)
	var deleted int
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketLeads)
		for _, kb := range enc {
			if b.Get(kb) == nil {
				continue
			}
			if err := b.Delete(kb); err != nil {
				return err
			}
			deleted++
		}
		return addLeadCount(tx, -int64(deleted))
	})
	if err != nil {
		return 0, fmt.Errorf("state: %s: delete %d leads: %w", s.path, len(keys), err)
	}
	s.touch(len(enc))
	return deleted, nil
}

// addLeadCount keeps the lead count in the meta bucket in step with the
// leads bucket, in the same transaction, so Len needs no scan.
func addLeadCount(tx *bolt.Tx, delta int64) error {
	if delta == 0 {
		return nil
	}
	m := tx.Bucket(bucketMeta)
	return m.Put(metaLeadCount, u64(uint64(int64(readU64(m.Get(metaLeadCount)))+delta)))
}

// Len is the number of leads in the state.
func (s *Store) Len() (int64, error) {
	var n int64
	err := s.db.View(func(tx *bolt.Tx) error {
		n = int64(readU64(tx.Bucket(bucketMeta).Get(metaLeadCount)))
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("state: %s: count leads: %w", s.path, err)
	}
	return n, nil
}

// forEachChunk is how many leads ForEach copies out of one read transaction.
const forEachChunk = 4096

// ForEach calls fn for every lead in key order: by account (shorter account
// ids first, then bytewise), then externalId-keyed before phone-keyed leads,
// then by identifier. It reads in chunks of short read transactions and
// holds none while fn runs, so fn may call any Store method (bbolt deadlocks
// a writer that must grow the file while the same goroutine holds a reader).
// A lead added or removed during the walk may or may not be visited; every
// lead present throughout is visited exactly once. An error from fn stops
// the walk and is returned as is.
func (s *Store) ForEach(ctx context.Context, fn func(Key, Entry) error) error {
	type item struct {
		k Key
		e Entry
	}
	var after []byte
	size := s.chunk
	if size <= 0 {
		size = forEachChunk
	}
	chunk := make([]item, 0, size)
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("state: %s: walk leads: %w", s.path, err)
		}
		chunk = chunk[:0]
		err := s.db.View(func(tx *bolt.Tx) error {
			defer func() { s.touchIn(tx, len(chunk)) }()
			c := tx.Bucket(bucketLeads).Cursor()
			k, v := c.First()
			if after != nil {
				if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			for ; k != nil && len(chunk) < size; k, v = c.Next() {
				key, err := decodeKey(k)
				if err != nil {
					return err
				}
				e, phone, err := decodeEntry(v)
				if err != nil {
					return fmt.Errorf("%s: %w", describeKey(key), err)
				}
				if key.ExternalID != "" {
					key.Phone = phone
				}
				chunk = append(chunk, item{key, e})
				after = append(after[:0], k...)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("state: %s: walk leads: %w", s.path, err)
		}
		for _, it := range chunk {
			if err := fn(it.k, it.e); err != nil {
				return err
			}
		}
		if len(chunk) < size {
			return nil
		}
	}
}

// describeKey names a lead in an error message.
func describeKey(k Key) string {
	if k.ExternalID != "" {
		return fmt.Sprintf("account %q externalId %q", k.AccountID, k.ExternalID)
	}
	return fmt.Sprintf("account %q phone %q", k.AccountID, k.Phone)
}
