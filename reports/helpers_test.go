package reports

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fixture is testdata/results.json: original headers and one result per
// status, with unicode, embedded newlines, quotes, commas and formula cells.
type fixture struct {
	Original []string    `json:"original"`
	Rows     []RowResult `json:"rows"`
}

func loadFixture(t testing.TB) fixture {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "results.json"))
	require.NoError(t, err)
	var fx fixture
	require.NoError(t, json.Unmarshal(data, &fx))
	return fx
}

// paddedOriginal is r.Original aligned to n headers, as a report holds it.
func paddedOriginal(r RowResult, n int) []string {
	out := make([]string, n)
	copy(out, r.Original)
	return out
}

func testSummary() Summary {
	return Summary{
		Files: []string{"leads.csv", "more leads.xlsx"},
		Inputs: []InputInfo{
			{File: "leads.csv", Rows: 1234572},
			{File: "more leads.xlsx", Sheet: "Leads", HeaderRow: 3, Rows: 34},
		},
		FilesSkipped:   []SkippedFile{{File: "=old.csv", Reason: "imported by the run of 2025-03-03T05:06:07Z (same content)"}},
		ColumnsAdded:   []string{"Notes", "Zip 4"},
		ColumnsRemoved: []string{"Fax"},
		DryRun:         false,
		Counts: map[Status]int64{
			StatusSent: 1234567, StatusInvalid: 20, StatusDuplicate: 4, StatusRejected: 5,
			StatusFailed: 3, StatusNotSent: 2, StatusAlreadySent: 1, StatusUnchanged: 3, StatusSkipped: 1,
		},
		Rows: 1234606, Requests: 12400, Retries: 31, Resends: 2, Splits: 1,
		Bytes:         2411724,
		Duration:      83*time.Second + 456789*time.Microsecond,
		Removed:       42,
		RemovedList:   "out/r.csv.removed.csv",
		RemovedAction: RemovedStop,
		RemovedActed:  40,
		Stopped:       StopMaxErrors,
		StopDetail:    "too many rows failed: 5 of 5",
		ExitCode:      4,
	}
}

// writeReport writes every fixture row to a new report at path and finishes it.
func writeReport(t *testing.T, path string, fx fixture, s Summary) {
	t.Helper()
	w, err := Create(path, fx.Original)
	require.NoError(t, err)
	for _, r := range fx.Rows {
		require.NoError(t, w.Write(r))
	}
	require.NoError(t, w.Finish(s))
}

// dirEntries lists the names in dir.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
