package keyset

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBloomRates fills filters to the loads doc.go quotes and measures the
// false-positive rate on keys never added (fixed seed: the figures are
// deterministic). An added key must always be found.
func TestBloomRates(t *testing.T) {
	for _, tc := range []struct {
		name       string
		bitsPerKey int
		maxFPR     float64
	}{
		{"16 bits a key (while the budget allows)", 16, 0.002},
		{"10 bits a key (20M keys in the default budget)", 10, 0.02},
		{"40 bits a key", 40, 0.0001},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(tc.bitsPerKey)))
			const size = 1 << 20
			b := newBloom(size)
			n := size * 8 / tc.bitsPerKey
			added := make([]fingerprint, n)
			for i := range added {
				added[i] = fingerprint{rng.Uint64(), rng.Uint64()}
				b.add(added[i])
			}
			for _, f := range added {
				if !b.mayContain(f) {
					t.Fatalf("an added key is missing: %+v", f)
				}
			}
			const probes = 300_000
			fp := 0
			for range probes {
				if b.mayContain(fingerprint{rng.Uint64(), rng.Uint64()}) {
					fp++
				}
			}
			rate := float64(fp) / probes
			t.Logf("false positives: %.5f%%", 100*rate)
			assert.Less(t, rate, tc.maxFPR)
		})
	}
}

func TestFilterSize(t *testing.T) {
	for _, tc := range []struct {
		n, limit, want int64
	}{
		{1, 1 << 20, 4096},
		{2048, 1 << 20, 4096},
		{2049, 1 << 20, 8192},
		{786_432, 24 << 20, 2 << 20},
		{5_000_000, 24 << 20, 16 << 20},
		{20_000_000, 24 << 20, 24 << 20},
		{10_000, 40 << 10, 32 << 10},
		{100_000, 40 << 10, 40 << 10},
	} {
		assert.Equal(t, tc.want, filterSize(tc.n, tc.limit), "%d keys, limit %d", tc.n, tc.limit)
	}
}

func TestMemtable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	m := newMemtable(16, 64)
	want := map[fingerprint]uint64{}
	for i := range 48 {
		if !m.roomy() {
			assert.True(t, m.canGrow())
			m.grow()
		}
		f := fingerprint{rng.Uint64(), rng.Uint64()}
		j, found := m.probe(f)
		assert.False(t, found)
		m.slots[j] = slot{f.hi, f.lo, packAt(0, i)}
		m.n++
		want[f] = packAt(0, i)
	}
	assert.False(t, m.roomy(), "48 keys fill 64 slots to the load limit")
	assert.False(t, m.canGrow(), "and the budget allows no more")
	for f, at := range want {
		j, found := m.probe(f)
		assert.True(t, found)
		assert.Equal(t, at, m.slots[j].at)
	}
	keys := m.sorted()
	assert.Len(t, keys, 48)
	for i := 1; i < len(keys); i++ {
		assert.True(t, fingerprint{keys[i-1].hi, keys[i-1].lo}.less(fingerprint{keys[i].hi, keys[i].lo}))
	}
	m.reset()
	assert.Zero(t, m.n)
	_, found := m.probe(fingerprint{keys[0].hi, keys[0].lo})
	assert.False(t, found)
}

func TestPackAt(t *testing.T) {
	for _, o := range []Occurrence{{0, 0}, {0, 2}, {7, 123_456}, {MaxFile, MaxRow}} {
		at := packAt(o.File, o.Row)
		assert.NotZero(t, at, "never the empty slot")
		assert.Equal(t, o, unpackAt(at))
	}
}

// TestMemtableSorted fills tables to their load limit with keys spread
// evenly, crowded at the end of the table (their probes wrap around to the
// start) and all on one home (one long cluster, inserted in descending
// order, past the insertion sort's budget): sorted must return every key,
// in order, each time.
func TestMemtableSorted(t *testing.T) {
	tests := []struct {
		name string
		key  func(rng *rand.Rand, i int) fingerprint
	}{
		{"spread", func(rng *rand.Rand, _ int) fingerprint { return fingerprint{rng.Uint64(), rng.Uint64()} }},
		{"crowded at the end", func(rng *rand.Rand, _ int) fingerprint {
			return fingerprint{^uint64(0) - rng.Uint64N(1<<56), rng.Uint64()}
		}},
		{"one home, descending", func(_ *rand.Rand, i int) fingerprint { return fingerprint{1 << 40, ^uint64(i)} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, 6))
			m := newMemtable(1024, 1024)
			defer m.free()
			want := map[fingerprint]bool{}
			for i := 0; m.roomy(); i++ {
				f := tt.key(rng, i)
				j, found := m.probe(f)
				require.False(t, found)
				m.slots[j] = slot{f.hi, f.lo, packAt(0, i)}
				m.n++
				want[f] = true
			}
			keys := m.sorted()
			require.Len(t, keys, len(want))
			for i, k := range keys {
				assert.True(t, want[fingerprint{k.hi, k.lo}], "key %d was added", i)
				if i > 0 {
					require.True(t, slotLess(keys[i-1], k), "keys %d and %d in order", i-1, i)
				}
			}
		})
	}
}
