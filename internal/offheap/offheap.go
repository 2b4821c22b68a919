package offheap

import (
	"fmt"
	"os"
	"reflect"
	"unsafe"
)

// Alloc returns n zeroed elements outside the Go heap and true, or, where
// that fails or is not possible, from the heap and false. It panics if T
// holds pointers: the collector would not see them.
func Alloc[T any](n int) ([]T, bool) {
	if t := reflect.TypeFor[T](); hasPointers(t) {
		panic(fmt.Sprintf("offheap: %v holds pointers", t))
	}
	var zero T
	if n > 0 {
		if p := mapAnon(uintptr(n) * unsafe.Sizeof(zero)); p != nil {
			return unsafe.Slice((*T)(p), n), true
		}
	}
	return make([]T, n), false
}

// Free gives back what Alloc returned with mapped true; a heap slice is left
// to the garbage collector. s must not be used after.
func Free[T any](s []T, mapped bool) {
	if !mapped || cap(s) == 0 {
		return
	}
	var zero T
	unmapAnon(unsafe.Pointer(unsafe.SliceData(s)), uintptr(cap(s))*unsafe.Sizeof(zero))
}

// Release gives the pages wholly inside s back to the OS, which reads them
// as zeros again when they are next touched; s stays usable. A heap slice
// is cleared instead, as is a partial page at either end.
func Release[T any](s []T, mapped bool) {
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

// hasPointers reports whether a value of t holds a pointer the collector must see.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	}
	return true
}
