package state

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRuns(t *testing.T) {
	s := openTemp(t)
	_, found, err := s.LastCompletedRun()
	require.NoError(t, err)
	assert.False(t, found, "a new file has no completed run")

	at := time.Date(2025, 5, 1, 2, 0, 0, 0, time.UTC)
	done, err := s.RecordRun(RunInfo{At: at, Completed: true, Rows: 40_000, Header: []string{"Account", "Phone"},
		Inputs: []string{"leads.csv"}, Mode: "update", OnRemoved: "report", Sent: 39_000, Unchanged: 1_000, Removed: 3})
	require.NoError(t, err)
	assert.Equal(t, uint64(1), done.ID)

	failed, err := s.RecordRun(RunInfo{At: at.Add(24 * time.Hour), Rows: 12})
	require.NoError(t, err)
	assert.Equal(t, uint64(2), failed.ID)

	last, found, err := s.LastCompletedRun()
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, done, last, "an incomplete run leaves the reference alone")

	runs, err := s.Runs(0)
	require.NoError(t, err)
	assert.Equal(t, []RunInfo{failed, done}, runs, "newest first")
	runs, err = s.Runs(1)
	require.NoError(t, err)
	assert.Equal(t, []RunInfo{failed}, runs)
}

func TestRunHistoryIsBoundedButKeepsTheLastCompleted(t *testing.T) {
	s := openTemp(t)
	done, err := s.RecordRun(RunInfo{Completed: true, Rows: 7})
	require.NoError(t, err)
	for i := 0; i < keptRuns+5; i++ {
		_, err := s.RecordRun(RunInfo{Rows: int64(i)})
		require.NoError(t, err)
	}
	runs, err := s.Runs(0)
	require.NoError(t, err)
	require.Len(t, runs, keptRuns)
	assert.Equal(t, uint64(keptRuns+6), runs[0].ID)
	assert.Equal(t, uint64(7), runs[keptRuns-1].ID)

	last, found, err := s.LastCompletedRun()
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, done, last)
}

func TestHeaderDrift(t *testing.T) {
	tests := []struct {
		name           string
		old, new       []string
		added, removed []string
	}{
		{"same header", []string{"a", "b"}, []string{"a", "b"}, nil, nil},
		{"reordered is no drift", []string{"a", "b"}, []string{"b", "a"}, nil, nil},
		{"added and removed in their own order", []string{"Account", "Phone", "Zip"}, []string{"Account", "Email", "Phone", "City"},
			[]string{"Email", "City"}, []string{"Zip"}},
		{"case counts", []string{"phone"}, []string{"Phone"}, []string{"Phone"}, []string{"phone"}},
		{"a repeated name counts each time", []string{"Notes", "Notes"}, []string{"Notes"}, nil, []string{"Notes"}},
		{"first run", nil, []string{"a"}, []string{"a"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			added, removed := HeaderDrift(tt.old, tt.new)
			assert.Equal(t, tt.added, added)
			assert.Equal(t, tt.removed, removed)
		})
	}
}
