//go:build unix

package offheap

import (
	"runtime"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mapAnon maps size bytes of zeroed private memory, or returns nil.
func mapAnon(size uintptr) unsafe.Pointer {
	p, err := unix.MmapPtr(-1, 0, nil, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		return nil
	}
	return p
}

// unmapAnon gives back what mapAnon mapped.
func unmapAnon(p unsafe.Pointer, size uintptr) { _ = unix.MunmapPtr(p, size) }

// dropPages gives the whole pages at p back to the OS. Only Linux promises
// that a private anonymous page reads as zeros afterwards; elsewhere it
// reports false and the caller clears the memory itself.
func dropPages(p unsafe.Pointer, size uintptr) bool {
	if runtime.GOOS != "linux" {
		return false
	}
	return unix.Madvise(unsafe.Slice((*byte)(p), size), unix.MADV_DONTNEED) == nil
}
