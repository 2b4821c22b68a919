//go:build !linux

package xlsx

// inMemoryFS has no portable form: a temp dir counts as on disk.
func inMemoryFS(string) bool { return false }
