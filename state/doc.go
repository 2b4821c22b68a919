// Package state is the memory of a recurring import (--state PATH, one file
// per scheduled job): which leads the server confirmed and with what
// payload, the runs of the job, and the inputs completely imported. With it
// a nightly full export sends only what changed (--changed-only), finds the
// leads that disappeared (--on-removed), refuses an input that looks
// truncated (Guard), skips a file imported before and reports header drift.
//
// Storage: one bbolt file. bbolt is a single file with ACID transactions
// whose commit is fsync'd (a crash never leaves half a transaction), pure Go
// without cgo, and maintained by etcd, which runs on it. The file is created
// 0600; bbolt's flock keeps a second process out, and Open gives up after
// LockTimeout (1 s) with ErrLocked naming the path rather than hang. A
// file without our meta bucket (tool "xonvo-import", schema version) is
// refused untouched.
//
// Layout (schema 1):
//   - meta: tool, schema, created, the lead count (kept in step by every
//     write so Len needs no scan), and the last completed run.
//   - leads: key uvarint(len(account)) account tag id, where tag is 'e' and
//     id the externalId, or 'p' and the phone when there is no externalId.
//     The length prefix makes it unambiguous whatever bytes the ids hold and
//     puts each account's leads under one prefix. Value: format byte, the
//     16-byte Hash, SentAt in Unix ns, and the phone of an externalId-keyed
//     lead (for the removed report; not part of the identity).
//   - runs: the last 100 runs (RunInfo as JSON) under a sequence number.
//   - files: inputs completely imported, keyed by content (see
//     FileFingerprint for the matching rule).
//
// Crash safety: the importer calls Confirm per group of confirmed batches,
// in step with its fsync'd journal; each call is one transaction, so after
// kill -9 every lead of a returned Confirm is there and no lead of an
// unfinished one is (crash_test.go kills a real child process at random
// points and checks exactly that, with bbolt's consistency check).
// Confirm, Delete, RecordRun and MarkFileDone take no context on purpose:
// what was done must be recorded even while the run is being interrupted.
//
// Hash: PayloadHash is SHA-256 of the exact payload bytes sent, cut to 16
// bytes (see Hash). Include in the payload whatever changes the effect of
// sending it (the mode, if add and update send the same body).
//
// Measured at 1M leads on 2 cores shared with other jobs (load 3-15, so
// the ranges are wide; BenchmarkGet, BenchmarkGetMany, BenchmarkConfirm100,
// BenchmarkFileSize): Get 4-8 µs for random keys, of which ~1.5 µs is
// bbolt's transaction and bucket setup (one key repeated: 2.8 µs), so
// GetMany, which shares one transaction, costs 3.3-3.7 µs a lead. Confirm
// of 100 new random leads 6.5-13 ms (8,000-15,000 leads/s): each lead
// rewrites a 4 KiB page, plus the fsync; leads confirmed in key order, in
// groups of 50,000, go ~190,000/s. The file takes ~118 bytes a lead in key order or not (about
// 600 MB at 5M leads).
//
// Memory: bbolt reads through a memory map, and each page read stays in
// the process's resident set until the map goes. The freelist is synced
// with every commit, so opening reads one page instead of walking the
// whole file (which mapped all of it: 218 MB at 2M leads, and took 0.17 s;
// now 0.3 ms and 3 MB), and every 512 leads read or written the Store
// gives the mapped pages back (resident.go). A 5M-row import with --state
// peaked at 436 MB before, 144 MB after; its nightly rerun at 141 MB.
package state
