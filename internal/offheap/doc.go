// Package offheap hands out arrays of pointer-free elements from anonymous
// memory mapped from the OS, outside the Go heap, where the platform has it
// (elsewhere from the heap).
//
// Large, long-lived, pointer-free tables (the duplicate-key table, the XLSX
// reader's string cache) cost the garbage collector in two ways while they
// sit in the heap. They count towards its goal, so a run carries that much
// garbage again before each collection, or, under a memory limit, collects
// far more often: the million-row XLSX dry run collected 77 times (1.26 s
// of CPU) with its 20 MB string cache in the heap under a 64 MiB limit, and
// 33 times (0.33 s) with the cache outside it under 56 MiB, for about the
// same peak RSS. And a table dropped for a
// larger one stays resident until a collection and the scavenger return
// it, where unmapping returns it at once.
//
// Memory from Alloc must be given back with Free, exactly once, and not used
// after; nothing in it may point into the heap, which is what Alloc's
// check of T enforces.
package offheap
