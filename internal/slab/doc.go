// Package slab cuts many small slices out of a few large blocks: one
// allocation per block instead of one per slice, for values that are made
// row after row and let go in roughly the order they were made (a row's
// cells, a lead's JSON, a queued row).
//
// A block lives until the last slice cut from it is let go, so a slice kept
// long keeps its whole block: use it where slices die young and together.
// A Slab is not safe for concurrent use; each goroutine keeps its own.
package slab
