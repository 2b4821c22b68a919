//go:build !unix

package runlock

import (
	"fmt"
	"runtime"
)

// tryLock refuses: without flock there is no lock that dies with its
// process (see doc.go), and a weaker one would let two runs in.
func tryLock(path string, _ Holder) (*Lock, *HeldError, error) {
	return nil, nil, fmt.Errorf("lock %s: %w (%s)", path, ErrUnsupported, runtime.GOOS)
}
