package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/leadgen"
	"github.com/xonvo/xonvo-import/sandbox"
)

// genAccounts are the accounts leadgen spreads its rows over (18, 19, 20).
var genAccounts = []string{"18", "19", "20"}

// writeGenCSV writes the first n leads of a fixed leadgen seed to
// dir/name in the columns testdata/mapping.yaml maps. pick, when set, sees
// row i (0-based) before it is written: it may change it, and it says
// whether to keep it. The same n and seed give the same leads, so a picked
// subset is a night's export with some leads gone.
func writeGenCSV(t *testing.T, dir, name string, n int, pick func(i int, r *leadgen.Row) bool) string {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	require.NoError(t, w.Write(leadgen.Header()))
	g := leadgen.New(7, len(genAccounts))
	for i := range n {
		r := g.Next()
		if pick != nil && !pick(i, &r) {
			continue
		}
		require.NoError(t, w.Write(r.Cells()))
	}
	w.Flush()
	require.NoError(t, w.Error())
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o600))
	return path
}

// badPhone makes a generated row invalid: its phone is required.
func badPhone(r *leadgen.Row) { r.Phone = "call me" }

// statusCount counts a report's rows by status.
func statusCount(rows []map[string]string) map[string]int {
	n := map[string]int{}
	for _, r := range rows {
		n[r["status"]]++
	}
	return n
}

// readSummaryJSON reads a --summary-json file.
func readSummaryJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(mustRead(t, path)), &m))
	return m
}

// requireEveryRowOnce checks that a report holds rows 2..rows+1 exactly
// once each (the header is row 1).
func requireEveryRowOnce(t *testing.T, report []map[string]string, rows int) {
	t.Helper()
	require.Len(t, report, rows, "rows in = rows in the report")
	seen := map[string]bool{}
	for _, r := range report {
		require.False(t, seen[r["row"]], "row %s reported twice", r["row"])
		seen[r["row"]] = true
	}
	for i := 2; i <= rows+1; i++ {
		require.True(t, seen[fmt.Sprint(i)], "row %d missing from the report", i)
	}
}

// runCLIContext is runCLI under ctx, so that a run that would wait is cut
// off (and then exits 130) instead of hanging the test.
func runCLIContext(ctx context.Context, env map[string]string, args ...string) result {
	var out, errOut bytes.Buffer
	code := Main(ctx, Env{Args: args, Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] }, Version: "test",
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// TestMoveDoneMovesOnlyACompletedInput: --move-done moves the input of a
// run that reached its end (exit 0, or exit 3, whose rows a rerun would
// not fix and whose file --state already counts as imported), and leaves
// in place the input of a run that stopped early or was refused, and one
// whose target already exists.
func TestMoveDoneMovesOnlyACompletedInput(t *testing.T) {
	const rows = 60
	wrongPassword := filepath.Join(t.TempDir(), "wrong")
	require.NoError(t, os.WriteFile(wrongPassword, []byte("wrong-Pa55word\n"), 0o600))
	tests := []struct {
		name      string
		keep      func(i int, r *leadgen.Row) bool
		prior     int      // rows of an earlier completed run into the same --state
		extra     []string // flags after the target's (the last one given wins)
		occupied  bool     // a file of the same name already waits in the target directory
		wantCode  int
		wantMoved bool
		wantSays  string // in the summary or the error
	}{
		{name: "exit 0: moved", wantCode: ExitOK, wantMoved: true},
		{name: "exit 3, a row invalid: the run completed, moved",
			keep:     func(i int, r *leadgen.Row) bool { ifRow(i == 4, r, badPhone); return true },
			wantCode: ExitRowsNotSent, wantMoved: true},
		{name: "exit 4, stopped at --max-errors: stays",
			keep:     func(i int, r *leadgen.Row) bool { ifRow(i%10 == 3, r, badPhone); return true },
			extra:    []string{"--max-errors", "2"},
			wantCode: ExitMaxErrors, wantSays: "--max-errors"},
		{name: "exit 5, refused by the guard: stays",
			keep:  func(i int, _ *leadgen.Row) bool { return i < 6 },
			prior: rows, wantCode: ExitGuard, wantSays: "guard: the input looks truncated"},
		{name: "exit 1, credentials refused: stays",
			extra: []string{"--password-file", wrongPassword}, wantCode: ExitFailed, wantSays: "authentication failed"},
		{name: "the target exists: stays, and the run says so",
			occupied: true, wantCode: ExitFailed, wantSays: "--move-done"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := newTarget(t, sandbox.Options{Accounts: genAccounts})
			dir := t.TempDir()
			stateFile := filepath.Join(dir, "job.state")
			done := filepath.Join(dir, "done") // created by the move
			if tc.prior > 0 {
				earlier := writeGenCSV(t, t.TempDir(), "earlier.csv", tc.prior, nil)
				res := runCLI(t, nil, tg.with("import", earlier, "--mapping", "testdata/mapping.yaml",
					"--report", filepath.Join(dir, "earlier.report.csv"), "--state", stateFile)...)
				require.Equal(t, ExitOK, res.code, res.stderr)
			}
			input := writeGenCSV(t, t.TempDir(), "leads.csv", rows, tc.keep)
			content := mustRead(t, input)
			target := filepath.Join(done, "leads.csv")
			if tc.occupied {
				require.NoError(t, os.MkdirAll(done, 0o700))
				require.NoError(t, os.WriteFile(target, []byte("yesterday's export\n"), 0o600))
			}

			args := append(tg.with("import", input, "--mapping", "testdata/mapping.yaml", "--report", filepath.Join(dir, "r.csv"),
				"--state", stateFile, "--move-done", done), tc.extra...)
			res := runCLI(t, nil, args...)
			require.Equal(t, tc.wantCode, res.code, res.stderr)
			assert.Contains(t, res.stdout+res.stderr, tc.wantSays)
			assert.NotContains(t, res.stdout+res.stderr, cliPass)

			_, err := os.Stat(input)
			if tc.wantMoved {
				assert.True(t, os.IsNotExist(err), "the input is gone from where it was")
				assert.Equal(t, content, mustRead(t, target), "the input is in the target directory, unchanged")
				return
			}
			require.NoError(t, err, "the input stays where it was")
			assert.Equal(t, content, mustRead(t, input), "and is unchanged")
			if tc.occupied {
				assert.Equal(t, "yesterday's export\n", mustRead(t, target), "the file in the way is never overwritten")
				return
			}
			_, err = os.Stat(target)
			assert.True(t, os.IsNotExist(err), "nothing was put in the target directory")
		})
	}
}

// ifRow applies f to r when cond holds.
func ifRow(cond bool, r *leadgen.Row, f func(*leadgen.Row)) {
	if cond {
		f(r)
	}
}

// TestTruncatedExportGuardsThroughTheCLI: after a completed run of 400
// leads into --state, each guard refuses (exit 5) the export it protects
// against before a single request, and each flag moves it as documented.
func TestTruncatedExportGuardsThroughTheCLI(t *testing.T) {
	const rows = 400
	tenth := func(i int, _ *leadgen.Row) bool { return i%10 == 0 } // 40 rows: 10% of the last run, 90% removed
	most := func(i int, _ *leadgen.Row) bool { return i%20 != 0 }  // 380 rows: 5% removed
	none := func(int, *leadgen.Row) bool { return false }          // the header alone
	tests := []struct {
		name       string
		keep       func(i int, r *leadgen.Row) bool
		flags      []string
		wantCode   int
		wantErr    []string // in stderr
		wantNotErr []string
		wantSent   int
	}{
		{name: "a 10% export is refused", keep: tenth, wantCode: ExitGuard,
			wantErr: []string{"guard: the input looks truncated: 40 rows, last completed run 400 (below --min-rows-ratio 0.5)"}},
		{name: "--force sends the 10% export", keep: tenth, flags: []string{"--force"}, wantCode: ExitOK, wantSent: 40},
		{name: "--min-rows-ratio 0.05 passes the row count; --max-removed still refuses 90% removed",
			keep: tenth, flags: []string{"--min-rows-ratio", "0.05"}, wantCode: ExitGuard,
			wantErr:    []string{"guard: 360 of 400 leads in the state (90.0%) are absent from the input (above --max-removed 10%)"},
			wantNotErr: []string{"truncated"}},
		{name: "--min-rows-ratio 0.05 and --max-removed 1 let the 10% export through", keep: tenth,
			flags: []string{"--min-rows-ratio", "0.05", "--max-removed", "1"}, wantCode: ExitOK, wantSent: 40},
		{name: "5% removed is within the default --max-removed", keep: most, wantCode: ExitOK, wantSent: 380},
		{name: "--max-removed 0.02 refuses 5% removed", keep: most, flags: []string{"--max-removed", "0.02"}, wantCode: ExitGuard,
			wantErr:    []string{"guard: 20 of 400 leads in the state (5.0%) are absent from the input (above --max-removed 2%)"},
			wantNotErr: []string{"truncated"}},
		{name: "an empty export is refused", keep: none, wantCode: ExitGuard,
			wantErr: []string{"guard: the input has no data rows, and the state holds 400 leads"}},
		{name: "--force runs the empty export, sending nothing", keep: none, flags: []string{"--force"}, wantCode: ExitOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := newTarget(t, sandbox.Options{Accounts: genAccounts})
			dir := t.TempDir()
			stateFile := filepath.Join(dir, "job.state")
			night := func(input, report string, extra ...string) result {
				return runCLI(t, nil, tg.with(append([]string{"import", input, "--mapping", "testdata/mapping.yaml",
					"--report", report, "--state", stateFile, "--summary-json", filepath.Join(dir, "summary.json")}, extra...)...)...)
			}
			res := night(writeGenCSV(t, t.TempDir(), "export.csv", rows, nil), filepath.Join(dir, "night1.csv"))
			require.Equal(t, ExitOK, res.code, res.stderr)
			require.Len(t, tg.srv.Leads(), rows)

			before := len(tg.srv.Requests())
			report := filepath.Join(dir, "night2.csv")
			res = night(writeGenCSV(t, t.TempDir(), "export.csv", rows, tc.keep), report, tc.flags...)
			require.Equal(t, tc.wantCode, res.code, res.stderr)
			for _, s := range tc.wantErr {
				assert.Contains(t, res.stderr, s)
			}
			for _, s := range tc.wantNotErr {
				assert.NotContains(t, res.stderr, s)
			}
			assert.NotContains(t, res.stderr, "guard: guard", "the guard's word once")
			sum := readSummaryJSON(t, filepath.Join(dir, "summary.json"))
			if tc.wantCode == ExitGuard {
				assert.Len(t, tg.srv.Requests(), before, "a refused run sends nothing")
				assert.Equal(t, "guard", sum["stopped"])
				assert.EqualValues(t, ExitGuard, sum["exit_code"])
				_, err := os.Stat(report)
				assert.True(t, os.IsNotExist(err), "a refused run writes no report")
				assert.Len(t, tg.srv.Leads(), rows, "and acts on no lead")
				return
			}
			assert.Equal(t, "", sum["stopped"])
			got := readCSVReport(t, report)
			assert.Len(t, got, tc.wantSent)
			assert.Equal(t, tc.wantSent, statusCount(got)["sent"], "every row of the export is sent")
			if tc.wantSent > 0 {
				assert.Greater(t, len(tg.srv.Requests()), before, "the export was sent")
			} else {
				assert.Len(t, tg.srv.Requests(), before, "an empty export has nothing to send")
			}
		})
	}
}

// TestMaxErrorRateStopsWithExit4: --max-error-rate stops a run whose rows
// are mostly problems with exit 4, whether the rows are invalid (checked
// from row 1,000) or refused by the server (checked at the end of a
// shorter run); a share under the rate finishes with exit 3.
func TestMaxErrorRateStopsWithExit4(t *testing.T) {
	tests := []struct {
		name     string
		rows     int
		invalid  func(i int) bool // rows whose phone is not a phone
		rejected func(i int) bool // rows the server refuses
		rate     string
		wantCode int
		batch    string // --batch-size; "" keeps the default (100)
	}{
		{name: "80% invalid rows, stopped once past row 1,000", rows: 5000, invalid: func(i int) bool { return i%5 != 0 },
			rate: "0.5", wantCode: ExitMaxErrors, batch: "10"},
		{name: "two thirds refused by the server, checked at the end", rows: 300, rejected: func(i int) bool { return i%3 != 0 },
			rate: "0.5", wantCode: ExitMaxErrors, batch: "10"},
		{name: "a third refused by the server is under the rate: exit 3", rows: 300, rejected: func(i int) bool { return i%3 == 0 },
			rate: "0.5", wantCode: ExitRowsNotSent, batch: "10"},
		// The share is of the rows taken in, not of those finished: an
		// invalid row finishes at once, a valid one when its batch is
		// answered, and 20% invalid rows once read as over 50%.
		{name: "20% invalid rows under 50% while batches are out: exit 3", rows: 3000, invalid: func(i int) bool { return i%5 == 0 },
			rate: "0.5", wantCode: ExitRowsNotSent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var reject []string
			wantOnServer := map[string]bool{}
			input := writeGenCSV(t, t.TempDir(), "leads.csv", tc.rows, func(i int, r *leadgen.Row) bool {
				switch {
				case tc.invalid != nil && tc.invalid(i):
					badPhone(r)
				case tc.rejected != nil && tc.rejected(i):
					reject = append(reject, r.ExternalID)
				default:
					wantOnServer[r.ExternalID] = true
				}
				return true
			})
			tg := newTarget(t, sandbox.Options{Accounts: genAccounts, RejectExternalIDs: reject})
			report := tempPath(t, "r.csv")
			summary := tempPath(t, "summary.json")
			args := []string{"import", input, "--mapping", "testdata/mapping.yaml", "--report", report,
				"--summary-json", summary, "--max-error-rate", tc.rate}
			if tc.batch != "" {
				args = append(args, "--batch-size", tc.batch)
			}
			res := runCLI(t, nil, tg.with(args...)...)
			require.Equal(t, tc.wantCode, res.code, res.stderr)

			got := readCSVReport(t, report)
			requireEveryRowOnce(t, got, tc.rows)
			counts := statusCount(got)
			sum := readSummaryJSON(t, summary)
			held := map[string]bool{}
			for _, l := range tg.srv.Leads() {
				held[l.ExternalID] = true
			}
			for _, id := range reject {
				assert.False(t, held[id], "a refused lead is not on the server: %s", id)
			}
			if tc.wantCode != ExitMaxErrors {
				assert.Equal(t, "", sum["stopped"])
				assert.Equal(t, wantOnServer, held)
				assert.Equal(t, len(reject), counts["rejected"])
				return
			}
			assert.Equal(t, "max-error-rate", sum["stopped"])
			assert.Contains(t, res.stdout, "--max-error-rate")
			for _, r := range got {
				if r["status"] == "not_sent" {
					assert.Contains(t, r["message"], "--max-error-rate", "row %s", r["row"])
				}
			}
			if tc.rows > 1000 {
				// Stopped early: the rows after the stop were never sent.
				assert.Positive(t, counts["not_sent"], "%v", counts)
				assert.Less(t, counts["sent"], len(wantOnServer), "%v", counts)
			} else {
				// Checked at the end: every row had its outcome first.
				assert.Zero(t, counts["not_sent"], "%v", counts)
				assert.Equal(t, len(reject), counts["rejected"])
				assert.Equal(t, wantOnServer, held)
			}
		})
	}
}

// gateway is a loopback stand-in for a Pushgateway that fails.
type gateway struct {
	url    string
	mu     sync.Mutex
	pushes int
}

// startFailingGateway starts a gateway that answers every push 500 and
// echoes the Authorization header it got, as a careless proxy might; with
// refuse, nothing listens at its URL any more.
func startFailingGateway(t *testing.T, refuse bool) *gateway {
	gw := &gateway{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gw.mu.Lock()
		gw.pushes++
		gw.mu.Unlock()
		http.Error(w, "push refused; got "+r.Header.Get("Authorization"), http.StatusInternalServerError)
	}))
	gw.url = srv.URL
	if refuse {
		srv.Close()
	} else {
		t.Cleanup(srv.Close)
	}
	return gw
}

// TestPushgatewayFailureKeepsTheExitCode: a Pushgateway that refuses the
// connection or answers 500 is a warning on stderr, never a change of the
// run's exit code, and the warning carries no credential.
func TestPushgatewayFailureKeepsTheExitCode(t *testing.T) {
	const gwPassword = "gw-Pa55-failing-secret"
	basic := base64.StdEncoding.EncodeToString([]byte("pusher:" + gwPassword))
	tests := []struct {
		name     string
		refuse   bool
		file     string
		wantCode int
	}{
		{name: "connection refused, a good import stays exit 0", refuse: true, file: "testdata/leads.csv", wantCode: ExitOK},
		{name: "500, a good import stays exit 0", file: "testdata/leads.csv", wantCode: ExitOK},
		{name: "500, an import with invalid rows stays exit 3", file: "testdata/leads-with-errors.csv", wantCode: ExitRowsNotSent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gw := startFailingGateway(t, tc.refuse)
			pwFile := tempPath(t, "gw-password")
			require.NoError(t, os.WriteFile(pwFile, []byte(gwPassword+"\n"), 0o600))
			env := map[string]string{"XONVO_PUSHGATEWAY_USERNAME": "pusher", "XONVO_PUSHGATEWAY_PASSWORD_FILE": pwFile}
			tg := newTarget(t, sandbox.Options{})
			summary := tempPath(t, "summary.json")
			res := runCLI(t, env, tg.with("import", tc.file, "--mapping", "testdata/mapping.yaml", "--report", tempPath(t, "r.csv"),
				"--summary-json", summary, "--pushgateway", gw.url)...)
			assert.Equal(t, tc.wantCode, res.code, res.stderr)
			assert.EqualValues(t, tc.wantCode, readSummaryJSON(t, summary)["exit_code"])
			assert.Contains(t, res.stderr, "--pushgateway failed; the run's exit code is unchanged")
			if !tc.refuse {
				gw.mu.Lock()
				assert.Positive(t, gw.pushes, "the run did push")
				gw.mu.Unlock()
			}
			for _, secret := range []string{gwPassword, basic, cliPass} {
				assert.NotContains(t, res.stderr, secret)
				assert.NotContains(t, res.stdout, secret)
			}
		})
	}
}

// TestMaxRetryWaitStopsWithoutWaiting: a 429 whose Retry-After is beyond
// --max-retry-wait stops the run at once (exit 1, rerun later with
// --resume), every row not_sent. The test's context is the proof that it
// did not wait: a run that slept through the Retry-After would be cut off
// and exit 130.
func TestMaxRetryWaitStopsWithoutWaiting(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter string
		wantWait   string
	}{
		{name: "an hour", retryAfter: "3600", wantWait: "the server asked to wait 1h0m0s (more than --max-retry-wait 1s)"},
		{name: "a date in 9999", retryAfter: "Fri, 31 Dec 9999 23:59:59 GMT", wantWait: "(more than --max-retry-wait 1s)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var requests atomic.Int64
			api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				requests.Add(1)
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Retry-After", tc.retryAfter)
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = w.Write([]byte(`{"message":"Too Many Requests"}`))
			}))
			t.Cleanup(api.Close)
			pw := tempPath(t, "password")
			require.NoError(t, os.WriteFile(pw, []byte(cliPass+"\n"), 0o600))
			report := tempPath(t, "r.csv")
			summary := tempPath(t, "summary.json")

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			res := runCLIContext(ctx, nil, "import", "testdata/leads.csv", "--mapping", "testdata/mapping.yaml",
				"--report", report, "--summary-json", summary, "--url", api.URL, "--username", cliUser, "--password-file", pw,
				"--rate", "0", "--quiet", "--max-retry-wait", "1s")
			require.NoError(t, ctx.Err(), "the run waited for the Retry-After")
			require.Equal(t, ExitFailed, res.code, res.stderr)
			assert.Contains(t, res.stderr, tc.wantWait)
			assert.Contains(t, res.stderr, "rerun later with --resume")
			assert.NotContains(t, res.stderr, cliPass)
			assert.Equal(t, "retry-wait", readSummaryJSON(t, summary)["stopped"])

			got := readCSVReport(t, report)
			requireEveryRowOnce(t, got, 40)
			for _, r := range got {
				assert.Equal(t, "not_sent", r["status"], "row %s", r["row"])
				assert.Contains(t, r["message"], "--max-retry-wait", "row %s", r["row"])
				assert.Contains(t, []string{"0", "1"}, r["attempts"], "row %s: no retry", r["row"])
			}
			// testdata/leads.csv is two accounts, one batch each: no request
			// was retried.
			assert.LessOrEqual(t, requests.Load(), int64(2))
			assert.Positive(t, requests.Load())
		})
	}
}
