//go:build !linux

package state

// releaseMapped does nothing where madvise is not wired up: the pages stay
// mapped until bbolt replaces the map or the store closes.
func releaseMapped(uintptr, int64) {}
