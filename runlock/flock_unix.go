//go:build unix

package runlock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

const (
	lockPerm = 0o600
	// maxReopen bounds how often tryLock starts over because the lock file
	// was removed or replaced under it; each round means another run made
	// progress, so a handful is plenty.
	maxReopen = 16
	// maxHolderBytes caps how much of a lock file is read back.
	maxHolderBytes = 4 << 10
)

// tryLock makes one non-blocking attempt. It returns the lock, or a
// *HeldError when another run holds it, or an error that waiting cannot
// cure (a symlink, permissions, I/O).
func tryLock(path string, me Holder) (*Lock, *HeldError, error) {
	for range maxReopen {
		f, err := openLockFile(path)
		if errors.Is(err, os.ErrPermission) {
			// Someone else's lock file: say who holds it, if anyone.
			if held := heldReadOnly(path); held != nil {
				return nil, held, nil
			}
		}
		if err != nil {
			return nil, nil, err
		}
		l, held, err := lockOpened(f, path, me)
		if l != nil || held != nil || err != nil {
			return l, held, err
		}
	}
	return nil, nil, fmt.Errorf("lock %s: the file kept being replaced while locking it", path)
}

// lockOpened tries to lock f, just opened at path, and takes ownership of f.
// All three results nil mean: start over, the path no longer names f.
func lockOpened(f *os.File, path string, me Holder) (*Lock, *HeldError, error) {
	if err := flock(f, unix.LOCK_EX|unix.LOCK_NB); err != nil {
		var held *HeldError
		if errors.Is(err, unix.EWOULDBLOCK) {
			held = &HeldError{Path: path, Holder: readHolder(f)}
			err = nil
		} else {
			err = fmt.Errorf("lock %s: %w", path, err)
		}
		_ = f.Close()
		return nil, held, err
	}
	// A holder releasing just now removed the file we opened: a lock on it
	// would exclude nobody.
	same, err := samePath(f, path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		_ = f.Close()
		return nil, nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !same {
		_ = f.Close()
		return nil, nil, nil
	}
	if err := writeHolder(f, me); err != nil {
		_ = f.Close()
		return nil, nil, fmt.Errorf("lock %s: write holder: %w", path, err)
	}
	return &Lock{f: f, path: path, holder: me}, nil, nil
}

// openLockFile opens (creating if needed) the lock file without following a
// symbolic link, and checks that it is a regular file with mode 0600.
func openLockFile(path string) (*os.File, error) {
	// O_NONBLOCK: opening a FIFO planted at the path must not hang; it has
	// no effect on a regular file.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|unix.O_NOFOLLOW|unix.O_NONBLOCK, lockPerm)
	if err != nil {
		// Say why in our words: O_NOFOLLOW fails with ELOOP (EMLINK on
		// FreeBSD) on a link, O_RDWR with EISDIR on a directory.
		if fi, lerr := os.Lstat(path); lerr == nil {
			if fi.Mode()&os.ModeSymlink != 0 {
				return nil, fmt.Errorf("%w: %s; remove it or choose another report path", ErrSymlink, path)
			}
			if !fi.Mode().IsRegular() {
				return nil, fmt.Errorf("%w: %s is a %s", ErrNotRegular, path, kind(fi.Mode()))
			}
		}
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		_ = f.Close()
		return nil, fmt.Errorf("%w: %s is a %s", ErrNotRegular, path, kind(fi.Mode()))
	}
	return f, nil
}

// heldReadOnly tells, for a lock file this process may read but not write
// (another user's run), whether a run holds it: flock needs no write
// access. Nil when it is not held or cannot be read.
func heldReadOnly(path string) *HeldError {
	f, err := os.OpenFile(path, os.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	if err := flock(f, unix.LOCK_SH|unix.LOCK_NB); errors.Is(err, unix.EWOULDBLOCK) {
		return &HeldError{Path: path, Holder: readHolder(f)}
	}
	return nil
}

// flock applies how to f, retrying when a signal interrupts the call.
func flock(f *os.File, how int) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) {
		for {
			ferr = unix.Flock(int(fd), how)
			if !errors.Is(ferr, unix.EINTR) {
				return
			}
		}
	}); err != nil {
		return err
	}
	return ferr
}

// writeHolder replaces the file's content with h as one JSON line and makes
// sure the mode is 0600 even if an earlier file had another.
func writeHolder(f *os.File, h Holder) error {
	line, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt(append(line, '\n'), 0); err != nil {
		return err
	}
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if fi.Mode().Perm() != lockPerm {
		return f.Chmod(lockPerm)
	}
	return nil
}

// readHolder reads the holder's identity; the zero Holder when the file is
// empty (the holder is between locking and writing) or unreadable.
func readHolder(f *os.File) Holder {
	buf := make([]byte, maxHolderBytes)
	n, err := f.ReadAt(buf, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return Holder{}
	}
	var h Holder
	if json.Unmarshal(bytes.TrimSpace(buf[:n]), &h) != nil {
		return Holder{}
	}
	return h
}

// kind names a file type for a message.
func kind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "directory"
	case m&os.ModeNamedPipe != 0:
		return "named pipe"
	case m&os.ModeSocket != 0:
		return "socket"
	case m&os.ModeDevice != 0:
		return "device"
	default:
		return "special file (" + m.Type().String() + ")"
	}
}
