// Package keyset is the set of lead keys seen in one run's input, with
// bounded memory: Add finds duplicates in input order ("duplicate of row 7
// of leads.csv", via the first Occurrence it returns), and Contains then
// tells, for each lead of the state, whether the input had it (removed
// detection). The key is (account, externalId), or (account, phone) when
// there is no externalId; a lead with neither has no key and is never a
// duplicate. It replaced a Go map of key hashes (the old mapping.Deduper),
// which cost ~38 bytes a key without bound (190 MB at 5M keys, 760 MB at
// 20M).
//
// Design:
//   - Each key becomes a 128-bit fingerprint: two 64-bit hash/maphash
//     hashes of it under two random seeds (AES-based on amd64 and arm64:
//     ~15 ns a key, where SHA-256 of a salt and the key cost ~115 ns, 0.2 s
//     of CPU in a million-row dry run). The seeds are drawn per set
//     and never leave the process, so the keys cannot depend on them: two
//     different keys agree on both halves with probability 2^-128, and two
//     of 20M keys share a fingerprint with probability n²/2^129 ≈ 6×10⁻²⁵.
//     A false duplicate is not a practical event and no full key is kept.
//     maphash is not a cryptographic hash, and need not be: nobody who could
//     craft keys ever sees a hash. The seeds also stop crafted keys from
//     piling up in one region of the table.
//   - Keys first go to an open-addressing table of 24-byte slots
//     (fingerprint + packed first occurrence: 23 bits of file index, 40 of
//     row), indexed by the fingerprint's top bits and grown by doubling up
//     to half the budget (1M slots by default), filled to 3/4.
//   - The table and the filter live outside the Go heap, in memory mapped
//     from the OS (internal/offheap; the heap elsewhere than on unix). In the heap
//     they counted towards the collector's goal, which then held half their
//     size again in garbage, and a replaced table stayed resident until a
//     collection and the scavenger gave it back. A growth now reads the old
//     table in order, giving its pages back as it goes, while the new one
//     is mapped page by page as it is written: the two together never hold
//     more than the new one's size.
//   - A full table is sorted (nearly sorted already, thanks to the
//     indexing) and appended as a run to one temporary file in Options.Dir,
//     unlinked as soon as it is created, so nothing outlives the process
//     even after kill -9; Close releases it. Disk: 24 bytes a spilled key.
//   - One blocked Bloom filter (one 64-byte cache line a lookup) covers
//     every spilled key, so a new key rarely touches the disk. It is sized
//     16 bits a key (false positives ~0.09%), doubling and rebuilt from the
//     file as keys spill, up to the other half of the budget; past that its
//     rate rises (~1% at 20M keys by default) but memory does not.
//   - A filter hit reads one 4 KiB block of a run, found by an in-memory
//     index of each block's first fingerprint (16 bytes per 170 keys);
//     the run of the last hit is tried first, since duplicates come in
//     streaks. A false positive costs a read, never a wrong answer.
//   - The first Contains after a spill merges the runs into one (a
//     sequential pass; the disk holds both copies meanwhile), so each
//     present key costs one read however many spills there were.
//     ContainsMany does better for removed detection: it sorts a batch of
//     keys and reads the run in order, neighbouring blocks in one read
//     (with 64k-key batches, about one pass over the file per batch).
//   - Two lighter calls serve a run with --state, which reads its input
//     twice: Insert adds a key that will only be asked Contains without
//     looking for it on disk (a repeat after a spill is stored twice), and
//     Lookup finds a key without adding it. The first pass Adds every key
//     and keeps just the repeated ones in a second, small set; the second
//     pass Looks rows up there, in memory, instead of paying a disk read a
//     row in a set that has spilled (2M rows: 13 s of pread before).
//
// Measured (2 cores shared with other jobs; BenchmarkAdd and
// BenchmarkLookup5M; the Go map measured before it was removed; Add and RSS
// figures since the maphash fingerprints and the table outside the heap):
//
//	                        keyset (48 MiB budget)    Go map (removed)
//	Add, 1M keys            0.49-0.53 µs, 26 MiB      0.67-0.70 µs, 36 MB
//	Add, 5M keys            0.61-0.64 µs, 40.5 MiB    (~190 MB)
//	memory a key at 5M      8.5 B                     38 B
//	peak RSS of the test    34 MiB at 1M keys, 48 MiB at 5M
//	disk at 5M keys         108 MiB (6 runs)          none
//
// At 5M keys: merging the 6 runs 0.5-0.8 s; Contains of an absent key 0.6
// µs (a disk read for 0.004% of them); of a present key 4.3 µs, one read
// (a 4 KiB pread alone costs ~3 µs on this VM); ContainsMany 1.4 µs a key
// in 64k batches (0.002 reads a key), 3.1 µs in 4k batches; Add of a
// duplicate of a spilled key, in input order, 3.2 µs and one read.
//
// A Set is not safe for concurrent use. Add and Contains take no context:
// they work in memory, with a spill every ~786k keys (a fraction of a
// second of local writes) and the one merge.
package keyset
