package reports

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSummaryText(t *testing.T) {
	tests := []struct {
		name    string
		summary Summary
	}{
		{name: "full", summary: testSummary()},
		{name: "dry run", summary: Summary{
			Files: []string{"a.csv"}, DryRun: true,
			Counts: map[Status]int64{StatusValid: 9, StatusInvalid: 1}, Rows: 10,
			Duration: 1500 * time.Millisecond,
		}},
		{name: "empty", summary: Summary{}},
		{name: "unknown status", summary: Summary{
			Counts: map[Status]int64{"mystery": 2, StatusSent: 1}, Rows: 3, Duration: time.Second,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, tt.summary.WriteText(&b))
			checkGolden(t, "summary_"+strings.ReplaceAll(tt.name, " ", "_")+".txt", b.Bytes())
		})
	}
}

func TestSummaryJSON(t *testing.T) {
	tests := []struct {
		name    string
		summary Summary
	}{
		{name: "full", summary: testSummary()},
		{name: "empty", summary: Summary{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := json.Marshal(tt.summary)
			require.NoError(t, err)
			checkGolden(t, "summary_"+tt.name+".json", data)

			var got map[string]any
			require.NoError(t, json.Unmarshal(data, &got))
			keys := make([]string, 0, len(got))
			for k := range got {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			assert.Equal(t, []string{"bytes", "counts", "dry_run", "duration_seconds", "files", "requests",
				"resends", "retries", "rows", "rows_per_second", "splits", "stopped"}, keys)
			counts, ok := got["counts"].(map[string]any)
			require.True(t, ok, "counts is an object")
			for _, st := range Statuses() {
				assert.Contains(t, counts, string(st), "every status has a count, zero included")
			}
			assert.NotNil(t, got["files"], "files is an array, never null")
		})
	}
}

func TestSummaryJSONValues(t *testing.T) {
	s := testSummary()
	data, err := json.Marshal(s)
	require.NoError(t, err)
	var got struct {
		Counts          map[string]int64 `json:"counts"`
		Rows            int64            `json:"rows"`
		DurationSeconds float64          `json:"duration_seconds"`
		RowsPerSecond   float64          `json:"rows_per_second"`
		Stopped         string           `json:"stopped"`
		Files           []string         `json:"files"`
	}
	require.NoError(t, json.Unmarshal(data, &got))
	assert.Equal(t, int64(1234567), got.Counts["sent"])
	assert.Equal(t, int64(0), got.Counts["valid"])
	assert.Equal(t, s.Rows, got.Rows)
	assert.InDelta(t, 83.457, got.DurationSeconds, 1e-9)
	assert.InDelta(t, s.RowsPerSecond(), got.RowsPerSecond, 0.001)
	assert.Equal(t, "max-errors", got.Stopped)
	assert.Equal(t, s.Files, got.Files)
}

func TestRowsPerSecond(t *testing.T) {
	tests := []struct {
		name string
		s    Summary
		want float64
	}{
		{name: "no duration", s: Summary{Rows: 10}, want: 0},
		{name: "negative duration", s: Summary{Rows: 10, Duration: -time.Second}, want: 0},
		{name: "two seconds", s: Summary{Rows: 10, Duration: 2 * time.Second}, want: 5},
		{name: "no rows", s: Summary{Duration: time.Second}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.want, tt.s.RowsPerSecond(), 1e-9)
		})
	}
}

func TestFormatting(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{name: "digits small", got: groupDigits(999), want: "999"},
		{name: "digits thousands", got: groupDigits(1234567), want: "1,234,567"},
		{name: "digits negative", got: groupDigits(-1234), want: "-1,234"},
		{name: "float", got: groupFloat(14793.456), want: "14,793.5"},
		{name: "bytes", got: humanBytes(512), want: "512 B"},
		{name: "kibibytes", got: humanBytes(1536), want: "1.5 KiB"},
		{name: "mebibytes", got: humanBytes(2411724), want: "2.3 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.got)
		})
	}
}
