package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/pushgatewaytest"
	"github.com/xonvo/xonvo-import/sandbox"
)

// TestPushgatewayGetsEveryRun runs imports against the sandbox and pushes
// to a real Prometheus Pushgateway: a success sets the last-success
// timestamp; a failed run after it keeps it while the other metrics move.
func TestPushgatewayGetsEveryRun(t *testing.T) {
	gw := pushgatewaytest.Start(t, pushgatewaytest.Options{Username: "pusher", Password: "gw-Pa55-secret"})
	pwFile := tempPath(t, "gw-password")
	require.NoError(t, os.WriteFile(pwFile, []byte("gw-Pa55-secret\n"), 0o600))
	env := map[string]string{"XONVO_PUSHGATEWAY_USERNAME": "pusher", "XONVO_PUSHGATEWAY_PASSWORD_FILE": pwFile}
	labels := map[string]string{"job": "xonvo_import", "pipeline": "crm-nightly"}
	tg := newTarget(t, sandbox.Options{})
	push := []string{"--pushgateway", gw.URL, "--metrics-label", "pipeline=crm-nightly"}

	res := runCLI(t, env, tg.with(append([]string{"import", "testdata/leads.csv", "--mapping", "testdata/mapping.yaml",
		"--report", tempPath(t, "ok.csv")}, push...)...)...)
	require.Equal(t, ExitOK, res.code, res.stderr)
	_, mfs := gw.Scrape(t)
	value := func(name string, extra map[string]string) float64 {
		t.Helper()
		l := map[string]string{}
		for k, v := range labels {
			l[k] = v
		}
		for k, v := range extra {
			l[k] = v
		}
		v, err := pushgatewaytest.Value(mfs, name, l)
		require.NoError(t, err, name)
		return v
	}
	assert.Equal(t, 40.0, value("xonvo_import_last_run_rows", map[string]string{"status": "sent"}))
	assert.Equal(t, 0.0, value("xonvo_import_last_run_exit_code", nil))
	assert.Equal(t, 2.0, value("xonvo_import_last_run_requests", map[string]string{"code": "200"}), "40 leads over 2 accounts, 2 bulk requests")
	assert.Positive(t, value("xonvo_import_last_run_bytes_read", nil))
	success := value("xonvo_import_last_success_timestamp_seconds", nil)
	assert.Equal(t, success, value("xonvo_import_last_run_timestamp_seconds", nil))

	// A run refused by the server: exit 1, the success stays.
	bad := tempPath(t, "wrong")
	require.NoError(t, os.WriteFile(bad, []byte("wrong-password"), 0o600))
	res = runCLI(t, env, append([]string{"import", "testdata/leads.csv", "--mapping", "testdata/mapping.yaml",
		"--report", tempPath(t, "bad.csv"), "--url", tg.srv.URL(), "--username", cliUser, "--password-file", bad, "--rate", "0", "--quiet"}, push...)...)
	require.Equal(t, ExitFailed, res.code, res.stderr)
	var scrape string
	scrape, mfs = gw.Scrape(t)
	t.Log("the gateway after a success, then a failed run:\n" + pushgatewaytest.Lines(scrape, "xonvo_import_"))
	assert.Equal(t, 1.0, value("xonvo_import_last_run_exit_code", nil))
	assert.Equal(t, 40.0, value("xonvo_import_last_run_rows", map[string]string{"status": "not_sent"}))
	assert.Equal(t, success, value("xonvo_import_last_success_timestamp_seconds", nil), "a failed run keeps the last success")
	assert.Greater(t, value("xonvo_import_last_run_timestamp_seconds", nil), success)
	assert.NotContains(t, res.stderr, "gw-Pa55-secret")
}

func TestMetricsAndSummaryAreWrittenEvenWhenTheRunFailsEarly(t *testing.T) {
	metricsFile := tempPath(t, "run.prom")
	summary := tempPath(t, "summary.json")
	res := runCLI(t, nil, "validate", "testdata/leads.csv", "--mapping", "testdata/nope.yaml", "--quiet",
		"--metrics-file", metricsFile, "--summary-json", summary, "--metrics-label", "pipeline=p")
	require.Equal(t, ExitFailed, res.code)
	b, err := os.ReadFile(metricsFile)
	require.NoError(t, err)
	assert.Contains(t, string(b), `xonvo_import_last_run_exit_code{pipeline="p"} 1`)
	assert.NotContains(t, string(b), "xonvo_import_last_success_timestamp_seconds{", "no success to report")
	var sum map[string]any
	b, err = os.ReadFile(summary)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &sum))
	assert.EqualValues(t, 0, sum["rows"])
}

// receiver is a local webhook that records what it got and answers with
// the statuses given, then 200.
type receiver struct {
	mu       sync.Mutex
	bodies   []map[string]any
	statuses []int
}

func (rc *receiver) start(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.bodies = append(rc.bodies, m)
		if len(rc.statuses) > 0 {
			st := rc.statuses[0]
			rc.statuses = rc.statuses[1:]
			w.WriteHeader(st)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/hooks/T000/B000/secret-path"
}

func TestNotifyWebhook(t *testing.T) {
	tests := []struct {
		name      string
		file      string
		on        string
		statuses  []int
		wantCode  int
		wantPosts int
		wantWarn  bool
	}{
		{name: "a clean run with the default --notify-on failure sends nothing", file: "testdata/leads.csv", wantCode: ExitOK},
		{name: "always sends on success", file: "testdata/leads.csv", on: "always", wantCode: ExitOK, wantPosts: 1},
		{name: "problems sends on exit 3", file: "testdata/leads-with-errors.csv", on: "problems", wantCode: ExitRowsNotSent, wantPosts: 1},
		{name: "failure does not send on exit 3", file: "testdata/leads-with-errors.csv", wantCode: ExitRowsNotSent},
		{name: "a receiver that fails is a warning, not an exit code", file: "testdata/leads.csv", on: "always",
			statuses: []int{500, 500, 500}, wantCode: ExitOK, wantPosts: 3, wantWarn: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rc := &receiver{statuses: tc.statuses}
			url := rc.start(t)
			args := []string{"validate", tc.file, "--mapping", "testdata/mapping.yaml", "--report", tempPath(t, "r.csv"), "--notify", url}
			if tc.on != "" {
				args = append(args, "--notify-on", tc.on)
			}
			res := runCLI(t, nil, args...)
			assert.Equal(t, tc.wantCode, res.code, res.stderr)
			require.Len(t, rc.bodies, tc.wantPosts)
			if tc.wantWarn {
				assert.Contains(t, res.stderr, "--notify failed")
				assert.NotContains(t, res.stderr, "secret-path", "the webhook URL is a secret")
			}
			if tc.wantPosts > 0 {
				body := rc.bodies[0]
				assert.Contains(t, body["text"], "xonvo-import")
				s, ok := body["summary"].(map[string]any)
				require.True(t, ok, "summary is an object for programs")
				assert.EqualValues(t, tc.wantCode, s["exit_code"])
				assert.Contains(t, s, "counts")
			}
		})
	}
}

func TestNotifyFailedRun(t *testing.T) {
	rc := &receiver{}
	url := rc.start(t)
	tg := newTarget(t, sandbox.Options{})
	bad := tempPath(t, "wrong")
	require.NoError(t, os.WriteFile(bad, []byte("wrong-Pa55word"), 0o600))
	res := runCLI(t, nil, "import", "testdata/leads.csv", "--mapping", "testdata/mapping.yaml", "--report", tempPath(t, "r.csv"),
		"--url", tg.srv.URL(), "--username", cliUser, "--password-file", bad, "--rate", "0", "--quiet", "--notify", url)
	require.Equal(t, ExitFailed, res.code)
	require.Len(t, rc.bodies, 1)
	b, err := json.Marshal(rc.bodies[0])
	require.NoError(t, err)
	assert.NotContains(t, string(b), "wrong-Pa55word")
	assert.Contains(t, rc.bodies[0]["text"], "FAILED (exit 1)")
	assert.Equal(t, "auth", rc.bodies[0]["summary"].(map[string]any)["stopped"])
	t.Logf("the webhook of a failed run: %s", b)
}
