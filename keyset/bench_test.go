package keyset

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// keyGen makes the externalId of lead i without allocating, so that the
// benchmarks' heap figures are the set's own. Add keeps no reference to
// the strings it is given, which is what makes reusing the bytes safe.
type keyGen struct{ buf []byte }

func (g *keyGen) id(i int) string {
	g.buf = strconv.AppendInt(append(g.buf[:0], "EXT-"...), int64(i)*7919, 10)
	return unsafe.String(&g.buf[0], len(g.buf))
}

var accounts = []string{"18", "21", "34", "55", "89", "144", "233", "377"}

// resetPeakRSS clears the kernel's peak-RSS mark of this process (Linux;
// elsewhere peakRSS reports nothing).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the process's peak resident set since resetPeakRSS, in bytes,
// or 0 where /proc does not tell.
func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkAdd adds n distinct keys under the default budget and reports
// ns per Add, the set's memory per key at the end (live heap, plus the
// table and filter outside it), the peak of that memory (sampled
// after a collection every 250k keys), the whole test process's peak RSS
// and the disk used. Run with -benchtime=1x: each op is a whole import's
// worth of keys.
func BenchmarkAdd(b *testing.B) {
	for _, n := range []int{1_000_000, 5_000_000} {
		b.Run(strconv.Itoa(n/1_000_000)+"M", func(b *testing.B) {
			var g keyGen
			for b.Loop() {
				base := liveHeap()
				resetPeakRSS()
				s, err := New(Options{Dir: b.TempDir()})
				if err != nil {
					b.Fatal(err)
				}
				var peak uint64
				for i := range n {
					if _, dup, err := s.Add(accounts[i%len(accounts)], g.id(i), "", 0, i+2); err != nil || dup {
						b.Fatal(err, dup)
					}
					if i%250_000 == 0 {
						b.StopTimer()
						peak = max(peak, liveHeap()-base+uint64(s.outsideBytes()))
						b.StartTimer()
					}
				}
				b.StopTimer()
				end := liveHeap() - base + uint64(s.outsideBytes())
				peak = max(peak, end)
				st := s.Stats()
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/add")
				b.ReportMetric(float64(end)/float64(n), "B/key")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
				b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MiB")
				b.ReportMetric(float64(st.DiskBytes)/(1<<20), "disk-MiB")
				b.ReportMetric(float64(st.Runs), "runs")
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}

// BenchmarkLookup5M measures, on a set holding 5M keys (default budget,
// most of them spilled in 6 runs): Add of a duplicate whose first
// occurrence is on disk (a whole file given twice, in input order), then
// the merge of the runs that the first Contains does (logged), then
// Contains of absent keys (the filter answers) and of present keys
// (removed detection), one at a time and by ContainsMany. disk-reads/op
// says how often the disk is read.
func BenchmarkLookup5M(b *testing.B) {
	const n = 5_000_000
	var g keyGen
	s, err := New(Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for i := range n {
		if _, _, err := s.Add(accounts[i%len(accounts)], g.id(i), "", 0, i+2); err != nil {
			b.Fatal(err)
		}
	}
	bench := func(name string, op func(i int) (bool, error), want bool) {
		b.Run(name, func(b *testing.B) {
			reads := s.Stats().DiskReads
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				got, err := op(i * 7)
				if err != nil || got != want {
					b.Fatal("wrong answer for", i*7, err)
				}
				i++
			}
			b.ReportMetric(float64(s.Stats().DiskReads-reads)/float64(b.N), "disk-reads/op")
		})
	}
	bench("add-duplicate-6-runs", func(i int) (bool, error) {
		_, dup, err := s.Add(accounts[i%n%len(accounts)], g.id(i%n), "", 1, i)
		return dup, err
	}, true)

	runs, start := s.Stats().Runs, time.Now()
	if in, err := s.Contains(accounts[0], g.id(0), ""); err != nil || !in {
		b.Fatal("the first key is missing", err)
	}
	b.Logf("merging %d runs (%d keys) took %v", runs, s.Stats().SpilledKeys, time.Since(start))

	bench("contains-absent", func(i int) (bool, error) {
		in, err := s.Contains(accounts[i%len(accounts)], g.id(n+i), "")
		return in, err
	}, false)
	bench("contains-present-1-run", func(i int) (bool, error) {
		return s.Contains(accounts[i%n%len(accounts)], g.id(i%n), "")
	}, true)

	// ContainsMany of present keys in batches of 64k, as a removed-lead
	// check would: ns/key and reads/key.
	for _, size := range []int{4096, 65536} {
		b.Run("contains-many-present-"+strconv.Itoa(size), func(b *testing.B) {
			keys := make([]Key, size)
			ids := make([]string, size) // real strings: the batch holds them all at once
			in := make([]bool, size)
			reads := s.Stats().DiskReads
			next := 0
			for b.Loop() {
				b.StopTimer()
				for j := range keys {
					ids[j] = strconv.Itoa(next * 7919 % n * 7919)
					keys[j] = Key{Account: accounts[next*7919%n%len(accounts)], ExternalID: "EXT-" + ids[j]}
					next++
				}
				b.StartTimer()
				if err := s.ContainsMany(keys, in); err != nil {
					b.Fatal(err)
				}
				for j, ok := range in {
					if !ok {
						b.Fatal("missing", keys[j])
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*size), "ns/key")
			b.ReportMetric(float64(s.Stats().DiskReads-reads)/float64(b.N*size), "disk-reads/key")
		})
	}
}
