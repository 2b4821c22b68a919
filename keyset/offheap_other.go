//go:build !unix

package keyset

import "unsafe"

// mapAnon has no portable form here: the table and filter stay in the heap.
func mapAnon(uintptr) unsafe.Pointer { return nil }

func unmapAnon(unsafe.Pointer, uintptr) {}

func dropPages(unsafe.Pointer, uintptr) bool { return false }
