package importer

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/sandbox"
)

func TestRunSendsEveryValidRow(t *testing.T) {
	tests := []struct {
		name        string
		sandbox     sandbox.Options
		rows        int
		accounts    int
		batch       int
		concurrency int
		single      bool
		update      bool
		wantResends bool
	}{
		{name: "clean bulk", rows: 500, accounts: 3, batch: 50, concurrency: 4},
		{name: "many accounts small window", rows: 400, accounts: 8, batch: 7, concurrency: 3},
		{name: "update mode", rows: 120, accounts: 2, batch: 25, concurrency: 2, update: true},
		{name: "single lead api", rows: 60, accounts: 2, concurrency: 4, single: true},
		{name: "20% 5xx, 10% dropped, rate limited", rows: 600, accounts: 4, batch: 20, concurrency: 4,
			sandbox: sandbox.Options{FailRate: 0.2, DropRate: 0.1, RateLimit: 5, Seed: 7}, wantResends: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := newFakeClock()
			tc.sandbox.Now = clock.Now
			srv := newSandbox(t, tc.sandbox)
			c := newTestClient(t, srv, clock)
			var action Action = BulkLeads{Client: c, Mode: ModeAdd}
			if tc.update {
				action = BulkLeads{Client: c, Mode: ModeUpdate}
			}
			if tc.single {
				action = SingleLeads{Client: c}
			}
			opts := baseOptions(t, []string{genCSV(t, tc.rows, tc.accounts)}, action)
			opts.BatchRows, opts.Concurrency, opts.Window = tc.batch, tc.concurrency, 50
			if tc.single {
				opts.Mapping.Account = mapping.ValueSpec{} // POST /lead names no account
			}
			sum, err := Run(context.Background(), opts)
			require.NoError(t, err)
			assert.Empty(t, sum.Stopped, "exit 0: nothing stopped the run")

			rows := readReport(t, opts.ReportPath)
			requireEveryRowOnce(t, rows, tc.rows)
			held := heldExternalIDs(srv)
			assert.Len(t, held, tc.rows, "every valid row ends on the server")
			assert.Equal(t, int64(len(srv.Leads())), statusCount(sum, reports.StatusSent), "report's sent = what the sandbox holds")
			for _, r := range rows {
				require.Equal(t, "sent", r.Status, "row %d: %s", r.Row, r.Message)
				require.Equal(t, 1, held[r.ExternalID], "row %d on the server once", r.Row)
				require.Positive(t, r.Attempts)
			}
			if tc.wantResends {
				assert.Positive(t, sum.Retries)
				assert.Positive(t, sum.Resends, "dropped requests were resent")
			}
			if tc.single {
				assert.Equal(t, int64(tc.rows), sum.Requests)
			}
		})
	}
}

func TestRunIsolatesRejectedRows(t *testing.T) {
	clock := newFakeClock()
	rejected := []string{extID(5), extID(37), extID(38)}
	srv := newSandbox(t, sandbox.Options{RejectExternalIDs: rejected, Now: clock.Now})
	opts := baseOptions(t, []string{genCSV(t, 100, 1)}, BulkLeads{Client: newTestClient(t, srv, clock)})
	opts.BatchRows = 16
	sum, err := Run(context.Background(), opts)
	require.NoError(t, err)
	assert.Empty(t, sum.Stopped, "exit 3: the run ended, rows were rejected")

	rows := readReport(t, opts.ReportPath)
	requireEveryRowOnce(t, rows, 100)
	for _, r := range rows {
		if r.ExternalID == rejected[0] || r.ExternalID == rejected[1] || r.ExternalID == rejected[2] {
			assert.Equal(t, "rejected", r.Status, r.ExternalID)
			assert.Contains(t, r.Message, "rejected by the server")
			assert.Equal(t, 400, r.HTTPStatus)
			continue
		}
		assert.Equal(t, "sent", r.Status, "row %d", r.Row)
	}
	assert.Equal(t, int64(97), sum.Counts[reports.StatusSent])
	assert.Len(t, srv.Leads(), 97)
	assert.Positive(t, sum.Splits)
	assert.Greater(t, sum.Requests, int64(7), "the splits' extra requests are counted")
}

func TestRunStopsOnAuthFailure(t *testing.T) {
	srv := newSandbox(t, sandbox.Options{})
	c, err := client.New(srv.URL(), client.WithCredentials(testUser, "wrong-password"))
	require.NoError(t, err)
	opts := baseOptions(t, []string{genCSV(t, 50, 2)}, BulkLeads{Client: c})
	opts.BatchRows = 10
	sum, err := Run(context.Background(), opts)
	require.ErrorIs(t, err, ErrAuthFailed)
	require.ErrorIs(t, err, client.ErrAuth)
	assert.NotContains(t, err.Error(), "wrong-password")
	assert.Equal(t, reports.StopAuth, sum.Stopped)

	rows := readReport(t, opts.ReportPath)
	requireEveryRowOnce(t, rows, 50)
	for _, r := range rows {
		assert.Equal(t, "not_sent", r.Status)
		assert.Contains(t, r.Message, "authentication failed")
	}
	assert.LessOrEqual(t, sum.Requests, int64(opts.Concurrency+DefaultConcurrency), "stops at once, no retries on 401")
	assert.Empty(t, srv.Leads())
}

func TestRunServerUnreachable(t *testing.T) {
	srv := newSandbox(t, sandbox.Options{})
	url := srv.URL()
	require.NoError(t, srv.Close())
	c, err := client.New(url, client.WithCredentials(testUser, testPass))
	require.NoError(t, err)
	opts := baseOptions(t, []string{genCSV(t, 30, 1)}, BulkLeads{Client: c})
	sum, err := Run(context.Background(), opts)
	require.ErrorIs(t, err, ErrUnreachable)
	assert.Equal(t, reports.StopUnreachable, sum.Stopped)
	rows := readReport(t, opts.ReportPath)
	requireEveryRowOnce(t, rows, 30)
	assert.Zero(t, countStatuses(rows)["sent"])
}

func TestRunInterruptThenResume(t *testing.T) {
	clock := newFakeClock()
	srv := newSandbox(t, sandbox.Options{Now: clock.Now})
	input := genCSV(t, 300, 3)
	report := filepath.Join(t.TempDir(), "report.jsonl")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	action := &cancelAfter{Action: BulkLeads{Client: newTestClient(t, srv, clock)}, n: 3, cancel: cancel}
	opts := baseOptions(t, []string{input}, action)
	opts.ReportPath, opts.BatchRows, opts.Concurrency = report, 10, 1
	sum, err := Run(ctx, opts)
	require.NoError(t, err)
	assert.Equal(t, reports.StopInterrupted, sum.Stopped)
	first := readReport(t, report)
	requireEveryRowOnce(t, first, 300)
	counts := countStatuses(first)
	assert.Equal(t, 30, counts["sent"], "the three batches sent before the interrupt")
	assert.Equal(t, 270, counts["not_sent"])
	assert.Len(t, srv.Leads(), 30)

	// The same command with --resume sends the rest and nothing twice.
	opts = baseOptions(t, []string{input}, BulkLeads{Client: newTestClient(t, srv, clock)})
	opts.ReportPath, opts.BatchRows, opts.Resume = report, 10, true
	sum, err = Run(context.Background(), opts)
	require.NoError(t, err)
	assert.Empty(t, sum.Stopped, "exit 0: nothing stopped the run")
	second := readReport(t, report)
	requireEveryRowOnce(t, second, 300)
	counts = countStatuses(second)
	assert.Equal(t, 30, counts["already_sent"])
	assert.Equal(t, 270, counts["sent"])
	held := heldExternalIDs(srv)
	assert.Len(t, held, 300)
	for _, l := range srv.Leads() {
		assert.Equal(t, 1, l.ReceivedCount, "%s sent once", l.ExternalID)
	}

	// After a completed run, --resume with a changed input starts a new
	// run (a scheduled command can keep --resume); the refusal after an
	// unfinished run is TestRunResumeRefusesChangedInputAfterInterrupt.
	f, err := os.OpenFile(input, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("18,EXT-99999999,New,Row,+12065550100,n@example.com,1 Main St,Seattle,WA,98121,01-02-2024 10:00:00,10.0.0.1,X,,u,d\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	opts.Resume = true
	sum, err = Run(context.Background(), opts)
	require.NoError(t, err)
	assert.Equal(t, int64(301), sum.Counts[reports.StatusSent], "a new run sends every row again")
	assert.Zero(t, sum.Counts[reports.StatusAlreadySent])
}

func TestRunResumeRefusesChangedInputAfterInterrupt(t *testing.T) {
	clock := newFakeClock()
	srv := newSandbox(t, sandbox.Options{Now: clock.Now})
	input := genCSV(t, 100, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := baseOptions(t, []string{input}, &cancelAfter{Action: BulkLeads{Client: newTestClient(t, srv, clock)}, n: 1, cancel: cancel})
	opts.BatchRows, opts.Concurrency = 10, 1
	_, err := Run(ctx, opts)
	require.NoError(t, err)

	f, err := os.OpenFile(input, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("18,EXT-99999999,New,Row,+12065550100,n@example.com,1 Main St,Seattle,WA,98121,01-02-2024 10:00:00,10.0.0.1,X,,u,d\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	opts.Action, opts.Resume = BulkLeads{Client: newTestClient(t, srv, clock)}, true
	_, err = Run(context.Background(), opts)
	require.ErrorIs(t, err, ErrInputChanged)
	assert.Contains(t, err.Error(), "run without --resume")
}

func TestRunMaxErrors(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "bad.csv")
	lines := []string{"Account ID,External ID,First Name,Last Name,Phone,Email,Street,City,State,Zip,Lead Date,IP Address,Jornaya ID,TrustedForm ID,Cart URL,Discount Code"}
	for i := range 20 {
		phone := "+12065550100"
		if i%2 == 1 {
			phone = "not a phone"
		}
		lines = append(lines, "18,E"+string(rune('A'+i))+",Ann,Lee,"+phone+",,,Seattle,WA,98121,01-02-2024 10:00:00,,J1,,,")
	}
	require.NoError(t, os.WriteFile(input, []byte(strings.Join(lines, "\n")+"\n"), 0o600))
	srv := newSandbox(t, sandbox.Options{})
	opts := baseOptions(t, []string{input}, BulkLeads{Client: newTestClient(t, srv, newFakeClock())})
	opts.MaxErrors = 3
	sum, err := Run(context.Background(), opts)
	require.NoError(t, err)
	assert.Equal(t, reports.StopMaxErrors, sum.Stopped)
	rows := readReport(t, opts.ReportPath)
	requireEveryRowOnce(t, rows, 20)
	counts := countStatuses(rows)
	assert.Equal(t, 3, counts["invalid"])
	// The valid rows still waiting in the open batch are not sent either:
	// the run stops sending once the limit is reached.
	assert.Equal(t, 17, counts["not_sent"])
	assert.Zero(t, counts["sent"])
	assert.Contains(t, rows[19].Message, "--max-errors 3")
}

func TestRunDryRunPayloads(t *testing.T) {
	input := genCSV(t, 230, 3)
	opts := baseOptions(t, []string{input}, BulkLeads{})
	opts.DryRun, opts.BatchRows = true, 40
	// Directories that do not exist yet are created.
	opts.PayloadsPath = filepath.Join(t.TempDir(), "new", "payloads.jsonl")
	opts.ReportPath = filepath.Join(t.TempDir(), "out", "deeper", "report.jsonl")
	sum, err := Run(context.Background(), opts)
	require.NoError(t, err)
	assert.Empty(t, sum.Stopped, "exit 0: nothing stopped the run")
	assert.Equal(t, int64(230), sum.Counts[reports.StatusValid])
	assert.Zero(t, sum.Requests)

	f, err := os.Open(opts.PayloadsPath)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	leads := map[string]map[string]string{} // externalId -> attributes sent
	for sc.Scan() {
		var body client.BulkLeads
		require.NoError(t, json.Unmarshal(sc.Bytes(), &body))
		require.Len(t, body.LeadsByAccountID, 1, "one account per request")
		for acc, ls := range body.LeadsByAccountID {
			require.NotEmpty(t, acc)
			require.LessOrEqual(t, len(ls), 40)
			for _, l := range ls {
				require.Regexp(t, `^\+1\d{10}$`, l.Phone)
				require.Regexp(t, `^\d\d-\d\d-\d{4} \d\d:\d\d:\d\d$`, l.Timestamp)
				leads[l.ExternalID] = l.Attributes
			}
		}
	}
	require.NoError(t, sc.Err())
	assert.Len(t, leads, 230)
	// The attributes come from the mapping's ordered values (the mapper
	// keeps no map for bulk leads): each row's own.
	withAttrs := 0
	for _, r := range readReport(t, opts.ReportPath) {
		want := map[string]string{}
		if v := r.Original["Cart URL"]; v != "" {
			want["ABANDONED_CART_URL"] = v
		}
		if v := r.Original["Discount Code"]; v != "" {
			want["DISCOUNT_CODE"] = v
		}
		got := leads[r.ExternalID]
		if got == nil {
			got = map[string]string{}
		}
		assert.Equal(t, want, got, "row %d", r.Row)
		withAttrs += len(got)
	}
	assert.Positive(t, withAttrs, "some rows have attributes")
}

func TestRunSingleRefusesAMappedAccount(t *testing.T) {
	srv := newSandbox(t, sandbox.Options{})
	opts := baseOptions(t, []string{genCSV(t, 5, 1)}, SingleLeads{Client: newTestClient(t, srv, newFakeClock())})
	_, err := Run(context.Background(), opts)
	require.ErrorIs(t, err, ErrSingleWithAccount)
	assert.Contains(t, err.Error(), "--api bulk")
	assert.Empty(t, srv.Requests())
}

func TestRunFailsBeforeReadingOnBadMapping(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "short.csv")
	require.NoError(t, os.WriteFile(input, []byte("Account ID,First Name\n18,Ann\n"), 0o600))
	opts := baseOptions(t, []string{input}, BulkLeads{})
	opts.DryRun = true
	sum, err := Run(context.Background(), opts)
	require.Error(t, err)
	assert.Zero(t, sum.Rows, "no row was read")
	assert.Contains(t, err.Error(), "Last Name")
	_, statErr := os.Stat(opts.ReportPath)
	assert.True(t, errors.Is(statErr, os.ErrNotExist), "no report for a run that never started")
}

func TestRunSeveralFilesWithDifferentColumns(t *testing.T) {
	a := genCSV(t, 5, 1)
	dir := t.TempDir()
	b := filepath.Join(dir, "more.csv")
	// Same mapped columns in another order, plus one column the first file lacks.
	require.NoError(t, os.WriteFile(b, []byte("Extra,External ID,Account ID,First Name,Last Name,Phone,Email,Street,City,State,Zip,Lead Date,IP Address,Jornaya ID,TrustedForm ID,Cart URL,Discount Code\n"+
		"x1,B-1,18,Bo,Li,+12065550111,,,Seattle,WA,98121,01-02-2024 10:00:00,,J1,,,\n"), 0o600))
	opts := baseOptions(t, []string{a, b}, BulkLeads{})
	opts.DryRun = true
	sum, err := Run(context.Background(), opts)
	require.NoError(t, err)
	assert.Equal(t, int64(6), sum.Rows)
	rows := readReport(t, opts.ReportPath)
	require.Len(t, rows, 6)
	last := rows[5]
	assert.Equal(t, b, last.File)
	assert.Equal(t, "x1", last.Original["Extra"])
	assert.Equal(t, "B-1", last.Original["External ID"])
	assert.Equal(t, "", rows[0].Original["Extra"])
}
