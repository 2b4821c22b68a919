package state

import bolt "go.etcd.io/bbolt"

// bbolt reads the file through a shared read-only memory map, and every
// page a lookup or a write touches stays mapped into the process until the
// map is replaced: a run that confirms or looks up 5M leads in random
// order ends up with the whole file (~600 MB) counted in its resident set,
// although each page is needed for a moment only. So every releaseEvery
// leads the Store tells the kernel it no longer needs the mapped pages
// (madvise MADV_DONTNEED, resident_linux.go). For a shared file mapping
// that only drops them from this process: the data stays in the file and
// the page cache, and the next access maps it again (a minor fault).
// Elsewhere than on Linux it does nothing.

// releaseEvery is how many leads are read or written between releases:
// in random key order each may touch its own 4 KiB leaf, so it bounds the
// mapped pages at about 16 MiB plus the branch pages.
const releaseEvery = 512

// touch counts n leads read or written outside a transaction and releases
// the mapped pages when enough have been.
func (s *Store) touch(n int) {
	if s.touched.Add(int64(n)) >= releaseEvery {
		s.release()
	}
}

// touchIn is touch from inside a read transaction, which keeps the map in
// place while it is released.
func (s *Store) touchIn(tx *bolt.Tx, n int) {
	if s.touched.Add(int64(n)) >= releaseEvery {
		s.releaseIn(tx)
	}
}

// release gives back the mapped pages from a read transaction of its own.
func (s *Store) release() {
	_ = s.db.View(func(tx *bolt.Tx) error {
		s.releaseIn(tx)
		return nil
	})
}

// releaseIn gives back the pages mapped up to tx's size. The map cannot
// move meanwhile: bbolt replaces it only under a lock that every open read
// transaction holds shared, and tx.Size() never exceeds the mapped length.
func (s *Store) releaseIn(tx *bolt.Tx) {
	s.touched.Store(0)
	releaseMapped(s.db.Info().Data, tx.Size())
}
