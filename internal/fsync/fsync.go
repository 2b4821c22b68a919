// Package fsync makes a rename durable: after a file is renamed into place
// (a report, a journal, a metrics file), its directory is synced too.
package fsync

import "os"

// Dir syncs directory dir. It is best effort: the rename has happened, and
// some file systems cannot sync a directory.
func Dir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
