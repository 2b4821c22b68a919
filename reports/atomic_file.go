package reports

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/xonvo/xonvo-import/internal/fsync"
)

// reportPerm is the mode of every file this package writes: reports carry
// personal data.
const reportPerm os.FileMode = 0o600

// dirPerm is the mode of a missing report directory created on the way
// (before the umask). Files are private whatever their directory's mode, and
// 0755 is what `mkdir -p out` gives; see the package doc.
const dirPerm os.FileMode = 0o755

// tempAttempts bounds the retries when a temporary name is taken.
const tempAttempts = 10

// atomicFile is a temporary file beside its target that becomes the target
// only on commit.
type atomicFile struct {
	f      *os.File
	target string
	spill  string // private directory for a writer's scratch files, "" if none
	done   bool   // committed or aborted

	written, behind int64 // bytes written through Write; those whose writeback has started
}

// writeBehindBytes is how much of a file is written before the kernel is
// asked to start writing it to disk (see Write).
const writeBehindBytes = 8 << 20

// Write writes p to the temporary file. Every writeBehindBytes it asks the
// kernel to start writing what came before to disk, without waiting for it
// (startWriteback; Linux only): commit's fsync then has little left to
// flush. A million-row CSV report is 330 MB, and its fsync alone kept a dry
// run waiting half a second after the last row.
func (a *atomicFile) Write(p []byte) (int, error) {
	n, err := a.f.Write(p)
	a.written += int64(n)
	if a.written-a.behind >= writeBehindBytes {
		startWriteback(a.f, a.behind, a.written-a.behind)
		a.behind = a.written
	}
	return n, err
}

// tempName is the temporary file's name for target with the given random
// suffix: ".<base>.tmp-<suffix>" in target's directory. CleanStale knows the
// pattern.
func tempName(target, suffix string) string {
	dir, base := filepath.Split(target)
	return filepath.Join(dir, "."+base+tempInfix+suffix)
}

const tempInfix = ".tmp-"

// randomSuffix is 16 hex digits from crypto/rand: a name nobody can predict
// and plant a link at.
func randomSuffix() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics rather)
	return hex.EncodeToString(b[:])
}

// createAtomic opens a new temporary file beside path, mode perm.
func createAtomic(path string, perm os.FileMode) (*atomicFile, error) {
	return createAtomicWith(path, perm, randomSuffix)
}

// createAtomicWith is createAtomic with the suffix source injected (tests).
// The file is created with O_EXCL|O_NOFOLLOW: a file or a symlink already at
// the name is never opened, written or followed; another name is tried.
func createAtomicWith(path string, perm os.FileMode, suffix func() string) (*atomicFile, error) {
	if err := os.MkdirAll(filepath.Dir(path), dirPerm); err != nil {
		return nil, fmt.Errorf("create the directory of %s: %w", path, err)
	}
	var lastErr error
	for range tempAttempts {
		name := tempName(path, suffix())
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL|openNoFollow, perm)
		if errors.Is(err, os.ErrExist) || isSymlinkErr(err) {
			lastErr = err
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("create temporary file for %s: %w", path, err)
		}
		// The umask may have narrowed perm, and perm is what the caller asked
		// for: set it explicitly.
		if err := f.Chmod(perm); err != nil {
			_ = f.Close()
			_ = os.Remove(name)
			return nil, fmt.Errorf("chmod temporary file for %s: %w", path, err)
		}
		return &atomicFile{f: f, target: path}, nil
	}
	return nil, fmt.Errorf("create temporary file for %s: %d names taken: %w", path, tempAttempts, lastErr)
}

// spillDir creates (once) a private directory beside the temporary file,
// named after it with ".d", for a writer's scratch files: they hold the
// same personal data, so they live where CleanStale finds them after a crash
// and go away with the temporary file.
func (a *atomicFile) spillDir() (string, error) {
	if a.spill != "" {
		return a.spill, nil
	}
	dir := a.f.Name() + spillSuffix
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", fmt.Errorf("create scratch directory for %s: %w", a.target, err)
	}
	a.spill = dir
	return dir, nil
}

const spillSuffix = ".d"

// removeSpill removes the scratch directory, if any.
func (a *atomicFile) removeSpill() error {
	if a.spill == "" {
		return nil
	}
	if err := os.RemoveAll(a.spill); err != nil {
		return fmt.Errorf("remove scratch directory for %s: %w", a.target, err)
	}
	return nil
}

// commit syncs, closes and renames the temporary file onto the target. A
// symlink at the target is replaced by the file, never followed.
func (a *atomicFile) commit() error {
	if a.done {
		return ErrClosed
	}
	a.done = true
	spillErr := a.removeSpill()
	name := a.f.Name()
	if err := a.f.Sync(); err != nil {
		_ = a.f.Close()
		_ = os.Remove(name)
		return fmt.Errorf("sync %s: %w", a.target, err)
	}
	if err := a.f.Close(); err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("close %s: %w", a.target, err)
	}
	if err := os.Rename(name, a.target); err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("move the file into place at %s: %w", a.target, err)
	}
	fsync.Dir(filepath.Dir(a.target))
	return spillErr
}

// abort closes and removes the temporary file; the target is not touched.
// Aborting a committed or aborted file does nothing.
func (a *atomicFile) abort() error {
	if a.done {
		return nil
	}
	a.done = true
	spillErr := a.removeSpill()
	closeErr := a.f.Close()
	if err := os.Remove(a.f.Name()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove temporary file for %s: %w", a.target, err)
	}
	if closeErr != nil && !errors.Is(closeErr, os.ErrClosed) {
		return fmt.Errorf("close temporary file for %s: %w", a.target, closeErr)
	}
	return spillErr
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory (created with O_EXCL|O_NOFOLLOW): write, chmod perm, fsync,
// rename. Readers of path see the old content or the new, never a part; on
// error path is left as it was. A symlink at path is replaced, its target
// never written. A missing directory is created (0755 before the umask).
// Pass 0600 for anything holding personal data or run details.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	a, err := createAtomic(path, perm)
	if err != nil {
		return err
	}
	if _, err := a.f.Write(data); err != nil {
		_ = a.abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return a.commit()
}
