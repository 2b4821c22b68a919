package state

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ErrBadFingerprint means a FileFingerprint carries neither a valid SHA-256
// nor an ETag, so it identifies no content.
var ErrBadFingerprint = errors.New("file fingerprint has neither a SHA-256 nor an ETag")

// FileFingerprint identifies the content of one input.
//
// Matching rule. A local file (SHA256 set) is identified by its content
// alone: Size and SHA-256, whatever its name, so the same export dropped
// twice under two names is imported once (FileDone tells the name it was
// imported under). A cloud object (ETag set, no SHA256) is identified by
// Name, Size and ETag together: an ETag is a version token of one object
// (multipart S3 uploads and Azure blobs do not hash the content into it),
// so equal ETags on two different objects prove nothing.
type FileFingerprint struct {
	// Name is the path or URL as given on the command line.
	Name string
	// Size is the content's length in bytes.
	Size int64
	// SHA256 is the hex SHA-256 of the content, for local files (the same
	// form as the importer's journal).
	SHA256 string
	// ETag is the object store's ETag, for objects not hashed locally.
	ETag string
}

// FileRecord is what the state keeps of a completely imported input.
type FileRecord struct {
	Name   string    `json:"name"`
	Size   int64     `json:"size"`
	SHA256 string    `json:"sha256,omitempty"`
	ETag   string    `json:"etag,omitempty"`
	DoneAt time.Time `json:"doneAt"`
}

// fileKey encodes the identity the matching rule uses.
func fileKey(fp FileFingerprint) ([]byte, error) {
	if fp.SHA256 != "" {
		sum, err := hex.DecodeString(fp.SHA256)
		if err != nil || len(sum) != 32 {
			return nil, fmt.Errorf("state: %s: %w (sha256 %q is not 64 hex digits)", fp.Name, ErrBadFingerprint, fp.SHA256)
		}
		k := append([]byte{'s'}, binary.BigEndian.AppendUint64(nil, uint64(fp.Size))...)
		return append(k, sum...), nil
	}
	if fp.ETag == "" {
		return nil, fmt.Errorf("state: %s: %w", fp.Name, ErrBadFingerprint)
	}
	k := append([]byte{'o'}, binary.BigEndian.AppendUint64(nil, uint64(fp.Size))...)
	k = binary.AppendUvarint(k, uint64(len(fp.Name)))
	k = append(k, fp.Name...)
	return append(k, fp.ETag...), nil
}

// FileDone reports whether content matching fp was completely imported
// before, with the record of when and under which name.
func (s *Store) FileDone(fp FileFingerprint) (FileRecord, bool, error) {
	k, err := fileKey(fp)
	if err != nil {
		return FileRecord{}, false, err
	}
	var r FileRecord
	var found bool
	err = s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketFiles).Get(k)
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &r)
	})
	if err != nil {
		return FileRecord{}, false, fmt.Errorf("state: %s: file %s: %w", s.path, fp.Name, err)
	}
	return r, found, nil
}

// MarkFileDone records that fp's content was completely imported at doneAt.
// Call it only once every row of the input reached an outcome; a later
// import of the same content replaces the record. Records are kept for
// good: one per distinct input is a few hundred bytes.
func (s *Store) MarkFileDone(fp FileFingerprint, doneAt time.Time) error {
	k, err := fileKey(fp)
	if err != nil {
		return err
	}
	v, err := json.Marshal(FileRecord{Name: fp.Name, Size: fp.Size, SHA256: strings.ToLower(fp.SHA256),
		ETag: fp.ETag, DoneAt: doneAt.UTC()})
	if err != nil {
		return fmt.Errorf("state: %s: file %s: %w", s.path, fp.Name, err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketFiles).Put(k, v) }); err != nil {
		return fmt.Errorf("state: %s: mark file %s done: %w", s.path, fp.Name, err)
	}
	return nil
}
