package state

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// benchKey is lead i as a nightly export would key it: an externalId, with
// the phone kept beside it.
func benchKey(i int) Key {
	return Key{AccountID: "18", ExternalID: fmt.Sprintf("EXT-%010d", i), Phone: fmt.Sprintf("+1206%07d", i%10_000_000)}
}

// fillStore opens a store at path holding n leads, confirmed in groups of
// group leads, in random key order when shuffle is set (the input's order
// is rarely the key order).
func fillStore(tb testing.TB, path string, n, group int, shuffle bool) *Store {
	tb.Helper()
	s, err := Open(context.Background(), path, Options{})
	require.NoError(tb, err)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if shuffle {
		rand.New(rand.NewPCG(1, 2)).Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	at := time.Date(2025, 5, 1, 2, 0, 0, 0, time.UTC)
	leads := make([]Confirmed, 0, group)
	for start := 0; start < n; start += group {
		leads = leads[:0]
		for _, i := range order[start:min(start+group, n)] {
			leads = append(leads, Confirmed{Key: benchKey(i), Hash: PayloadHash([]byte(fmt.Sprint(i))), SentAt: at})
		}
		require.NoError(tb, s.Confirm(leads))
	}
	return s
}

// BenchmarkGet looks up random leads of a state holding a million, as
// --changed-only does once a row.
func BenchmarkGet(b *testing.B) {
	const n = 1_000_000
	s := fillStore(b, filepath.Join(b.TempDir(), "job.state"), n, 50_000, false)
	defer s.Close()
	keys := make([]Key, 4096)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range keys {
		keys[i] = benchKey(rng.IntN(n))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, found, err := s.Get(keys[i%len(keys)]); err != nil || !found {
			b.Fatal(err, found)
		}
		i++
	}
}

// BenchmarkConfirm100 records groups of 100 new leads, in random key order,
// into a state that already holds a million: each op is one fsync'd
// transaction.
func BenchmarkConfirm100(b *testing.B) {
	const n = 1_000_000
	s := fillStore(b, filepath.Join(b.TempDir(), "job.state"), n, 50_000, false)
	defer s.Close()
	rng := rand.New(rand.NewPCG(5, 6))
	leads := make([]Confirmed, 100)
	next := n
	b.ReportAllocs()
	for b.Loop() {
		for j := range leads {
			leads[j] = Confirmed{Key: benchKey(n + rng.IntN(1<<30)), SentAt: time.Now()}
			next++
		}
		if err := s.Confirm(leads); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(100*b.N)/b.Elapsed().Seconds(), "leads/s")
}

// BenchmarkFileSize reports the state file's bytes per lead at a million
// leads, written in key order and in random order by groups of 1,000 (pages
// split on random inserts stay partly empty), the rate they were written at,
// and the time to open the file again. Run with -benchtime=1x.
func BenchmarkFileSize(b *testing.B) {
	for _, tc := range []struct {
		name    string
		group   int
		shuffle bool
	}{{"key-order", 50_000, false}, {"random-order-groups-of-1000", 1000, true}} {
		b.Run(tc.name, func(b *testing.B) {
			const n = 1_000_000
			for b.Loop() {
				path := filepath.Join(b.TempDir(), "job.state")
				start := time.Now()
				s := fillStore(b, path, n, tc.group, tc.shuffle)
				elapsed := time.Since(start)
				require.NoError(b, s.Close())
				fi, err := os.Stat(path)
				require.NoError(b, err)
				b.ReportMetric(float64(fi.Size())/n, "B/lead")
				b.ReportMetric(float64(n)/elapsed.Seconds(), "leads/s")

				// Opening reads the synced freelist; it walked the whole
				// file before the freelist was synced (0.1-0.4 s at 1M).
				start = time.Now()
				s, err = Open(context.Background(), path, Options{})
				require.NoError(b, err)
				b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "open-ms")
				require.NoError(b, s.Close())
			}
		})
	}
}

// BenchmarkGetMany looks up the same random leads as BenchmarkGet, 100 at a
// time in one transaction (a batch of rows); ns/op is per lead.
func BenchmarkGetMany(b *testing.B) {
	const n = 1_000_000
	s := fillStore(b, filepath.Join(b.TempDir(), "job.state"), n, 50_000, false)
	defer s.Close()
	keys := make([]Key, 4096)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range keys {
		keys[i] = benchKey(rng.IntN(n))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		start := i % (len(keys) - 100)
		if err := s.GetMany(keys[start:start+100], func(_ int, _ Entry, found bool) {
			if !found {
				b.Fatal("missing")
			}
		}); err != nil {
			b.Fatal(err)
		}
		i += 100
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(100*b.N), "ns/lead")
}
