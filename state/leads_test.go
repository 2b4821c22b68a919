package state

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPayloadHash(t *testing.T) {
	// The first 16 bytes of SHA-256(""): the hash is fixed by the file
	// format, so a change of algorithm must fail here.
	assert.Equal(t, Hash{0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24},
		PayloadHash(nil))
	assert.NotEqual(t, PayloadHash([]byte(`{"firstName":"Ann"}`)), PayloadHash([]byte(`{"firstName":"Anne"}`)))
}

func TestConfirmAndGet(t *testing.T) {
	at := time.Date(2025, 3, 1, 2, 3, 4, 5, time.UTC)
	h1, h2 := PayloadHash([]byte("v1")), PayloadHash([]byte("v2"))
	byExt := Key{AccountID: "18", ExternalID: "E-1", Phone: "2065550100"}
	byPhone := Key{AccountID: "18", Phone: "2065550101"}

	tests := []struct {
		name    string
		confirm [][]Confirmed
		get     Key
		want    Entry
		found   bool
		wantLen int64
	}{
		{"nothing recorded", nil, byExt, Entry{}, false, 0},
		{"confirmed by externalId", [][]Confirmed{{{Key: byExt, Hash: h1, SentAt: at}}},
			byExt, Entry{Hash: h1, SentAt: at}, true, 1},
		{"looked up without its phone", [][]Confirmed{{{Key: byExt, Hash: h1, SentAt: at}}},
			Key{AccountID: "18", ExternalID: "E-1"}, Entry{Hash: h1, SentAt: at}, true, 1},
		{"a phone-keyed lead is not an externalId-keyed one", [][]Confirmed{{{Key: byPhone, Hash: h1, SentAt: at}}},
			Key{AccountID: "18", ExternalID: "2065550101"}, Entry{}, false, 1},
		{"another account", [][]Confirmed{{{Key: byExt, Hash: h1, SentAt: at}}},
			Key{AccountID: "21", ExternalID: "E-1"}, Entry{}, false, 1},
		{"confirmed again replaces, counted once", [][]Confirmed{
			{{Key: byExt, Hash: h1, SentAt: at}},
			{{Key: byExt, Hash: h2, SentAt: at.Add(time.Hour)}},
		}, byExt, Entry{Hash: h2, SentAt: at.Add(time.Hour)}, true, 1},
		{"the last of a key in one call wins", [][]Confirmed{{
			{Key: byExt, Hash: h1, SentAt: at},
			{Key: byPhone, Hash: h1, SentAt: at},
			{Key: byExt, Hash: h2, SentAt: at},
		}}, byExt, Entry{Hash: h2, SentAt: at}, true, 2},
		{"zero SentAt", [][]Confirmed{{{Key: byPhone, Hash: h2}}}, byPhone, Entry{Hash: h2}, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTemp(t)
			for _, group := range tt.confirm {
				require.NoError(t, s.Confirm(group))
			}
			got, found, err := s.Get(tt.get)
			require.NoError(t, err)
			assert.Equal(t, tt.found, found)
			assert.Equal(t, tt.want, got)
			n, err := s.Len()
			require.NoError(t, err)
			assert.Equal(t, tt.wantLen, n)
		})
	}
}

func TestConfirmRefusesAKeylessLeadWritingNothing(t *testing.T) {
	s := openTemp(t)
	err := s.Confirm([]Confirmed{
		{Key: Key{AccountID: "18", ExternalID: "E-1"}},
		{Key: Key{AccountID: "18"}},
	})
	require.ErrorIs(t, err, ErrNoKey)
	assert.Contains(t, err.Error(), "lead 2 of 2")
	_, found, err := s.Get(Key{AccountID: "18", ExternalID: "E-1"})
	require.NoError(t, err)
	assert.False(t, found, "the group is all or nothing")

	_, _, err = s.Get(Key{AccountID: "18"})
	require.ErrorIs(t, err, ErrNoKey)
}

func TestDelete(t *testing.T) {
	s := openTemp(t)
	a, b := Key{AccountID: "18", ExternalID: "A"}, Key{AccountID: "18", Phone: "5"}
	require.NoError(t, s.Confirm([]Confirmed{{Key: a}, {Key: b}}))

	n, err := s.Delete([]Key{a, a, {AccountID: "18", ExternalID: "never"}})
	require.NoError(t, err)
	assert.Equal(t, 1, n, "a repeated or unknown key deletes nothing more")
	count, err := s.Len()
	require.NoError(t, err)
	assert.Equal(t, int64(1), count)
	_, found, err := s.Get(a)
	require.NoError(t, err)
	assert.False(t, found)

	_, err = s.Delete([]Key{{AccountID: "18"}})
	require.ErrorIs(t, err, ErrNoKey)
}

func TestForEach(t *testing.T) {
	s := openTemp(t)
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	require.NoError(t, s.Confirm([]Confirmed{
		{Key: Key{AccountID: "21", ExternalID: "B"}, SentAt: at},
		{Key: Key{AccountID: "18", Phone: "2065550100"}, SentAt: at},
		{Key: Key{AccountID: "18", ExternalID: "Z", Phone: "2065550199"}, SentAt: at},
		{Key: Key{AccountID: "7", ExternalID: "A"}, SentAt: at},
	}))
	var got []Key
	require.NoError(t, s.ForEach(context.Background(), func(k Key, e Entry) error {
		assert.Equal(t, at, e.SentAt)
		got = append(got, k)
		return nil
	}))
	assert.Equal(t, []Key{
		{AccountID: "7", ExternalID: "A"},
		{AccountID: "18", ExternalID: "Z", Phone: "2065550199"},
		{AccountID: "18", Phone: "2065550100"},
		{AccountID: "21", ExternalID: "B"},
	}, got, "by account (shorter first), externalId keys before phone keys, the stored phone returned")

	stop := errors.New("stop")
	calls := 0
	err := s.ForEach(context.Background(), func(Key, Entry) error { calls++; return stop })
	require.ErrorIs(t, err, stop)
	assert.Equal(t, 1, calls)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, s.ForEach(ctx, func(Key, Entry) error { return nil }), context.Canceled)
}

// TestForEachAcrossChunksWhileWriting walks more leads than one chunk holds
// and deletes each visited lead from inside fn: the walk must neither
// deadlock nor skip or repeat a lead.
func TestForEachAcrossChunksWhileWriting(t *testing.T) {
	s := openTemp(t)
	s.chunk = 16
	const n = 2*16 + 7
	leads := make([]Confirmed, n)
	for i := range leads {
		leads[i] = Confirmed{Key: Key{AccountID: "18", ExternalID: fmt.Sprintf("E-%06d", i)}, Hash: PayloadHash([]byte(fmt.Sprint(i)))}
	}
	require.NoError(t, s.Confirm(leads))

	seen := map[string]int{}
	require.NoError(t, s.ForEach(context.Background(), func(k Key, e Entry) error {
		seen[k.ExternalID]++
		var i int
		_, err := fmt.Sscanf(k.ExternalID, "E-%06d", &i)
		require.NoError(t, err)
		assert.Equal(t, PayloadHash([]byte(fmt.Sprint(i))), e.Hash)
		_, err = s.Delete([]Key{k})
		return err
	}))
	assert.Len(t, seen, n)
	for id, c := range seen {
		assert.Equal(t, 1, c, id)
	}
	left, err := s.Len()
	require.NoError(t, err)
	assert.Zero(t, left)
}

func TestGetMany(t *testing.T) {
	s := openTemp(t)
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, s.Confirm([]Confirmed{
		{Key: Key{AccountID: "18", ExternalID: "B"}, Hash: PayloadHash([]byte("b")), SentAt: at},
		{Key: Key{AccountID: "18", Phone: "5"}, Hash: PayloadHash([]byte("5")), SentAt: at},
	}))
	keys := []Key{
		{AccountID: "21", ExternalID: "B"},
		{AccountID: "18", Phone: "5"},
		{AccountID: "18", ExternalID: "A"},
		{AccountID: "18", ExternalID: "B", Phone: "ignored"},
	}
	type result struct {
		e     Entry
		found bool
	}
	got := make([]result, len(keys))
	calls := 0
	require.NoError(t, s.GetMany(keys, func(i int, e Entry, found bool) {
		calls++
		got[i] = result{e, found}
	}))
	assert.Equal(t, len(keys), calls)
	assert.Equal(t, []result{
		{Entry{}, false},
		{Entry{Hash: PayloadHash([]byte("5")), SentAt: at}, true},
		{Entry{}, false},
		{Entry{Hash: PayloadHash([]byte("b")), SentAt: at}, true},
	}, got, "each answer at its key's index, whatever order the lookups ran in")

	err := s.GetMany([]Key{{AccountID: "18", ExternalID: "A"}, {AccountID: "18"}}, func(int, Entry, bool) {
		t.Error("no lookup runs when a key is missing")
	})
	require.ErrorIs(t, err, ErrNoKey)
	assert.Contains(t, err.Error(), "lead 2 of 2")
}

// TestConcurrentUse reads while another goroutine confirms (run with -race):
// the importer checks rows on one goroutine and confirms on another.
func TestConcurrentUse(t *testing.T) {
	s := openTemp(t)
	done := make(chan error, 1)
	go func() {
		for b := range 20 {
			leads := make([]Confirmed, 50)
			for j := range leads {
				leads[j] = Confirmed{Key: Key{AccountID: "18", ExternalID: fmt.Sprintf("%d-%d", b, j)}}
			}
			if err := s.Confirm(leads); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for i := 0; ; i++ {
		select {
		case err := <-done:
			require.NoError(t, err)
			n, err := s.Len()
			require.NoError(t, err)
			assert.Equal(t, int64(1000), n)
			return
		default:
		}
		_, _, err := s.Get(Key{AccountID: "18", ExternalID: fmt.Sprintf("%d-%d", i%20, i%50)})
		require.NoError(t, err)
	}
}
