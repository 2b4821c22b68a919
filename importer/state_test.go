package importer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/leadgen"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/sandbox"
	"github.com/xonvo/xonvo-import/state"
)

// nightly is a sandbox, a state file and a report path, for runs of the
// same scheduled job.
type nightly struct {
	t      *testing.T
	clock  *fakeClock
	srv    *sandbox.Server
	store  *state.Store
	report string
}

func newNightly(t *testing.T) *nightly {
	clock := newFakeClock()
	n := &nightly{t: t, clock: clock, srv: newSandbox(t, sandbox.Options{Now: clock.Now}),
		report: filepath.Join(t.TempDir(), "report.jsonl")}
	store, err := state.Open(context.Background(), filepath.Join(t.TempDir(), "job.state"), state.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = store.Close() })
	n.store = store
	return n
}

func (n *nightly) run(input string, changedOnly bool, edit func(*Options)) (reports.Summary, error) {
	opts := baseOptions(n.t, []string{input}, BulkLeads{Client: newTestClient(n.t, n.srv, n.clock)})
	opts.ReportPath, opts.BatchRows = n.report, 10
	opts.State, opts.ChangedOnly = n.store, changedOnly
	opts.MinRowsRatio, opts.MaxRemovedRatio = state.DefaultMinRowsRatio, state.DefaultMaxRemovedRatio
	if edit != nil {
		edit(&opts)
	}
	return Run(context.Background(), opts)
}

// export is a generated full export: lines[0] the header, then one line a
// lead, editable between runs.
type export struct {
	header string
	lines  []string
}

func newExport(t *testing.T, n int) *export {
	path := filepath.Join(t.TempDir(), "gen.csv")
	require.NoError(t, leadgen.WriteCSV(path, n, 11, 3))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return &export{header: lines[0], lines: lines[1:]}
}

// write saves the export as a new file (a new night's export).
func (e *export) write(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "export.csv")
	require.NoError(t, os.WriteFile(path, []byte(e.header+"\n"+strings.Join(e.lines, "\n")+"\n"), 0o600))
	return path
}

// externalID is the External ID of line i (the second column).
func (e *export) externalID(i int) string { return strings.Split(e.lines[i], ",")[1] }

func TestNightlySendsOnlyWhatChanged(t *testing.T) {
	const rows = 2000
	n := newNightly(t)
	ex := newExport(t, rows)
	sum, err := n.run(ex.write(t), true, nil)
	require.NoError(t, err)
	require.Equal(t, int64(rows), sum.Counts[reports.StatusSent], "the first run sends everything")
	sentFirst := len(n.srv.Requests())

	t.Run("the same export again is skipped: nothing sent", func(t *testing.T) {
		sum, err := n.run(ex.write(t), true, nil)
		require.NoError(t, err)
		assert.Len(t, sum.FilesSkipped, 1)
		assert.Len(t, n.srv.Requests(), sentFirst)
	})
	t.Run("read again, every lead is unchanged: nothing sent", func(t *testing.T) {
		sum, err := n.run(ex.write(t), true, func(o *Options) { o.Reprocess = true })
		require.NoError(t, err)
		assert.Equal(t, int64(rows), sum.Counts[reports.StatusUnchanged])
		assert.Zero(t, sum.Requests)
		assert.Len(t, n.srv.Requests(), sentFirst)
		assert.Zero(t, sum.Removed)
	})

	// 1% changed, 0.5% removed, 30 new.
	changed := map[string]bool{}
	for i := 0; i < rows; i += 100 {
		cells := strings.Split(ex.lines[i], ",")
		cells[2] = "Changed" + cells[2]
		ex.lines[i] = strings.Join(cells, ",")
		changed[ex.externalID(i)] = true
	}
	removed := map[string]bool{}
	var kept []string
	for i, l := range ex.lines {
		if i%200 == 50 {
			removed[ex.externalID(i)] = true
			continue
		}
		kept = append(kept, l)
	}
	ex.lines = kept
	added := newExport(t, 30)
	for i, l := range added.lines {
		cells := strings.Split(l, ",")
		cells[1] = fmt.Sprintf("NEW-%03d", i)
		ex.lines = append(ex.lines, strings.Join(cells, ","))
		changed[cells[1]] = true
	}
	require.Len(t, removed, 10)

	sum, err = n.run(ex.write(t), true, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(len(changed)), sum.Counts[reports.StatusSent], "exactly the changed and new leads are sent")
	assert.Equal(t, int64(rows-len(removed)-20), sum.Counts[reports.StatusUnchanged])
	for _, r := range readReport(t, n.report) {
		if r.Status == "sent" {
			assert.True(t, changed[r.ExternalID], "%s was sent but did not change", r.ExternalID)
		}
	}
	assert.Equal(t, int64(len(removed)), sum.Removed)
	listed := map[string]bool{}
	for l, err := range reports.RemovedLeads(context.Background(), sum.RemovedList) {
		require.NoError(t, err)
		listed[l.ExternalID] = true
		assert.False(t, l.LastSent.IsZero())
	}
	assert.Equal(t, removed, listed, "exactly the removed leads are listed")

	leads, err := n.store.Len()
	require.NoError(t, err)
	assert.Equal(t, int64(rows-len(removed)+30), leads, "the listed leads are forgotten, the new ones recorded")
}

func TestNightlyGuardRefusesATruncatedExport(t *testing.T) {
	tests := []struct {
		name     string
		keep     int
		force    bool
		wantSent int64
	}{
		{name: "a 10% export is refused", keep: 100},
		{name: "an empty export is refused", keep: 0},
		{name: "--force sends it anyway", keep: 100, force: true, wantSent: 100},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := newNightly(t)
			ex := newExport(t, 1000)
			_, err := n.run(ex.write(t), true, nil)
			require.NoError(t, err)
			before := len(n.srv.Requests())

			cut := &export{header: ex.header, lines: append([]string{}, ex.lines[:tc.keep]...)}
			for i := range cut.lines { // changed, so that --changed-only would send them
				cut.lines[i] = strings.Replace(cut.lines[i], ",", ",X", 2)
			}
			sum, err := n.run(cut.write(t), true, func(o *Options) { o.Force = tc.force })
			if tc.force {
				require.NoError(t, err)
				assert.Equal(t, tc.wantSent, sum.Counts[reports.StatusSent])
				return
			}
			require.ErrorIs(t, err, ErrGuard)
			assert.Equal(t, reports.StopGuard, sum.Stopped)
			assert.Contains(t, err.Error(), "guard")
			assert.Contains(t, err.Error(), "--force")
			assert.Len(t, n.srv.Requests(), before, "nothing is sent")
			leads, lerr := n.store.Len()
			require.NoError(t, lerr)
			assert.Equal(t, int64(1000), leads, "nothing is forgotten either")
		})
	}
}

func TestNightlySkipsAFileImportedBefore(t *testing.T) {
	n := newNightly(t)
	input := newExport(t, 50).write(t)
	_, err := n.run(input, true, nil)
	require.NoError(t, err)
	sum, err := n.run(input, true, nil)
	require.NoError(t, err)
	require.Len(t, sum.FilesSkipped, 1)
	assert.Equal(t, input, sum.FilesSkipped[0].File)
	assert.Contains(t, sum.FilesSkipped[0].Reason, "same content")
	assert.Zero(t, sum.Rows)

	sum, err = n.run(input, true, func(o *Options) { o.Reprocess = true })
	require.NoError(t, err)
	assert.Equal(t, int64(50), sum.Counts[reports.StatusUnchanged], "--reprocess reads it again")
}

func TestNightlyHeaderDrift(t *testing.T) {
	n := newNightly(t)
	ex := newExport(t, 40)
	_, err := n.run(ex.write(t), true, nil)
	require.NoError(t, err)
	ex.header = strings.Replace(ex.header, "Discount Code", "Coupon", 1)
	sum, err := n.run(ex.write(t), true, func(o *Options) {
		o.Mapping = testMapping(t)
		o.Mapping.Attributes = map[string]string{"CART": "Cart URL"}
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"Coupon"}, sum.ColumnsAdded)
	assert.Equal(t, []string{"Discount Code"}, sum.ColumnsRemoved)
}

func TestNightlyFindsDuplicatesAsWithoutState(t *testing.T) {
	ex := newExport(t, 40)
	// Line i is row i+2. Row 12 repeats row 2, row 22 repeats row 2 again,
	// row 32 repeats row 12 of another account (not a duplicate), and row
	// 41 repeats row 40.
	cells := func(i int) []string { return strings.Split(ex.lines[i], ",") }
	setID := func(i int, account, id string) {
		c := cells(i)
		c[0], c[1] = account, id
		ex.lines[i] = strings.Join(c, ",")
	}
	first := cells(0)
	setID(10, first[0], first[1])
	setID(20, first[0], first[1])
	other := "18"
	if first[0] == other {
		other = "19"
	}
	setID(30, other, first[1])
	last := cells(38)
	setID(39, last[0], last[1])
	input := ex.write(t)

	statuses := func(t *testing.T, withState bool) map[int]string {
		n := newNightly(t)
		_, err := n.run(input, true, func(o *Options) {
			if !withState {
				o.State, o.ChangedOnly = nil, false
			}
		})
		require.NoError(t, err)
		got := map[int]string{}
		for _, r := range readReport(t, n.report) {
			got[r.Row] = r.Status + " " + r.Message
		}
		return got
	}
	with, without := statuses(t, true), statuses(t, false)
	assert.Equal(t, without, with, "the two passes of --state find the duplicates a single pass finds")
	for row, want := range map[int]string{
		12: "duplicate duplicate of row 2 of " + input,
		22: "duplicate duplicate of row 2 of " + input,
		41: "duplicate duplicate of row 40 of " + input,
	} {
		assert.Equal(t, want, with[row], "row %d", row)
	}
	assert.True(t, strings.HasPrefix(with[2], "sent"), with[2])
	assert.True(t, strings.HasPrefix(with[32], "sent"), "same externalId in another account: %s", with[32])
}

func TestNightlyWhatMakesAnUnchangedExportSendAgain(t *testing.T) {
	const rows = 60
	tests := []struct {
		name     string
		edit     func(*testing.T, *Options)
		wantSent int64
	}{
		{"nothing: every lead is unchanged", nil, 0},
		{"--full-refresh sends every lead", func(_ *testing.T, o *Options) { o.FullRefresh = true }, rows},
		{"another mode changes every hash", func(_ *testing.T, o *Options) {
			o.Action = BulkLeads{Client: o.Action.(BulkLeads).Client, Mode: ModeUpdate}
		}, rows},
		{"another mapping changes the payloads", func(t *testing.T, o *Options) {
			o.Mapping = testMapping(t)
			o.Mapping.Attributes = map[string]string{"COUPON": "Discount Code"}
		}, rows},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := newNightly(t)
			ex := newExport(t, rows)
			_, err := n.run(ex.write(t), true, nil)
			require.NoError(t, err)
			before := len(n.srv.Requests())
			sum, err := n.run(ex.write(t), true, func(o *Options) {
				o.Reprocess = true
				if tc.edit != nil {
					tc.edit(t, o)
				}
			})
			require.NoError(t, err)
			assert.Equal(t, tc.wantSent, sum.Counts[reports.StatusSent])
			assert.Equal(t, rows-tc.wantSent, sum.Counts[reports.StatusUnchanged])
			if tc.wantSent == 0 {
				assert.Len(t, n.srv.Requests(), before, "nothing reached the server")
			}

			// What was sent is what the state now holds: the same run
			// again finds every lead unchanged.
			sum, err = n.run(ex.write(t), true, func(o *Options) {
				o.Reprocess = true
				if tc.edit != nil {
					tc.edit(t, o)
				}
				o.FullRefresh = false
			})
			require.NoError(t, err)
			assert.Equal(t, int64(rows), sum.Counts[reports.StatusUnchanged])
		})
	}
}
