package reports

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// reportPerm is the mode of every report: reports carry personal data.
const reportPerm os.FileMode = 0o600

// atomicFile is a temporary file beside its target that becomes the target
// only on commit.
type atomicFile struct {
	f      *os.File
	target string
	done   bool // committed or aborted
}

// createAtomic opens a temporary file in path's directory with mode 0600.
func createAtomic(path string, perm os.FileMode) (*atomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create temporary file for %s: %w", path, err)
	}
	// CreateTemp already uses 0600, but the umask or a future change must not
	// widen it: chmod explicitly.
	if err := f.Chmod(perm); err != nil {
		_ = f.Close()
		_ = os.Remove(f.Name())
		return nil, fmt.Errorf("chmod temporary file for %s: %w", path, err)
	}
	return &atomicFile{f: f, target: path}, nil
}

// commit syncs, closes and renames the temporary file onto the target.
func (a *atomicFile) commit() error {
	if a.done {
		return ErrClosed
	}
	a.done = true
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
		return fmt.Errorf("move report into place at %s: %w", a.target, err)
	}
	syncDir(filepath.Dir(a.target))
	return nil
}

// abort closes and removes the temporary file; the target is not touched.
// Aborting a committed or aborted file does nothing.
func (a *atomicFile) abort() error {
	if a.done {
		return nil
	}
	a.done = true
	closeErr := a.f.Close()
	if err := os.Remove(a.f.Name()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("remove temporary file for %s: %w", a.target, err)
	}
	if closeErr != nil && !errors.Is(closeErr, os.ErrClosed) {
		return fmt.Errorf("close temporary file for %s: %w", a.target, closeErr)
	}
	return nil
}

// syncDir makes a rename durable. It is best effort: the rename has already
// happened, and some platforms and file systems cannot sync a directory.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory: write, chmod perm, fsync, rename. Readers of path see the old
// content or the new, never a part; on error path is left as it was.
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
