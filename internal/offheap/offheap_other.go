//go:build !unix

package offheap

import "unsafe"

// mapAnon has no portable form here: Alloc falls back to the heap.
func mapAnon(uintptr) unsafe.Pointer { return nil }

func unmapAnon(unsafe.Pointer, uintptr) {}

func dropPages(unsafe.Pointer, uintptr) bool { return false }
