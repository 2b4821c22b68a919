package state

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout of the state file this build writes and reads.
// A file with a higher version was written by a newer build and is refused
// rather than misread.
const SchemaVersion = 1

// toolName marks a bbolt file as ours, so that --state pointed at some other
// program's database is refused instead of being filled with our buckets.
const toolName = "xonvo-import"

// DefaultLockTimeout is how long Open waits for another process to release
// the file before it gives up with ErrLocked.
const DefaultLockTimeout = time.Second

// Bucket and meta key names. They are part of the file format.
var (
	bucketMeta  = []byte("meta")
	bucketLeads = []byte("leads")
	bucketRuns  = []byte("runs")
	bucketFiles = []byte("files")

	metaTool          = []byte("tool")
	metaSchema        = []byte("schema")
	metaCreated       = []byte("created")
	metaLeadCount     = []byte("leads")
	metaLastCompleted = []byte("last_completed_run")
)

var (
	// ErrLocked means another process (or another Store in this one) holds
	// the state file: two jobs must not share one --state.
	ErrLocked = errors.New("in use by another process")
	// ErrNotStateFile means the path holds something other than a state file
	// of this tool: another program's database, or not a database at all.
	ErrNotStateFile = errors.New("not a state file of xonvo-import")
	// ErrNewerSchema means the file was written by a newer build whose
	// layout this one does not know.
	ErrNewerSchema = errors.New("written by a newer version of xonvo-import")
)

// Options tune Open. The zero value is what the importer wants.
type Options struct {
	// LockTimeout bounds the wait for another process's lock on the file;
	// 0 means DefaultLockTimeout. It never waits forever: a nightly job that
	// overlaps the previous one should fail loudly, not queue up.
	LockTimeout time.Duration
	// ReadOnly opens an existing file with a shared lock (several readers
	// may hold it, no writer) and allows no writes. The file must exist.
	ReadOnly bool
}

// Store is an open state file. Its methods are safe for concurrent use.
type Store struct {
	db    *bolt.DB
	path  string
	chunk int // leads ForEach reads per transaction; 0 means forEachChunk
	// touched counts leads read or written since the file's mapped pages
	// were last given back (resident.go).
	touched atomic.Int64
}

// Open opens the state file at path, creating it (mode 0600) and its
// directory (0700) when absent. It fails fast with ErrLocked when another
// process holds the file, with ErrNotStateFile when the file is not one of
// ours, and with ErrNewerSchema when a newer build wrote it. Every error
// names the path. ctx is checked before anything is touched; the only wait,
// for the lock, is bounded by Options.LockTimeout.
func Open(ctx context.Context, path string, o Options) (*Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("state: open %s: %w", path, err)
	}
	timeout := o.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	if o.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("state: open %s: %w", path, err)
		}
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("state: create the directory of %s: %w", path, err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:  timeout,
		ReadOnly: o.ReadOnly,
		// The hashmap freelist stays fast when a large file is fragmented.
		// It is synced with every commit (a few KiB): without it, opening
		// rebuilds it by walking every page of the file, which faults the
		// whole file into memory (600 MB of RSS at 5M leads). A file
		// written by a build that did not sync it is walked once and then
		// carries one.
		FreelistType: bolt.FreelistMapType,
		// Nothing reads bbolt's counters; not keeping them spares every
		// transaction a lock.
		NoStatistics: true,
	})
	if err != nil {
		return nil, openError(path, timeout, err)
	}
	s := &Store{db: db, path: path}
	if err := s.checkOrInit(o.ReadOnly); err != nil {
		_ = db.Close()
		return nil, err
	}
	s.release() // what opening read (a freelist rebuilt by a walk, say)
	return s, nil
}

// openError turns bbolt's open errors into ours, each naming the path.
func openError(path string, timeout time.Duration, err error) error {
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return fmt.Errorf("state: %s: %w (no lock within %s): is another xonvo-import job using the same --state?",
			path, ErrLocked, timeout)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch),
		errors.Is(err, bolterrors.ErrChecksum):
		return fmt.Errorf("state: %s: %w (%v); point --state at a new path or at this tool's own state file",
			path, ErrNotStateFile, err)
	default:
		return fmt.Errorf("state: open %s: %w", path, err)
	}
}

// checkOrInit accepts a file whose meta bucket says it is ours, at a schema
// this build reads, and initialises a brand-new (bucketless) file.
func (s *Store) checkOrInit(readOnly bool) error {
	fresh := false
	err := s.db.View(func(tx *bolt.Tx) error {
		m := tx.Bucket(bucketMeta)
		if m == nil {
			empty := true
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if !empty {
				return fmt.Errorf("state: %s: %w (a bbolt database without its meta bucket)", s.path, ErrNotStateFile)
			}
			fresh = true
			return nil
		}
		if string(m.Get(metaTool)) != toolName {
			return fmt.Errorf("state: %s: %w (its meta bucket names %q)", s.path, ErrNotStateFile, m.Get(metaTool))
		}
		v := m.Get(metaSchema)
		if len(v) != 4 {
			return fmt.Errorf("state: %s: %w (no schema version)", s.path, ErrNotStateFile)
		}
		if n := binary.BigEndian.Uint32(v); n > SchemaVersion {
			return fmt.Errorf("state: %s: %w (state schema %d; this build reads schema %d)", s.path, ErrNewerSchema, n, SchemaVersion)
		}
		return nil
	})
	if err != nil || !fresh {
		return err
	}
	if readOnly {
		return fmt.Errorf("state: %s: %w (an empty database, opened read-only)", s.path, ErrNotStateFile)
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		m, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		for _, name := range [][]byte{bucketLeads, bucketRuns, bucketFiles} {
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		var schema [4]byte
		binary.BigEndian.PutUint32(schema[:], SchemaVersion)
		created, _ := time.Now().UTC().MarshalText()
		for k, v := range map[string][]byte{
			string(metaTool): []byte(toolName), string(metaSchema): schema[:],
			string(metaCreated): created, string(metaLeadCount): u64(0),
		} {
			if err := m.Put([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Path is the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Close releases the file and its lock. Every committed write is already on
// disk; Close adds no durability.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("state: close %s: %w", s.path, err)
	}
	return nil
}

// u64 encodes a counter the way the meta bucket keeps them.
func u64(n uint64) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return b[:]
}

// readU64 decodes u64; a missing value reads as 0.
func readU64(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}
