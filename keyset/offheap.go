package keyset

import (
	"os"
	"unsafe"
)

// The table and the filter are the set's budget: pointer-free arrays of up
// to 24 MiB each, sized once per growth. They live outside the Go heap
// (anonymous memory mapped from the OS, where the platform has it), for two
// reasons the dry-run profile showed. In the heap they counted towards the
// garbage collector's goal, so a run carried garbage in proportion to them
// before each collection (their size again at GOGC 100); and a table replaced by a larger
// one, or a filter rebuilt, stayed resident until a collection and the
// scavenger gave it back, where unmapping returns it at once. Close (and
// every growth) unmaps what it replaces; nothing else points into them.

// pointerFree are the element types that may live outside the heap.
type pointerFree interface{ slot | uint64 }

// allocOutside returns n zeroed elements outside the Go heap and true, or,
// where that fails or is not possible, from the heap and false.
func allocOutside[T pointerFree](n int) ([]T, bool) {
	var zero T
	if n > 0 {
		if p := mapAnon(uintptr(n) * unsafe.Sizeof(zero)); p != nil {
			return unsafe.Slice((*T)(p), n), true
		}
	}
	return make([]T, n), false
}

// freeOutside gives back what allocOutside returned with mapped true; a
// heap slice is left to the garbage collector. s must not be used after.
func freeOutside[T pointerFree](s []T, mapped bool) {
	if !mapped || cap(s) == 0 {
		return
	}
	var zero T
	unmapAnon(unsafe.Pointer(unsafe.SliceData(s)), uintptr(cap(s))*unsafe.Sizeof(zero))
}

// releaseOutside gives the pages wholly inside s back to the OS, which
// reads them as zeros again when they are next touched; s stays usable. A
// heap slice is cleared instead, as is a partial page at either end.
func releaseOutside[T pointerFree](s []T, mapped bool) {
	if !mapped || len(s) == 0 {
		clear(s)
		return
	}
	var zero T
	size := unsafe.Sizeof(zero)
	page := uintptr(os.Getpagesize())
	base := unsafe.Pointer(unsafe.SliceData(s))
	start := uintptr(base)
	end := start + uintptr(len(s))*size
	first, last := (start+page-1)&^(page-1), end&^(page-1)
	if first >= last || !dropPages(unsafe.Add(base, first-start), last-first) {
		clear(s)
		return
	}
	clear(s[:(first-start+size-1)/size])
	clear(s[(last-start)/size:])
}
