//go:build unix

package reports

import (
	"errors"
	"syscall"
)

// openNoFollow makes OpenFile fail on a symlink instead of following it.
const openNoFollow = syscall.O_NOFOLLOW

// isSymlinkErr tells whether OpenFile failed because O_NOFOLLOW met a
// symlink (ELOOP; some BSDs say EMLINK).
func isSymlinkErr(err error) bool {
	return errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.EMLINK)
}
