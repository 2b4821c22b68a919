package keyset

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAgainstMap drives a Set with a small budget (many spills, so most
// keys live on disk) and a plain map side by side: every Add and Contains
// must agree, first occurrences included. The first half only adds, so
// duplicates are looked up across many runs; the second half mixes in
// Contains, which merges the runs, and the adds spill new ones after it.
func TestAgainstMap(t *testing.T) {
	for _, tc := range []struct {
		name   string
		budget int64
		ops    int
		space  int // distinct candidate ids: a smaller space means more duplicates
	}{
		{"mostly new keys", MinMemoryBudget, 40_000, 1_000_000},
		{"many duplicates", MinMemoryBudget, 40_000, 10_000},
		{"a budget of a few spills", 1 << 20, 60_000, 100_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seed := rand.Uint64()
			t.Logf("seed %d", seed)
			rng := rand.New(rand.NewPCG(seed, 7))
			s := newSet(t, tc.budget)
			type key struct{ account, external, phone string }
			canon := func(k key) (key, bool) {
				switch {
				case k.external != "":
					return key{k.account, k.external, ""}, true
				case k.phone != "":
					return key{k.account, "", k.phone}, true
				}
				return key{}, false
			}
			oracle := map[key]Occurrence{}
			randomKey := func() key {
				k := key{account: strconv.Itoa(rng.IntN(5))}
				switch rng.IntN(10) {
				case 0:
				case 1, 2, 3:
					k.phone = strconv.Itoa(rng.IntN(tc.space))
				default:
					k.external = strconv.Itoa(rng.IntN(tc.space))
					if rng.IntN(2) == 0 {
						k.phone = strconv.Itoa(rng.IntN(tc.space))
					}
				}
				return k
			}
			for op := range tc.ops {
				if op == tc.ops/2 {
					st := s.Stats()
					t.Logf("after the adds: %+v", st)
					require.GreaterOrEqual(t, st.Runs, 2, "the adds must spill several runs")
				}
				k := randomKey()
				if op > tc.ops/2 && rng.IntN(4) == 0 {
					in, err := s.Contains(k.account, k.external, k.phone)
					c, keyed := canon(k)
					_, want := oracle[c]
					// Plain checks in the hot loop: testify's are slow under -race.
					if err != nil || in != (keyed && want) {
						t.Fatalf("op %d: Contains %+v = %v, %v; want %v", op, k, in, err, keyed && want)
					}
					continue
				}
				at := Occurrence{File: rng.IntN(3), Row: op}
				first, dup, err := s.Add(k.account, k.external, k.phone, at.File, at.Row)
				c, keyed := canon(k)
				want, seen := oracle[c]
				if err != nil || dup != (keyed && seen) || dup && first != want {
					t.Fatalf("op %d: Add %+v = %+v, %v, %v; want %+v, %v", op, k, first, dup, err, want, keyed && seen)
				}
				if !dup && keyed {
					oracle[c] = at
				}
			}
			assert.Equal(t, int64(len(oracle)), s.Len())
			t.Logf("at the end: %+v", s.Stats())
			for c := range oracle {
				if in, err := s.Contains(c.account, c.external, c.phone); err != nil || !in {
					t.Fatalf("Contains %+v = %v, %v", c, in, err)
				}
			}

			// ContainsMany must agree with the map on every kept key and on
			// as many random ones, in batches of several sizes, after more
			// adds have spilled new runs.
			for i := range 3 * MinMemoryBudget / slotBytes {
				k := key{account: "new", external: strconv.Itoa(i)}
				_, _, err := s.Add(k.account, k.external, "", 0, i)
				require.NoError(t, err)
				oracle[k] = Occurrence{Row: i}
			}
			var batch []Key
			var want []bool
			for c := range oracle {
				batch = append(batch, Key{c.account, c.external, c.phone})
				want = append(want, true)
				r := randomKey()
				batch = append(batch, Key{r.account, r.external, r.phone})
				rc, keyed := canon(r)
				_, w := oracle[rc]
				want = append(want, keyed && w)
			}
			for _, size := range []int{3, 4096, len(batch)} {
				for start := 0; start < len(batch); start += size {
					end := min(start+size, len(batch))
					got := make([]bool, end-start)
					require.NoError(t, s.ContainsMany(batch[start:end], got))
					require.Equal(t, want[start:end], got, "batch size %d at %d", size, start)
				}
			}
		})
	}
}
