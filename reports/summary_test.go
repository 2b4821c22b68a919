package reports

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/golden"
	"github.com/xonvo/xonvo-import/internal/numfmt"
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
		{name: "failed before reading", summary: failedBeforeReading()},
		{name: "unknown status", summary: Summary{
			Counts: map[Status]int64{"mystery": 2, StatusSent: 1}, Rows: 3, Duration: time.Second,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, tt.summary.WriteText(&b))
			golden.Assert(t, "summary_"+strings.ReplaceAll(tt.name, " ", "_")+".txt", b.Bytes())
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
		{name: "failed before reading", summary: failedBeforeReading()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := json.Marshal(tt.summary)
			require.NoError(t, err)
			golden.Assert(t, "summary_"+strings.ReplaceAll(tt.name, " ", "_")+".json", data)

			assert.Equal(t, []string{"exit_code", "stopped", "stop_detail", "dry_run", "files", "inputs",
				"files_skipped", "columns_added", "columns_removed", "rows", "counts", "requests", "retries",
				"resends", "splits", "bytes", "duration_seconds", "rows_per_second", "removed", "removed_list",
				"removed_action", "removed_acted"}, objectKeys(t, data), "every key, in the documented order")
			var got map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(data, &got))
			var statuses []string
			for _, st := range Statuses() {
				statuses = append(statuses, string(st))
			}
			assert.Equal(t, statuses, objectKeys(t, got["counts"]), "every status, zero included, in Statuses order")
			for _, k := range []string{"files", "inputs", "files_skipped", "columns_added", "columns_removed"} {
				assert.True(t, bytes.HasPrefix(got[k], []byte("[")), "%s is an array, never null", k)
			}
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
		StopDetail      string           `json:"stop_detail"`
		ExitCode        int              `json:"exit_code"`
		Files           []string         `json:"files"`
		Inputs          []struct {
			File      string `json:"file"`
			Sheet     string `json:"sheet"`
			HeaderRow int    `json:"header_row"`
			Rows      int64  `json:"rows"`
		} `json:"inputs"`
		FilesSkipped []struct {
			File   string `json:"file"`
			Reason string `json:"reason"`
		} `json:"files_skipped"`
		ColumnsAdded   []string `json:"columns_added"`
		ColumnsRemoved []string `json:"columns_removed"`
		Removed        int64    `json:"removed"`
		RemovedList    string   `json:"removed_list"`
		RemovedAction  string   `json:"removed_action"`
		RemovedActed   int64    `json:"removed_acted"`
	}
	require.NoError(t, json.Unmarshal(data, &got))
	assert.Equal(t, int64(1234567), got.Counts["sent"])
	assert.Equal(t, int64(0), got.Counts["valid"])
	assert.Equal(t, s.Rows, got.Rows)
	assert.InDelta(t, 83.457, got.DurationSeconds, 1e-9)
	assert.InDelta(t, s.RowsPerSecond(), got.RowsPerSecond, 0.001)
	assert.Equal(t, "max-errors", got.Stopped)
	assert.Equal(t, s.StopDetail, got.StopDetail)
	assert.Equal(t, 4, got.ExitCode)
	assert.Equal(t, s.Files, got.Files)
	require.Len(t, got.Inputs, 2)
	assert.Equal(t, 1, got.Inputs[0].HeaderRow, "0 reads as 1")
	assert.Empty(t, got.Inputs[0].Sheet)
	assert.Equal(t, "Leads", got.Inputs[1].Sheet)
	assert.Equal(t, 3, got.Inputs[1].HeaderRow)
	assert.Equal(t, int64(34), got.Inputs[1].Rows)
	require.Len(t, got.FilesSkipped, 1)
	assert.Equal(t, "=old.csv", got.FilesSkipped[0].File, "raw: JSON runs nothing")
	assert.Equal(t, s.ColumnsAdded, got.ColumnsAdded)
	assert.Equal(t, s.ColumnsRemoved, got.ColumnsRemoved)
	assert.Equal(t, int64(42), got.Removed)
	assert.Equal(t, "out/r.csv.removed.csv", got.RemovedList)
	assert.Equal(t, "stop", got.RemovedAction)
	assert.Equal(t, int64(40), got.RemovedActed)
}

// failedBeforeReading is the summary of a run whose mapping did not load.
func failedBeforeReading() Summary {
	return Summary{
		Files:      []string{"leads.csv"},
		Stopped:    StopFatal,
		StopDetail: "mapping m.yaml: fields.phone: column \"Mobile\" not found (headers: Name, Phone)",
		ExitCode:   1,
	}
}

// objectKeys lists a JSON object's keys in document order.
func objectKeys(t *testing.T, data []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	return keys
}

func TestSummaryWriteJSONFile(t *testing.T) {
	tests := []struct {
		name    string
		summary Summary
	}{
		{name: "full", summary: testSummary()},
		{name: "failed before reading", summary: failedBeforeReading()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out", "summary.json")
			require.NoError(t, tt.summary.WriteJSONFile(path), "a missing directory is created")
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			assert.True(t, strings.HasSuffix(string(data), "}\n"))
			compact, err := json.Marshal(tt.summary)
			require.NoError(t, err)
			assert.JSONEq(t, string(compact), string(data))
			fi, err := os.Stat(path)
			require.NoError(t, err)
			assert.Equal(t, reportPerm, fi.Mode().Perm())
			assert.Equal(t, []string{"summary.json"}, dirEntries(t, filepath.Join(dir, "out")))
		})
	}
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
		{name: "digits small", got: numfmt.Group(999), want: "999"},
		{name: "digits thousands", got: numfmt.Group(1234567), want: "1,234,567"},
		{name: "digits negative", got: numfmt.Group(-1234), want: "-1,234"},
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
