package importer

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/internal/leadgen"
	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/sandbox"
)

// fakeClock is shared by the sandbox (its rate-limit window) and the
// client's retry waits: a wait advances the clock instead of sleeping, so
// Retry-After and backoff are honoured without a test ever sleeping.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return nil
}

const (
	testUser = "importer"
	testPass = "s3cr3t-importer-pass"
)

// newSandbox starts an in-process sandbox with accounts 18..25.
func newSandbox(t *testing.T, opts sandbox.Options) *sandbox.Server {
	t.Helper()
	opts.Username, opts.Password = testUser, testPass
	if opts.Accounts == nil {
		opts.Accounts = []string{"18", "19", "20", "21", "22", "23", "24", "25"}
	}
	srv, err := sandbox.NewServer(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// newTestClient talks to srv with retries whose waits go through clock.
func newTestClient(t *testing.T, srv *sandbox.Server, clock *fakeClock, extra ...client.Option) *client.Client {
	t.Helper()
	opts := append([]client.Option{client.WithRetry(client.RetryPolicy{MaxRetries: 12, BaseDelay: time.Second,
		MaxDelay: 30 * time.Second, Sleep: clock.Sleep, Rand: func() float64 { return 0.5 }})}, extra...)
	c, err := srv.Client(opts...)
	require.NoError(t, err)
	return c
}

func testMapping(t testing.TB) *mapping.Config {
	t.Helper()
	cfg, err := mapping.Load(filepath.Join("testdata", "pipeline", "mapping.yaml"))
	require.NoError(t, err)
	return cfg
}

// genCSV writes n generated leads over the given accounts.
func genCSV(t *testing.T, n, accounts int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "leads.csv")
	require.NoError(t, leadgen.WriteCSV(path, n, 11, accounts))
	return path
}

// reportRow is one line of a JSONL report.
type reportRow struct {
	File       string            `json:"file"`
	Row        int               `json:"row"`
	Status     string            `json:"status"`
	Message    string            `json:"message"`
	AccountID  string            `json:"account_id"`
	ExternalID string            `json:"external_id"`
	Phone      string            `json:"phone"`
	HTTPStatus int               `json:"http_status"`
	Attempts   int               `json:"attempts"`
	Original   map[string]string `json:"original"`
}

func readReport(t *testing.T, path string) []reportRow {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var rows []reportRow
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r reportRow
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r), sc.Text())
		rows = append(rows, r)
	}
	require.NoError(t, sc.Err())
	return rows
}

// countStatuses counts report rows by status.
func countStatuses(rows []reportRow) map[string]int {
	out := map[string]int{}
	for _, r := range rows {
		out[r.Status]++
	}
	return out
}

// requireEveryRowOnce checks the report holds rows 2..n+1 of file, once each,
// in input order.
func requireEveryRowOnce(t *testing.T, rows []reportRow, n int) {
	t.Helper()
	require.Len(t, rows, n, "rows in = rows in the report")
	for i, r := range rows {
		require.Equal(t, i+2, r.Row, "report row %d out of order or missing", i)
	}
}

// heldExternalIDs returns the external ids the sandbox holds.
func heldExternalIDs(srv *sandbox.Server) map[string]int {
	out := map[string]int{}
	for _, l := range srv.Leads() {
		out[l.ExternalID]++
	}
	return out
}

// cancelAfter wraps an action and cancels the run's context once n requests
// have been sent, the deterministic stand-in for a Ctrl-C mid-run.
type cancelAfter struct {
	Action
	mu     sync.Mutex
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Send(ctx context.Context, items []*Item, body []byte) error {
	err := c.Action.Send(ctx, items, body)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n--
	if c.n == 0 {
		c.cancel()
	}
	return err
}

func baseOptions(t *testing.T, files []string, action Action) Options {
	t.Helper()
	return Options{Files: files, Mapping: testMapping(t), Action: action,
		ReportPath: filepath.Join(t.TempDir(), "report.jsonl"), Grace: time.Minute}
}

func statusCount(s reports.Summary, st reports.Status) int64 { return s.Counts[st] }

func extID(i int) string { return fmt.Sprintf("EXT-%08d", i) }

func benchMapping(b *testing.B) *mapping.Config { return testMapping(b) }
