package keyset

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInsert(t *testing.T) {
	tests := []struct {
		name    string
		budget  int64
		keys    int
		repeats int // each key is inserted this many more times, after the rest
	}{
		{"in memory", 0, 200, 2},
		{"repeats after spills", MinMemoryBudget, 6_000, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSet(t, tt.budget)
			for range 1 + tt.repeats {
				for i := range tt.keys {
					require.NoError(t, s.Insert("18", "", "206555"+itoa(i)))
				}
			}
			assert.Zero(t, s.Stats().DiskReads, "a repeat is not looked for on disk")
			for _, i := range []int{0, tt.keys / 2, tt.keys - 1} {
				in, err := s.Contains("18", "", "206555"+itoa(i))
				require.NoError(t, err)
				assert.True(t, in, "key %d", i)
			}
			for _, k := range [][3]string{{"18", "", "206555" + itoa(tt.keys)}, {"21", "", "2065550"}, {"18", "2065550", ""}} {
				in, err := s.Contains(k[0], k[1], k[2])
				require.NoError(t, err)
				assert.False(t, in, "%q", k)
			}
		})
	}
}

func TestInsertOfAKeylessLeadDoesNothing(t *testing.T) {
	s := newSet(t, 0)
	require.NoError(t, s.Insert("18", "", ""))
	assert.Zero(t, s.Len())
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name   string
		budget int64
		keys   int
	}{
		{"in memory", 0, 100},
		{"spilled in several runs", MinMemoryBudget, 5_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			other := newSet(t, 0) // fingerprints come from another set, as in the importer
			s := newSet(t, tt.budget)
			for i := range tt.keys {
				_, _, err := s.AddFingerprint(other.Fingerprint("18", "E-"+itoa(i), ""), 1, i+2)
				require.NoError(t, err)
			}
			for _, i := range []int{0, tt.keys / 2, tt.keys - 1} {
				first, found, err := s.Lookup(other.Fingerprint("18", "E-"+itoa(i), ""))
				require.NoError(t, err)
				assert.True(t, found, "key %d", i)
				assert.Equal(t, Occurrence{File: 1, Row: i + 2}, first)
			}
			_, found, err := s.Lookup(other.Fingerprint("18", "E-"+itoa(tt.keys), ""))
			require.NoError(t, err)
			assert.False(t, found)
			_, found, err = s.Lookup(other.Fingerprint("18", "", ""))
			require.NoError(t, err)
			assert.False(t, found, "a lead without a key")
			assert.Equal(t, int64(tt.keys), s.Len(), "Lookup adds nothing")
		})
	}
}

func TestLookupAndInsertAfterClose(t *testing.T) {
	s, err := New(Options{Dir: t.TempDir()})
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.ErrorIs(t, s.Insert("18", "E-1", ""), ErrClosed)
	_, _, err = s.Lookup(s.Fingerprint("18", "E-1", ""))
	require.ErrorIs(t, err, ErrClosed)
}

func TestCloseOfANilSetDoesNothing(t *testing.T) {
	var s *Set
	require.NoError(t, s.Close())
}
