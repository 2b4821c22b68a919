package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/leadgen"
	"github.com/xonvo/xonvo-import/sandbox"
)

// writeExport writes lines (a header first) as a new night's export.
func writeExport(t *testing.T, lines []string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.csv")
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600))
	return path
}

func TestNightlyOnRemovedStopAndGuard(t *testing.T) {
	tg := newTarget(t, sandbox.Options{Accounts: []string{"18", "19", "20"}})
	lines := generatedExport(t, 400, 5)
	dir := t.TempDir()
	stateFile := filepath.Join(dir, "job.state")
	report := filepath.Join(dir, "nightly.csv")
	nightly := func(input string, extra ...string) result {
		args := append([]string{"import", input, "--mapping", "testdata/mapping.yaml", "--report", report,
			"--state", stateFile, "--changed-only", "--summary-json", filepath.Join(dir, "summary.json")}, extra...)
		return runCLI(t, nil, tg.with(args...)...)
	}
	res := nightly(writeExport(t, lines))
	require.Equal(t, ExitOK, res.code, res.stderr)

	// Night two: 8 leads gone; they are stopped, and only they.
	var gone []string
	kept := []string{lines[0]}
	for i, l := range lines[1:] {
		if i%50 == 7 {
			gone = append(gone, strings.Split(l, ",")[1])
			continue
		}
		kept = append(kept, l)
	}
	res = nightly(writeExport(t, kept), "--on-removed", "stop")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "removed")
	stopped := map[string]bool{}
	for _, l := range tg.srv.Leads() {
		if l.Status == sandbox.LeadStopped {
			stopped[l.ExternalID] = true
		}
	}
	want := map[string]bool{}
	for _, g := range gone {
		want[g] = true
	}
	assert.Equal(t, want, stopped, "exactly the removed leads are stopped")
	acted := readCSVReport(t, report+".removed-stop.csv")
	assert.Len(t, acted, len(gone))
	removedList := readCSVReport(t, report+".removed.csv")
	assert.Len(t, removedList, len(gone))

	// Night three: a 10%-sized export is refused, exit 5, nothing sent.
	before := len(tg.srv.Requests())
	res = nightly(writeExport(t, kept[:40]))
	assert.Equal(t, ExitGuard, res.code, res.stderr)
	assert.Contains(t, res.stderr, "guard")
	assert.Len(t, tg.srv.Requests(), before, "nothing was sent")
	assert.Contains(t, mustRead(t, filepath.Join(dir, "summary.json")), `"stopped": "guard"`)
}

func TestStateFlagsNeedState(t *testing.T) {
	for _, flag := range [][]string{{"--changed-only"}, {"--full-refresh"}, {"--on-removed", "stop"}, {"--reprocess"}} {
		res := runCLI(t, nil, append([]string{"validate", "testdata/leads.csv", "--mapping", "testdata/mapping.yaml"}, flag...)...)
		assert.Equal(t, ExitUsage, res.code, "%v: %s", flag, res.stderr)
		assert.Contains(t, res.stderr, "need --state")
	}
}

func TestNightlyOnRemovedActsOnExactlyTheRemoved(t *testing.T) {
	tests := []struct {
		action, status string
	}{
		{"stop", sandbox.LeadStopped},
		{"unsubscribe", sandbox.LeadUnsubscribed},
	}
	for _, tc := range tests {
		t.Run(tc.action, func(t *testing.T) {
			tg := newTarget(t, sandbox.Options{Accounts: []string{"18", "19", "20"}})
			lines := generatedExport(t, 200, 9)
			dir := t.TempDir()
			report := filepath.Join(dir, "nightly.csv")
			nightly := func(input string, extra ...string) result {
				args := append([]string{"import", input, "--mapping", "testdata/mapping.yaml", "--report", report,
					"--state", filepath.Join(dir, "job.state"), "--changed-only"}, extra...)
				return runCLI(t, nil, tg.with(args...)...)
			}
			res := nightly(writeExport(t, lines))
			require.Equal(t, ExitOK, res.code, res.stderr)

			want := map[string]bool{}
			kept := []string{lines[0]}
			for i, l := range lines[1:] {
				if i%40 == 3 {
					want[strings.Split(l, ",")[1]] = true
					continue
				}
				kept = append(kept, l)
			}
			res = nightly(writeExport(t, kept), "--on-removed", tc.action)
			require.Equal(t, ExitOK, res.code, res.stderr)
			got := map[string]bool{}
			for _, l := range tg.srv.Leads() {
				if l.Status == tc.status {
					got[l.ExternalID] = true
				}
			}
			assert.Equal(t, want, got, "exactly the removed leads are %s", tc.status)
			acted := readCSVReport(t, report+".removed-"+tc.action+".csv")
			assert.Len(t, acted, len(want), "one report row per removed lead")

			// They are forgotten: the next night lists nothing removed.
			res = nightly(writeExport(t, kept), "--on-removed", tc.action, "--reprocess")
			require.Equal(t, ExitOK, res.code, res.stderr)
			assert.Empty(t, readCSVReport(t, report+".removed.csv"), "nothing is removed twice")
		})
	}
}

// generatedExport generates a nightly export of rows leads over 3 accounts and
// returns its lines, the header first.
func generatedExport(t *testing.T, rows int, seed uint64) []string {
	t.Helper()
	gen := filepath.Join(t.TempDir(), "gen.csv")
	require.NoError(t, leadgen.WriteCSV(gen, rows, seed, 3))
	return strings.Split(strings.TrimRight(mustRead(t, gen), "\n"), "\n")
}
