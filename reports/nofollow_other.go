//go:build !unix

package reports

// openNoFollow is 0 where the platform has no O_NOFOLLOW; O_EXCL alone
// still refuses an existing name, a symlink included.
const openNoFollow = 0

func isSymlinkErr(error) bool { return false }
