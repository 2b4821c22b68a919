package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/leadgen"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/sandbox"
)

// writeWithBadPhones writes n generated leads, every badEvery-th with a
// phone that cannot be valid.
func writeWithBadPhones(t *testing.T, n, badEvery int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "leads.csv")
	var b strings.Builder
	b.WriteString(strings.Join(leadgen.Header(), ",") + "\n")
	g := leadgen.New(5, 2)
	phone := -1
	for i, h := range leadgen.Header() {
		if h == "Phone" {
			phone = i
		}
	}
	require.GreaterOrEqual(t, phone, 0)
	for i := range n {
		cells := g.Next().Cells()
		if badEvery > 0 && i%badEvery == 0 {
			cells[phone] = "call me"
		}
		for j, c := range cells {
			if strings.ContainsAny(c, ",\"\n") {
				cells[j] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
		}
		b.WriteString(strings.Join(cells, ",") + "\n")
	}
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o600))
	return path
}

func TestRunMaxErrorRate(t *testing.T) {
	tests := []struct {
		name      string
		rows      int
		badEvery  int
		rate      float64
		wantStop  bool
		wantValid int64 // rows valid in the report, -1: don't check
	}{
		{name: "10% bad over 5%: stops after the first 1,000 rows", rows: 3000, badEvery: 10, rate: 0.05, wantStop: true, wantValid: -1},
		{name: "10% bad under 20%: runs to the end", rows: 3000, badEvery: 10, rate: 0.2, wantValid: 2700},
		{name: "small file checked at the end", rows: 200, badEvery: 2, rate: 0.3, wantStop: true, wantValid: 100},
		{name: "small file under the rate", rows: 200, badEvery: 5, rate: 0.3, wantValid: 160},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := baseOptions(t, []string{writeWithBadPhones(t, tc.rows, tc.badEvery)}, BulkLeads{})
			opts.DryRun, opts.MaxErrorRate = true, tc.rate
			sum, err := Run(context.Background(), opts)
			require.NoError(t, err)
			rows := readReport(t, opts.ReportPath)
			requireEveryRowOnce(t, rows, tc.rows)
			if tc.wantStop {
				assert.Equal(t, reports.StopMaxErrorRate, sum.Stopped)
			} else {
				assert.Empty(t, sum.Stopped)
			}
			if tc.wantValid >= 0 {
				assert.Equal(t, tc.wantValid, sum.Counts[reports.StatusValid])
			}
			if tc.wantStop && tc.rows > minRowsForRate {
				counts := countStatuses(rows)
				assert.Positive(t, counts["not_sent"], "rows after the stop are not sent")
				assert.Less(t, counts["valid"]+counts["invalid"], tc.rows/2, "the run stopped soon after row 1,000")
				for _, r := range rows {
					if r.Status == "not_sent" {
						assert.Contains(t, r.Message, "--max-error-rate")
						break
					}
				}
			}
		})
	}
}

func TestRunStopsWhenTheServerKeepsFailing(t *testing.T) {
	clock := newFakeClock()
	srv := newSandbox(t, sandbox.Options{FailRate: 1, Seed: 1, Now: clock.Now})
	opts := baseOptions(t, []string{genCSV(t, 2000, 2)}, BulkLeads{Client: newTestClient(t, srv, clock)})
	opts.BatchRows, opts.Concurrency = 10, 4
	sum, err := Run(context.Background(), opts)
	require.ErrorIs(t, err, ErrServerFailing)
	assert.Equal(t, reports.StopServerFailing, sum.Stopped)
	assert.Regexp(t, `server failing: 50\d ×\d`, err.Error())
	assert.Contains(t, err.Error(), "rerun later with --resume")

	rows := readReport(t, opts.ReportPath)
	requireEveryRowOnce(t, rows, 2000)
	counts := countStatuses(rows)
	assert.Zero(t, counts["sent"])
	assert.Positive(t, counts["failed"])
	assert.Greater(t, counts["not_sent"], 1800, "the rest of the input is not sent")
	// Bounded by the batches that can be out at once, not by the input.
	maxRequests := int64((failingBatches + 2*opts.Concurrency) * 13)
	assert.LessOrEqual(t, sum.Requests, maxRequests)
}

func TestRunMaxErrorRateCountsRowsTheServerRejects(t *testing.T) {
	tests := []struct {
		name        string
		rejectEvery int
		wantStop    bool
	}{
		{"half rejected, over 30%", 2, true},
		{"a tenth rejected, under 30%", 10, false},
	}
	const rows = 300
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var reject []string
			for i := 1; i <= rows; i += tc.rejectEvery {
				reject = append(reject, extID(i))
			}
			clock := newFakeClock()
			srv := newSandbox(t, sandbox.Options{RejectExternalIDs: reject, Now: clock.Now})
			opts := baseOptions(t, []string{genCSV(t, rows, 2)}, BulkLeads{Client: newTestClient(t, srv, clock)})
			opts.BatchRows, opts.MaxErrorRate = 10, 0.3
			sum, err := Run(context.Background(), opts)
			require.NoError(t, err)
			requireEveryRowOnce(t, readReport(t, opts.ReportPath), rows)
			assert.Equal(t, int64(len(reject)), sum.Counts[reports.StatusRejected], "each rejected id is its own row")
			if tc.wantStop {
				assert.Equal(t, reports.StopMaxErrorRate, sum.Stopped)
			} else {
				assert.Empty(t, sum.Stopped)
				assert.Equal(t, int64(rows-len(reject)), sum.Counts[reports.StatusSent])
			}
		})
	}
}
