package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/sandbox"
)

func readCSVReport(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			if _, dup := m[h]; !dup {
				m[h] = r[i]
			}
		}
		out = append(out, m)
	}
	return out
}

func TestUsageErrorsExit2(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{name: "unknown command", args: []string{"frobnicate"}},
		{name: "unknown flag", args: []string{"import", "x.csv", "--mapping", "m.yaml", "--no-such-flag"}},
		{name: "import without file", args: []string{"import", "--mapping", "m.yaml"}},
		{name: "import without mapping", args: []string{"import", "x.csv"}},
		{name: "bad mode", args: []string{"import", "x.csv", "--mapping", "m.yaml", "--mode", "upsert"}},
		{name: "payloads without dry run", args: []string{"import", "x.csv", "--mapping", "m.yaml", "--payloads", "p"}},
		{name: "leads stop with a phone only", args: []string{"leads", "stop", "--phone", "+1"}},
		{name: "accounts pause without id", args: []string{"accounts", "pause"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runCLI(t, nil, tc.args...)
			assert.Equal(t, ExitUsage, res.code, res.stderr)
			assert.NotEmpty(t, res.stderr)
		})
	}
}

func TestValidateExitCodes(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		mapping  string
		wantCode int
		wantErr  string
	}{
		{name: "all valid", file: "testdata/leads.csv", mapping: "testdata/mapping.yaml", wantCode: ExitOK},
		{name: "some invalid", file: "testdata/leads-with-errors.csv", mapping: "testdata/mapping.yaml", wantCode: ExitRowsNotSent},
		{name: "missing file", file: "testdata/nope.csv", mapping: "testdata/mapping.yaml", wantCode: ExitFailed, wantErr: "nope.csv"},
		{name: "mapping names a missing column", file: "testdata/agents.csv", mapping: "testdata/mapping.yaml", wantCode: ExitFailed, wantErr: "headers found"},
		{name: "missing mapping", file: "testdata/leads.csv", mapping: "testdata/nope.yaml", wantCode: ExitFailed, wantErr: "nope.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			report := tempPath(t, "report.csv")
			res := runCLI(t, nil, "validate", tc.file, "--mapping", tc.mapping, "--report", report, "--quiet")
			assert.Equal(t, tc.wantCode, res.code, res.stderr)
			assert.Contains(t, res.stderr, tc.wantErr)
		})
	}
}

func TestImportIntoSandboxAndReportCounts(t *testing.T) {
	tg := newTarget(t, sandbox.Options{})
	report := tempPath(t, "report.csv")
	summary := tempPath(t, "summary.json")
	res := runCLI(t, nil, tg.with("import", "testdata/leads-with-errors.csv", "--mapping", "testdata/mapping.yaml",
		"--report", report, "--summary-json", summary)...)
	assert.Equal(t, ExitRowsNotSent, res.code, res.stderr)
	assert.Contains(t, res.stdout, "report: "+report)

	rows := readCSVReport(t, report)
	require.Len(t, rows, 13, "rows in = rows in the report")
	sent := 0
	for _, r := range rows {
		if r["status"] == "sent" {
			sent++
		}
	}
	assert.Equal(t, len(tg.srv.Leads()), sent)
	info, err := os.Stat(report)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	var sum map[string]any
	b, err := os.ReadFile(summary)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &sum))
	assert.EqualValues(t, 13, sum["rows"])
}

func TestImportWithEmbeddedSandbox(t *testing.T) {
	report := tempPath(t, "report.xlsx")
	res := runCLI(t, nil, "import", "testdata/leads.csv", "--mapping", "testdata/mapping.yaml", "--sandbox", "--rate", "0",
		"--report", report, "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "sandbox holds 40 lead(s)")
}

func TestAuthFailureNamesTheSourceNotTheSecret(t *testing.T) {
	tg := newTarget(t, sandbox.Options{})
	pw := tempPath(t, "wrong")
	require.NoError(t, os.WriteFile(pw, []byte("wrong-Pa55word\n"), 0o600))
	report := tempPath(t, "report.csv")
	res := runCLI(t, map[string]string{"XONVO_URL": tg.srv.URL(), "XONVO_USERNAME": cliUser},
		"import", "testdata/leads.csv", "--mapping", "testdata/mapping.yaml", "--password-file", pw, "--report", report, "--rate", "0", "--quiet")
	assert.Equal(t, ExitFailed, res.code)
	assert.Contains(t, res.stderr, "authentication failed")
	assert.Contains(t, res.stderr, "XONVO_USERNAME")
	assert.Contains(t, res.stderr, "--password-file")
	assert.NotContains(t, res.stderr+res.stdout, "wrong-Pa55word")
	for _, r := range readCSVReport(t, report) {
		assert.Equal(t, "not_sent", r["status"])
	}
	b, err := os.ReadFile(report)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "wrong-Pa55word")
}

func TestMappingInitOutputValidates(t *testing.T) {
	res := runCLI(t, nil, "mapping", "init", "testdata/leads.csv")
	require.Equal(t, ExitOK, res.code, res.stderr)
	m := tempPath(t, "guessed.yaml")
	require.NoError(t, os.WriteFile(m, []byte(res.stdout), 0o600))
	res = runCLI(t, nil, "validate", "testdata/leads.csv", "--mapping", m, "--report", tempPath(t, "r.csv"), "--quiet")
	assert.Equal(t, ExitOK, res.code, res.stderr)
}

func TestAgentsImport(t *testing.T) {
	tg := newTarget(t, sandbox.Options{})
	report := tempPath(t, "agents.csv")
	res := runCLI(t, nil, tg.with("agents", "import", "testdata/agents.csv", "--mapping", "testdata/agents-mapping.yaml", "--report", report)...)
	assert.Equal(t, ExitRowsNotSent, res.code, res.stderr)
	rows := readCSVReport(t, report)
	require.Len(t, rows, 3)
	assert.Equal(t, "sent", rows[0]["status"])
	assert.Equal(t, "sent", rows[1]["status"])
	assert.Equal(t, "invalid", rows[2]["status"])
	phones := map[string]string{}
	for _, a := range tg.srv.Agents() {
		phones[a.ExternalID] = a.Phone
	}
	assert.Equal(t, map[string]string{"2": "+13444343233", "7": "+12065550199"}, phones)
}

func TestLeadsCommandsFromAnImportReport(t *testing.T) {
	tg := newTarget(t, sandbox.Options{})
	report := tempPath(t, "import.csv")
	res := runCLI(t, nil, tg.with("import", "testdata/leads.csv", "--mapping", "testdata/mapping.yaml", "--report", report)...)
	require.Equal(t, ExitOK, res.code, res.stderr)

	for _, op := range []string{"stop", "reset", "unsubscribe"} {
		t.Run(op, func(t *testing.T) {
			out := tempPath(t, op+".csv")
			res := runCLI(t, nil, tg.with("leads", op, report, "--report", out)...)
			require.Equal(t, ExitOK, res.code, res.stderr)
			rows := readCSVReport(t, out)
			require.Len(t, rows, 40)
			for _, r := range rows {
				assert.Equal(t, "sent", r["status"], r["message"])
			}
		})
	}
	for _, l := range tg.srv.Leads() {
		assert.Equal(t, sandbox.LeadUnsubscribed, l.Status)
	}

	t.Run("unknown lead is rejected and the run goes on", func(t *testing.T) {
		list := tempPath(t, "list.csv")
		require.NoError(t, os.WriteFile(list, []byte("account_id,external_id\n18,EXT-01002\n18,NOPE\n18,\n"), 0o600))
		out := tempPath(t, "out.csv")
		res := runCLI(t, nil, tg.with("leads", "stop", list, "--report", out)...)
		assert.Equal(t, ExitRowsNotSent, res.code, res.stderr)
		rows := readCSVReport(t, out)
		require.Len(t, rows, 3)
		assert.Equal(t, "sent", rows[0]["status"])
		assert.Equal(t, "rejected", rows[1]["status"])
		assert.Contains(t, rows[1]["message"], "not found")
		assert.Equal(t, "invalid", rows[2]["status"])
	})

	t.Run("one-off flags", func(t *testing.T) {
		res := runCLI(t, nil, tg.with("leads", "reset", "--account", "18", "--external-id", "EXT-01002")...)
		assert.Equal(t, ExitOK, res.code, res.stderr)
		res = runCLI(t, nil, tg.with("leads", "unsubscribe", "--phone", "+1 (206) 555-0100")...)
		assert.Equal(t, ExitOK, res.code, res.stderr)
		assert.Contains(t, res.stdout, "phone +12065550100", "the one-off phone is normalised like a column")
		res = runCLI(t, nil, tg.with("leads", "unsubscribe", "--phone", "call me")...)
		assert.Equal(t, ExitRowsNotSent, res.code)
		assert.Contains(t, res.stderr, "not a possible phone number")
		res = runCLI(t, nil, tg.with("leads", "stop", "--account", "18", "--external-id", "NOPE")...)
		assert.Equal(t, ExitRowsNotSent, res.code)
		assert.Contains(t, res.stderr, "lead not found")
	})
}

func TestAccountsCommands(t *testing.T) {
	tg := newTarget(t, sandbox.Options{})
	res := runCLI(t, nil, tg.with("accounts", "create", "--file", "testdata/account.yaml", "--json")...)
	require.Equal(t, ExitOK, res.code, res.stderr)
	var created struct{ ID int64 }
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &created))
	assert.Equal(t, int64(22), created.ID, "next id above the seeded 18 and 21")

	res = runCLI(t, nil, tg.with("accounts", "update", "22", "--name", "Renamed", "--attribute", "PLAN_ID=PL03", "--replace")...)
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Contains(t, res.stdout, "account 22 updated")

	for _, verb := range []string{"pause", "unpause", "inactivate"} {
		res = runCLI(t, nil, tg.with("accounts", verb, "22")...)
		assert.Equal(t, ExitOK, res.code, "%s: %s", verb, res.stderr)
	}
	var acc sandbox.StoredAccount
	for _, a := range tg.srv.Accounts() {
		if a.ID == "22" {
			acc = a
		}
	}
	assert.Equal(t, "Renamed", acc.Name)
	assert.Equal(t, sandbox.AccountInactive, acc.Status)

	res = runCLI(t, nil, tg.with("accounts", "pause", "999")...)
	assert.Equal(t, ExitFailed, res.code)
	assert.Contains(t, res.stderr, "999")

	res = runCLI(t, nil, tg.with("accounts", "create", "--email", "x@y.co")...)
	assert.Equal(t, ExitUsage, res.code, "an account needs a name")

	bad := tempPath(t, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("name: Acme\nareaCod: 434\n"), 0o600))
	res = runCLI(t, nil, tg.with("accounts", "create", "--file", bad)...)
	assert.Equal(t, ExitUsage, res.code)
	assert.Contains(t, res.stderr, "areaCod", "a misspelt field is named, not dropped")
}

func TestStatsCommands(t *testing.T) {
	tg := newTarget(t, sandbox.Options{})
	report := tempPath(t, "import.csv")
	res := runCLI(t, nil, tg.with("import", "testdata/leads.csv", "--mapping", "testdata/mapping.yaml", "--report", report)...)
	require.Equal(t, ExitOK, res.code, res.stderr)

	res = runCLI(t, nil, tg.with("stats", "account", "18", "--json")...)
	require.Equal(t, ExitOK, res.code, res.stderr)
	var st struct{ LeadCount int64 }
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &st))
	assert.Equal(t, int64(20), st.LeadCount)

	res = runCLI(t, nil, tg.with("stats", "account", "18", "--from", "2020-01-01", "--to", "2020-01-02T00:00:00-05:00")...)
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Regexp(t, `leads\s+0`, res.stdout)

	res = runCLI(t, nil, tg.with("stats", "account", "18", "--from", "yesterday")...)
	assert.Equal(t, ExitUsage, res.code)

	res = runCLI(t, nil, tg.with("stats", "account", "404")...)
	assert.Equal(t, ExitFailed, res.code)

	out := tempPath(t, "stats.csv")
	res = runCLI(t, nil, tg.with("stats", "leads", report, "--report", out)...)
	require.Equal(t, ExitOK, res.code, res.stderr)
	rows := readCSVReport(t, out)
	require.Len(t, rows, 40)
	assert.Equal(t, "0", rows[0]["delivered_count"])
	assert.Equal(t, "false", rows[0]["qualified"])
}

func TestSandboxCommandServes(t *testing.T) {
	// The command blocks until its context ends; Listen on port 0 proves the
	// wiring without a fixed port.
	res := runCLI(t, nil, "sandbox", "--listen", "256.0.0.1:1")
	assert.Equal(t, ExitFailed, res.code)
	assert.True(t, strings.Contains(res.stderr, "256.0.0.1"), res.stderr)
}

func TestEveryAPICommandStopsOnRefusedCredentials(t *testing.T) {
	tg := newTarget(t, sandbox.Options{})
	pw := tempPath(t, "wrong")
	require.NoError(t, os.WriteFile(pw, []byte("not-the-Pa55word"), 0o600))
	conn := []string{"--url", tg.srv.URL(), "--username", cliUser, "--password-file", pw, "--rate", "0", "--quiet"}
	list := tempPath(t, "list.csv")
	require.NoError(t, os.WriteFile(list, []byte("account_id,external_id,phone\n18,EXT-1,+12065550100\n"), 0o600))
	tests := []struct {
		name string
		args []string
	}{
		{name: "agents import", args: []string{"agents", "import", "testdata/agents.csv", "--mapping", "testdata/agents-mapping.yaml", "--report", tempPath(t, "a.csv")}},
		{name: "leads stop from a list", args: []string{"leads", "stop", list, "--report", tempPath(t, "s.csv")}},
		{name: "leads unsubscribe one-off", args: []string{"leads", "unsubscribe", "--phone", "+12065550100"}},
		{name: "accounts create", args: []string{"accounts", "create", "--name", "Acme"}},
		{name: "accounts pause", args: []string{"accounts", "pause", "18"}},
		{name: "stats account", args: []string{"stats", "account", "18"}},
		{name: "stats leads", args: []string{"stats", "leads", list, "--report", tempPath(t, "st.csv")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runCLI(t, nil, append(tc.args, conn...)...)
			assert.Equal(t, ExitFailed, res.code, res.stderr)
			assert.Contains(t, res.stderr, "authentication failed")
			assert.Contains(t, res.stderr, "--password-file")
			assert.NotContains(t, res.stdout+res.stderr, "not-the-Pa55word")
		})
	}
}

// TestReportsRoundTrip: a report (or its failed rows) imports again with the
// same mapping although the input's Phone collides with the report's own
// phone column, and import → leads stop → stats leads chains report to
// report.
func TestReportsRoundTrip(t *testing.T) {
	tg := newTarget(t, sandbox.Options{})
	first := tempPath(t, "import.csv")
	res := runCLI(t, nil, tg.with("import", "testdata/leads-with-errors.csv", "--mapping", "testdata/mapping.yaml", "--report", first)...)
	require.Equal(t, ExitRowsNotSent, res.code, res.stderr)
	rows := readCSVReport(t, first)
	header := strings.Split(strings.SplitN(mustRead(t, first), "\n", 2)[0], ",")
	seen := map[string]bool{}
	for _, h := range header {
		require.False(t, seen[strings.ToLower(h)], "the report repeats %q", h)
		seen[strings.ToLower(h)] = true
	}
	assert.Contains(t, header, "input.Phone", "the input's Phone is renamed, reversibly")

	for _, format := range []string{"csv", "xlsx"} {
		t.Run("the report validates again with the same mapping ("+format+")", func(t *testing.T) {
			report := first
			if format == "xlsx" {
				report = tempPath(t, "import.xlsx")
				res := runCLI(t, nil, "validate", "testdata/leads-with-errors.csv", "--mapping", "testdata/mapping.yaml", "--report", report, "--quiet")
				require.Equal(t, ExitRowsNotSent, res.code, res.stderr)
			}
			again := tempPath(t, "again.csv")
			res := runCLI(t, nil, "validate", report, "--mapping", "testdata/mapping.yaml", "--report", again, "--quiet")
			require.Equal(t, ExitRowsNotSent, res.code, res.stderr)
			second := readCSVReport(t, again)
			require.Len(t, second, len(rows))
			for i := range rows {
				want := rows[i]["status"]
				if want == "sent" {
					want = "valid"
				}
				assert.Equal(t, want, second[i]["status"], "row %d: %s", i+2, second[i]["message"])
				assert.Equal(t, rows[i]["phone"], second[i]["phone"], "row %d maps to the same phone", i+2)
			}
		})
	}

	stop := tempPath(t, "stop.csv")
	res = runCLI(t, nil, tg.with("leads", "stop", first, "--report", stop)...)
	require.Equal(t, ExitRowsNotSent, res.code, res.stderr)
	stats := tempPath(t, "stats.csv")
	res = runCLI(t, nil, tg.with("stats", "leads", stop, "--report", stats)...)
	require.Equal(t, ExitRowsNotSent, res.code, res.stderr)
	statRows := readCSVReport(t, stats)
	require.Len(t, statRows, len(rows))
	sent := 0
	for _, r := range statRows {
		if r["status"] == "sent" {
			sent++
			assert.Equal(t, "0", r["delivered_count"])
		}
	}
	assert.Equal(t, len(tg.srv.Leads()), sent, "every lead the import sent has its statistics, through two reports")
	assert.Contains(t, strings.SplitN(mustRead(t, stats), "\n", 2)[0], "input.input.phone", "a report of a report of a report")
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func TestLogFormatJSON(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
	}{
		{name: "a run with invalid rows", args: []string{"validate", "testdata/leads-with-errors.csv", "--mapping", "testdata/mapping.yaml"}, wantCode: ExitRowsNotSent},
		{name: "a fatal error before reading", args: []string{"validate", "testdata/leads.csv", "--mapping", "testdata/nope.yaml"}, wantCode: ExitFailed},
		{name: "a usage error", args: []string{"validate", "testdata/leads.csv", "--mapping", "testdata/mapping.yaml", "--delimiter", "ab"}, wantCode: ExitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runCLI(t, nil, append(tc.args, "--log-format", "json", "--report", tempPath(t, "r.csv"))...)
			assert.Equal(t, tc.wantCode, res.code, res.stderr)
			for _, line := range strings.Split(strings.TrimSpace(res.stderr), "\n") {
				if line == "" {
					continue
				}
				var m map[string]any
				require.NoError(t, json.Unmarshal([]byte(line), &m), "stderr line is not JSON: %s", line)
				assert.Contains(t, m, "msg")
			}
			if tc.wantCode == ExitUsage {
				return
			}
			var sum map[string]any
			require.NoError(t, json.Unmarshal([]byte(res.stdout), &sum), "stdout is one JSON object: %s", res.stdout)
			assert.EqualValues(t, tc.wantCode, sum["exit_code"])
		})
	}
}

func TestReportBOMAndStaleTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	report := filepath.Join(dir, "r.csv")
	stale := filepath.Join(dir, ".r.csv.tmp-0123456789abcdef")
	require.NoError(t, os.WriteFile(stale, []byte("personal data of a killed run"), 0o600))
	res := runCLI(t, nil, "validate", "testdata/leads.csv", "--mapping", "testdata/mapping.yaml", "--report", report, "--report-bom", "--quiet")
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.True(t, strings.HasPrefix(mustRead(t, report), "\ufefffile,row,status"), "a byte order mark, then the header")
	_, err := os.Stat(stale)
	assert.True(t, os.IsNotExist(err), "the killed run's temporary report is removed")
}
