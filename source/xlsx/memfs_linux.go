package xlsx

import (
	"os"

	"golang.org/x/sys/unix"
)

// inMemoryFS reports whether dir ("" for the system's) is on a filesystem
// held in RAM (tmpfs, ramfs), where a sheet cache would be memory after all:
// /tmp is tmpfs on Debian 13, Fedora and Arch. Unknown counts as on disk.
func inMemoryFS(dir string) bool {
	if dir == "" {
		dir = os.TempDir()
	}
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return false
	}
	return st.Type == unix.TMPFS_MAGIC || st.Type == unix.RAMFS_MAGIC
}
