package keyset

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newSet(t *testing.T, budget int64) *Set {
	t.Helper()
	s, err := New(Options{Dir: t.TempDir(), MemoryBudget: budget})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s
}

func TestAdd(t *testing.T) {
	type add struct {
		account, external, phone string
		file, row                int
		dup                      bool
		first                    Occurrence
	}
	tests := []struct {
		name string
		adds []add
		len  int64
	}{
		{"same externalId in one account", []add{
			{"18", "E-1", "2065550100", 0, 2, false, Occurrence{}},
			{"18", "E-1", "2065550199", 0, 12, true, Occurrence{File: 0, Row: 2}},
			{"18", "E-1", "", 1, 13, true, Occurrence{File: 0, Row: 2}},
		}, 1},
		{"same externalId in another account", []add{
			{"18", "E-1", "", 0, 2, false, Occurrence{}},
			{"21", "E-1", "", 0, 3, false, Occurrence{}},
		}, 2},
		{"phone keys leads without externalId", []add{
			{"18", "", "2065550100", 0, 2, false, Occurrence{}},
			{"18", "", "2065550100", 3, 7, true, Occurrence{File: 0, Row: 2}},
			{"21", "", "2065550100", 3, 8, false, Occurrence{}},
		}, 2},
		{"an externalId-keyed lead ignores its phone", []add{
			{"18", "E-1", "2065550100", 0, 2, false, Occurrence{}},
			{"18", "", "2065550100", 0, 3, false, Occurrence{}},
			{"18", "E-2", "2065550100", 0, 4, false, Occurrence{}},
		}, 3},
		{"externalId and phone with the same text are two keys", []add{
			{"18", "2065550100", "", 0, 2, false, Occurrence{}},
			{"18", "", "2065550100", 0, 3, false, Occurrence{}},
		}, 2},
		{"length prefix keeps account and id apart", []add{
			{"1", "23", "", 0, 2, false, Occurrence{}},
			{"12", "3", "", 0, 3, false, Occurrence{}},
		}, 2},
		{"no externalId and no phone: not keyed, never a duplicate", []add{
			{"18", "", "", 0, 2, false, Occurrence{}},
			{"18", "", "", 0, 3, false, Occurrence{}},
		}, 0},
		{"empty account is an account", []add{
			{"", "E-1", "", 0, 2, false, Occurrence{}},
			{"", "E-1", "", 0, 9, true, Occurrence{Row: 2}},
			{"18", "E-1", "", 0, 10, false, Occurrence{}},
		}, 2},
		{"file 0 row 0 is a real first occurrence", []add{
			{"18", "E-1", "", 0, 0, false, Occurrence{}},
			{"18", "E-1", "", 5, 1, true, Occurrence{}},
		}, 1},
		{"largest file and row", []add{
			{"18", "E-1", "", MaxFile, MaxRow, false, Occurrence{}},
			{"18", "E-1", "", 0, 1, true, Occurrence{File: MaxFile, Row: MaxRow}},
		}, 1},
		{"keys longer than the stack buffer", []add{
			{"18", strings.Repeat("x", 200), "", 0, 2, false, Occurrence{}},
			{"18", strings.Repeat("x", 199) + "y", "", 0, 3, false, Occurrence{}},
			{"18", strings.Repeat("x", 200), "", 0, 4, true, Occurrence{Row: 2}},
		}, 2},
	}
	// Each case is run by Add, and by fingerprints taken ahead and
	// prefetched, as the importer does: the answers must be the same.
	for _, ahead := range []bool{false, true} {
		for _, tt := range tests {
			t.Run(fmt.Sprintf("%s/ahead=%v", tt.name, ahead), func(t *testing.T) {
				s := newSet(t, 0)
				fps := make([]Fingerprint, len(tt.adds))
				for i, a := range tt.adds {
					fps[i] = s.Fingerprint(a.account, a.external, a.phone)
				}
				if ahead {
					s.Prefetch(fps)
				}
				for i, a := range tt.adds {
					var first Occurrence
					var dup bool
					var err error
					if ahead {
						first, dup, err = s.AddFingerprint(fps[i], a.file, a.row)
					} else {
						first, dup, err = s.Add(a.account, a.external, a.phone, a.file, a.row)
					}
					require.NoError(t, err)
					assert.Equal(t, a.dup, dup, "add %d", i)
					assert.Equal(t, a.first, first, "add %d", i)
				}
				assert.Equal(t, tt.len, s.Len())
				for _, a := range tt.adds {
					in, err := s.Contains(a.account, a.external, a.phone)
					require.NoError(t, err)
					assert.Equal(t, a.external != "" || a.phone != "", in, "%+v", a)
				}
			})
		}
	}
}

func TestPrefetchOfAClosedSetDoesNothing(t *testing.T) {
	s, err := New(Options{Dir: t.TempDir()})
	require.NoError(t, err)
	fp := s.Fingerprint("18", "E-1", "")
	require.NoError(t, s.Close())
	s.Prefetch([]Fingerprint{fp, {}})
	_, _, err = s.AddFingerprint(fp, 0, 2)
	require.ErrorIs(t, err, ErrClosed)
}

func TestContainsAbsent(t *testing.T) {
	s := newSet(t, 0)
	_, _, err := s.Add("18", "E-1", "", 0, 2)
	require.NoError(t, err)
	for _, k := range [][3]string{{"18", "E-2", ""}, {"21", "E-1", ""}, {"18", "", "E-1"}, {"18", "", ""}} {
		in, err := s.Contains(k[0], k[1], k[2])
		require.NoError(t, err)
		assert.False(t, in, "%q", k)
	}
}

func TestContainsMany(t *testing.T) {
	tests := []struct {
		name   string
		budget int64
		adds   int
	}{
		{"in memory only", 0, 100},
		{"spilled in several runs", MinMemoryBudget, 5_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSet(t, tt.budget)
			for i := range tt.adds {
				_, _, err := s.Add("18", "E-"+itoa(i), "", 0, i)
				require.NoError(t, err)
			}
			keys := []Key{
				{Account: "18", ExternalID: "E-0"},
				{Account: "18", ExternalID: "E-" + itoa(tt.adds-1), Phone: "ignored"},
				{Account: "21", ExternalID: "E-0"},
				{Account: "18", Phone: "E-0"},
				{Account: "18"},
				{Account: "18", ExternalID: "E-" + itoa(tt.adds)},
			}
			in := []bool{false, false, true, true, true, true}
			require.NoError(t, s.ContainsMany(keys, in))
			assert.Equal(t, []bool{true, true, false, false, false, false}, in)
			assert.LessOrEqual(t, s.Stats().Runs, 1, "the runs were merged first")

			require.Error(t, s.ContainsMany(keys, in[:2]), "one answer per key")
		})
	}
}

func TestAddRejectsOutOfRange(t *testing.T) {
	s := newSet(t, 0)
	for _, c := range [][2]int{{-1, 2}, {MaxFile + 1, 2}, {0, -1}, {0, MaxRow + 1}} {
		_, _, err := s.Add("18", "E-1", "", c[0], c[1])
		require.ErrorIs(t, err, ErrOutOfRange, "file %d row %d", c[0], c[1])
	}
	assert.Zero(t, s.Len())
}

func TestNewRejectsATinyBudget(t *testing.T) {
	_, err := New(Options{MemoryBudget: MinMemoryBudget - 1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "below the minimum")
}

func TestSpillsLeaveNothingBehind(t *testing.T) {
	dir := t.TempDir()
	s, err := New(Options{Dir: dir, MemoryBudget: MinMemoryBudget})
	require.NoError(t, err)
	for i := range 10_000 {
		_, dup, err := s.Add("18", "E-"+itoa(i), "", 0, i)
		require.NoError(t, err)
		require.False(t, dup)
	}
	st := s.Stats()
	assert.Greater(t, st.Runs, 5, "the small budget spilled")
	assert.Equal(t, st.SpilledKeys*slotBytes, st.DiskBytes)
	assert.Equal(t, int64(10_000), st.Keys)

	require.NoError(t, s.Close())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "Close leaves no spill file")
	require.NoError(t, s.Close(), "a second Close does nothing")

	_, _, err = s.Add("18", "E-1", "", 0, 1)
	require.ErrorIs(t, err, ErrClosed)
	_, err = s.Contains("18", "E-1", "")
	require.ErrorIs(t, err, ErrClosed)
	require.ErrorIs(t, s.ContainsMany([]Key{{Account: "18", ExternalID: "E-1"}}, make([]bool, 1)), ErrClosed)
}

func TestSpillFailureIsSticky(t *testing.T) {
	s, err := New(Options{Dir: filepath.Join(t.TempDir(), "missing"), MemoryBudget: MinMemoryBudget})
	require.NoError(t, err)
	defer s.Close()
	var addErr error
	for i := 0; i < 10_000 && addErr == nil; i++ {
		_, _, addErr = s.Add("18", "E-"+itoa(i), "", 0, i)
	}
	require.Error(t, addErr, "the spill could not create its file")
	assert.Contains(t, addErr.Error(), "missing")
	_, err = s.Contains("18", "E-1", "")
	require.ErrorIs(t, err, addErr, "the set stays failed")
}

func TestStatsBeforeSpill(t *testing.T) {
	s := newSet(t, 0)
	_, _, err := s.Add("18", "E-1", "", 0, 2)
	require.NoError(t, err)
	st := s.Stats()
	assert.Equal(t, Stats{Keys: 1, HeapBytes: initialSlots * slotBytes}, st, "a small input costs a small table and no disk")
}

// itoa avoids strconv in the hot loops of tests.
func itoa(i int) string {
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[n:])
		}
	}
}
