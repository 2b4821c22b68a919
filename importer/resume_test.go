package importer

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/sandbox"
)

func TestActionKeys(t *testing.T) {
	tests := []struct {
		action Action
		want   string
	}{
		{BulkLeads{}, "leads.bulk.add"},
		{BulkLeads{Mode: ModeAdd}, "leads.bulk.add"},
		{BulkLeads{Mode: ModeUpdate}, "leads.bulk.update"},
		{SingleLeads{}, "leads.add"},
		{Agents{}, "agents.add"},
		{LeadOps{Op: OpStop}, "leads.stop"},
		{LeadOps{Op: OpReset}, "leads.reset"},
		{LeadOps{Op: OpUnsubscribe}, "leads.unsubscribe"},
		{LeadStats{}, "stats.leads"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.action.Key())
		})
	}
}

// TestResumeRefusesAnotherCommandsJournal: an import was interrupted, and
// `leads stop --resume` is then run with the same report. It used to report
// the import's rows already_sent and never stop those leads.
func TestResumeRefusesAnotherCommandsJournal(t *testing.T) {
	clock := newFakeClock()
	srv := newSandbox(t, sandbox.Options{Now: clock.Now})
	input := genCSV(t, 40, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := baseOptions(t, []string{input}, &cancelAfter{Action: BulkLeads{Client: newTestClient(t, srv, clock)}, n: 1, cancel: cancel})
	opts.BatchRows, opts.Concurrency = 10, 1
	_, err := Run(ctx, opts)
	require.NoError(t, err)

	tests := []struct {
		name   string
		action Action
	}{
		{name: "leads stop", action: LeadOps{Client: newTestClient(t, srv, clock), Op: OpStop}},
		{name: "import in update mode", action: BulkLeads{Client: newTestClient(t, srv, clock), Mode: ModeUpdate}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			again := opts
			again.Action, again.Resume = tc.action, true
			if tc.action.Kind() == mapping.KindKeys {
				cfg, err := mapping.KeysConfig([]string{"Account ID", "External ID"})
				require.NoError(t, err)
				again.Mapping = cfg
			}
			_, err := Run(context.Background(), again)
			require.ErrorIs(t, err, ErrJournalAction)
			assert.Contains(t, err.Error(), `"leads.bulk.add"`)
			assert.Contains(t, err.Error(), tc.action.Key())
			assert.Contains(t, err.Error(), "its own --report")
		})
	}
}

func TestResumeWithADamagedJournal(t *testing.T) {
	tests := []struct {
		name    string
		journal string
		wantErr error
	}{
		{name: "empty: a run killed as it started", journal: ""},
		{name: "torn header confirming nothing", journal: `{"journal":"xonvo-import-jour`},
		{name: "torn header but confirmed rows", journal: "{\"journal\":\"xon\n{\"f\":0,\"r\":[2,3]}\n", wantErr: ErrJournalDamaged},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			srv := newSandbox(t, sandbox.Options{Now: clock.Now})
			opts := baseOptions(t, []string{genCSV(t, 20, 1)}, BulkLeads{Client: newTestClient(t, srv, clock)})
			opts.Resume = true
			require.NoError(t, os.WriteFile(journalPath(opts.ReportPath), []byte(tc.journal), 0o600))
			sum, err := Run(context.Background(), opts)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				assert.Contains(t, err.Error(), "confirms 2 row(s)")
				assert.Contains(t, err.Error(), "run without --resume")
				assert.Empty(t, srv.Leads(), "nothing is sent")
				return
			}
			require.NoError(t, err, "a journal that confirms nothing starts a new run")
			assert.Equal(t, int64(20), sum.Counts["sent"])
		})
	}
}

func TestJournalIsPrivateAndFollowsNoLink(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(t *testing.T, journal string) (target string)
		resume  bool
		wantErr string
	}{
		{name: "new journal"},
		{name: "a link planted at the journal is replaced, its target untouched", prepare: func(t *testing.T, journal string) string {
			target := filepath.Join(t.TempDir(), "victim")
			require.NoError(t, os.WriteFile(target, []byte("keep"), 0o644))
			require.NoError(t, os.Symlink(target, journal))
			return target
		}},
		{name: "resume refuses to append through a link", resume: true, wantErr: "symbolic link", prepare: func(t *testing.T, journal string) string {
			// A real journal of this run moved away, a link in its place.
			target := filepath.Join(t.TempDir(), "victim")
			require.NoError(t, os.Rename(journal, target))
			require.NoError(t, os.Symlink(target, journal))
			return ""
		}},
		{name: "an old world-writable journal becomes private on resume", resume: true, prepare: func(t *testing.T, journal string) string {
			require.NoError(t, os.Chmod(journal, 0o666))
			return ""
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			srv := newSandbox(t, sandbox.Options{Now: clock.Now})
			opts := baseOptions(t, []string{genCSV(t, 5, 1)}, BulkLeads{Client: newTestClient(t, srv, clock)})
			journal := journalPath(opts.ReportPath)
			if tc.resume { // a first, completed run leaves its journal
				_, err := Run(context.Background(), opts)
				require.NoError(t, err)
				opts.Resume = true
			}
			var target string
			if tc.prepare != nil {
				target = tc.prepare(t, journal)
			}
			_, err := Run(context.Background(), opts)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			st, err := os.Lstat(journal)
			require.NoError(t, err)
			assert.True(t, st.Mode().IsRegular(), "the journal is a file of its own")
			assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
			if target != "" {
				b, err := os.ReadFile(target)
				require.NoError(t, err)
				assert.Equal(t, "keep", string(b))
			}
		})
	}
}

func TestPayloadsFileIsPrivateAndFollowsNoLink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "victim")
	require.NoError(t, os.WriteFile(target, []byte("keep"), 0o644))
	payloads := filepath.Join(dir, "payloads.jsonl")
	require.NoError(t, os.Symlink(target, payloads))
	opts := baseOptions(t, []string{genCSV(t, 20, 1)}, BulkLeads{})
	opts.DryRun, opts.PayloadsPath = true, payloads
	_, err := Run(context.Background(), opts)
	require.NoError(t, err)
	st, err := os.Lstat(payloads)
	require.NoError(t, err)
	assert.True(t, st.Mode().IsRegular(), "the planted link is replaced")
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	b, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, "keep", string(b), "the link's target is untouched")
}

// TestStoppedResumeStillReportsConfirmedRows: a resumed run that stops
// (SIGTERM, or here --max-errors, which stop reading the same way: rows read
// after the stop are not mapped) reports the rows its journal confirms
// already_sent, not not_sent, wherever they are in the file.
func TestStoppedResumeStillReportsConfirmedRows(t *testing.T) {
	srv := newSandbox(t, sandbox.Options{})
	input := writeWithBadPhones(t, 300, 1000) // row 2 has a bad phone
	b, err := os.ReadFile(input)
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	opts := baseOptions(t, []string{input}, BulkLeads{Client: newTestClient(t, srv, newFakeClock())})
	opts.Resume, opts.MaxErrors = true, 1
	// An interrupted run confirmed rows 250..259, late in the file.
	journal := fmt.Sprintf(`{"journal":"xonvo-import-journal/1","action":"leads.bulk.add","inputs":[{"path":%q,"size":%d,"sha256":"%x"}]}`+"\n"+
		`{"r":[250,251,252,253,254,255,256,257,258,259]}`+"\n", input, len(b), sum)
	require.NoError(t, os.WriteFile(journalPath(opts.ReportPath), []byte(journal), 0o600))

	res, err := Run(context.Background(), opts)
	require.NoError(t, err)
	assert.Equal(t, reports.StopMaxErrors, res.Stopped)
	rows := readReport(t, opts.ReportPath)
	requireEveryRowOnce(t, rows, 300)
	for _, r := range rows[248:258] {
		assert.Equal(t, "already_sent", r.Status, "row %d is confirmed by the journal", r.Row)
	}
	assert.Equal(t, 10, countStatuses(rows)["already_sent"])
}
