package reports

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// CleanStale removes what an earlier run writing path left behind when it
// was killed before it could clean up (kill -9, power loss): temporary files
// ".<base>.tmp-<16 hex digits>" beside path and their scratch directories
// (the same name with ".d"), which hold the same personal data as the
// report. Temporary files of earlier releases (".<base>.<digits>.tmp") go
// too. It returns the paths removed. path itself and every other name are
// left alone; a missing directory is not an error.
//
// Call it only while holding the run lock on path: a run writing path at
// the same moment would lose its temporary file.
func CleanStale(path string) (removed []string, err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("clean stale temporary files of %s: %w", path, err)
	}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		isDir := e.Type().IsDir()
		if !isStaleName(name, base, isDir) {
			continue
		}
		full := filepath.Join(dir, name)
		var rmErr error
		if isDir {
			rmErr = os.RemoveAll(full) // never follows links inside
		} else {
			rmErr = os.Remove(full) // a symlink goes, not its target
		}
		if rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
			errs = append(errs, rmErr)
			continue
		}
		removed = append(removed, full)
	}
	if err := errors.Join(errs...); err != nil {
		return removed, fmt.Errorf("clean stale temporary files of %s: %w", path, err)
	}
	return removed, nil
}

// isStaleName tells whether name is one of base's temporary files (dir
// false) or scratch directories (dir true).
func isStaleName(name, base string, dir bool) bool {
	if legacy, ok := strings.CutPrefix(name, "."+base+"."); ok && !dir {
		// os.CreateTemp(dir, ".base.*.tmp") of earlier releases.
		if digits, ok := strings.CutSuffix(legacy, ".tmp"); ok && allDigits(digits) {
			return true
		}
	}
	rest, ok := strings.CutPrefix(name, "."+base+tempInfix)
	if !ok {
		return false
	}
	if dir {
		rest, ok = strings.CutSuffix(rest, spillSuffix)
		if !ok {
			return false
		}
	}
	return len(rest) == 16 && allHex(rest)
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func allHex(s string) bool {
	for i := range len(s) {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
