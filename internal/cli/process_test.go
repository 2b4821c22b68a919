package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/leadgen"
	"github.com/xonvo/xonvo-import/sandbox"
	"github.com/xonvo/xonvo-import/state"
)

// builtBinary is the binary the signal and crash tests run, built once per
// test binary run (by the first test that needs it) into a directory
// TestMain removes.
var builtBinary = struct {
	once sync.Once
	dir  string
	path string
	err  error
}{}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtBinary.dir != "" {
		_ = os.RemoveAll(builtBinary.dir)
	}
	os.Exit(code)
}

// buildBinary returns the path of xonvo-import built from this tree.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	b := &builtBinary
	b.once.Do(func() {
		if b.dir, b.err = os.MkdirTemp("", "xonvo-import-bin-"); b.err != nil {
			return
		}
		b.path = filepath.Join(b.dir, "xonvo-import")
		cmd := exec.Command("go", "build", "-o", b.path, ".")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	require.NoError(t, b.err)
	return b.path
}

// journalLines counts the lines of the journal at path (0 if absent).
func journalLines(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "\n")
}

// waitForJournal polls until the journal confirms at least n batches or the
// process exits. It waits on a condition, not on time: the test's outcome
// does not depend on how fast the machine is.
func waitForJournal(t *testing.T, path string, n int, exited <-chan struct{}) {
	t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for journalLines(path) < n+1 {
		select {
		case <-exited:
			t.Fatalf("the import ended before confirming %d batches", n)
		case <-tick.C:
		}
	}
}

type procFixture struct {
	bin, input, report string
	tg                 apiTarget
}

func newProcFixture(t *testing.T, rows int) procFixture {
	t.Helper()
	bin := buildBinary(t)
	tg := newTarget(t, sandbox.Options{Accounts: []string{"18", "19", "20"}})
	dir := t.TempDir()
	input := filepath.Join(dir, "leads.csv")
	require.NoError(t, leadgen.WriteCSV(input, rows, 5, 3))
	return procFixture{bin: bin, input: input, report: filepath.Join(dir, "report.csv"), tg: tg}
}

// start runs the import as a separate process, slowed by the rate limit so
// that it is still running when the test stops it.
func (f procFixture) start(t *testing.T, extra ...string) (*exec.Cmd, chan struct{}) {
	t.Helper()
	args := append([]string{"import", f.input, "--mapping", "testdata/mapping.yaml", "--report", f.report,
		"--batch-size", "5", "--concurrency", "2"}, f.tg.args...)
	args = append(args, extra...)
	args = append(args, "--rate", "40") // flags win in order: this overrides the target's --rate 0
	cmd := exec.Command(f.bin, args...)
	require.NoError(t, cmd.Start())
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	return cmd, exited
}

func (f procFixture) resume(t *testing.T) {
	t.Helper()
	out, err := exec.Command(f.bin, f.tg.with("import", f.input, "--mapping", "testdata/mapping.yaml",
		"--report", f.report, "--batch-size", "5", "--resume")...).CombinedOutput()
	require.NoError(t, err, string(out))
}

// requireAllSentOnce checks the final report and the server after a resume.
func (f procFixture) requireAllSentOnce(t *testing.T, rows int) {
	t.Helper()
	report := readCSVReport(t, f.report)
	require.Len(t, report, rows)
	seen := map[string]bool{}
	counts := map[string]int{}
	for _, r := range report {
		require.False(t, seen[r["row"]], "row %s reported twice", r["row"])
		seen[r["row"]] = true
		counts[r["status"]]++
	}
	assert.Equal(t, rows, counts["sent"]+counts["already_sent"], "%v", counts)
	assert.Positive(t, counts["already_sent"])
	held := map[string]bool{}
	for _, l := range f.tg.srv.Leads() {
		held[l.ExternalID] = true
	}
	assert.Len(t, held, rows, "every valid row is on the server")
}

func TestKillNineThenResume(t *testing.T) {
	const rows = 1000
	f := newProcFixture(t, rows)
	cmd, exited := f.start(t)
	waitForJournal(t, f.report+".journal", 3, exited)
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	<-exited
	_, err := os.Stat(f.report)
	assert.True(t, os.IsNotExist(err), "a killed run leaves no half-written report")

	f.resume(t)
	f.requireAllSentOnce(t, rows)
}

func TestInterruptWritesReportThenResume(t *testing.T) {
	const rows = 1000
	f := newProcFixture(t, rows)
	cmd, exited := f.start(t)
	waitForJournal(t, f.report+".journal", 3, exited)
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	<-exited
	assert.Equal(t, ExitInterrupted, cmd.ProcessState.ExitCode())

	report := readCSVReport(t, f.report)
	require.Len(t, report, rows, "every row is in the interrupted run's report")
	counts := map[string]int{}
	for _, r := range report {
		counts[r["status"]]++
	}
	assert.Positive(t, counts["sent"])
	assert.Positive(t, counts["not_sent"])
	assert.Equal(t, rows, counts["sent"]+counts["not_sent"])
	assert.LessOrEqual(t, counts["sent"], len(f.tg.srv.Leads()))

	f.resume(t)
	f.requireAllSentOnce(t, rows)
}

func TestSandboxCommandPrintsListening(t *testing.T) {
	bin := buildBinary(t)
	cmd := exec.Command(bin, "sandbox", "--listen", "127.0.0.1:0", "--username", "U", "--password", "P", "--accounts", "18,21")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(line, "listening on http://127.0.0.1:"), line)
	url := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))

	pw := tempPath(t, "pw")
	require.NoError(t, os.WriteFile(pw, []byte("P"), 0o600))
	res := runCLI(t, nil, "stats", "account", "21", "--url", url, "--username", "U", "--password-file", pw, "--json")
	assert.Equal(t, ExitOK, res.code, res.stderr)
}

// TestSecondRunOnTheSameReportIsRefused: two runs on one report both sent
// every lead; now the second exits 1 at once, naming the holder, and sends
// nothing.
func TestSecondRunOnTheSameReportIsRefused(t *testing.T) {
	const rows = 1000
	f := newProcFixture(t, rows)
	cmd, exited := f.start(t)
	waitForJournal(t, f.report+".journal", 1, exited)

	start := time.Now()
	res := runCLI(t, nil, f.tg.with("import", f.input, "--mapping", "testdata/mapping.yaml", "--report", f.report)...)
	assert.Equal(t, ExitFailed, res.code, res.stderr)
	assert.Less(t, time.Since(start), 5*time.Second, "refused at once, not after waiting")
	assert.Contains(t, res.stderr, "another xonvo-import run holds "+f.report+".lock")
	assert.Contains(t, res.stderr, fmt.Sprintf("pid %d", cmd.Process.Pid))
	assert.Empty(t, res.stdout, "no summary: the refused run read and sent nothing")

	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	<-exited
	f.resume(t) // a dead run's lock is taken over
	f.requireAllSentOnce(t, rows)
}

// TestKillNineDuringAChangedOnlyRunThenResume: after kill -9 and --resume,
// the state holds exactly the leads the server holds, so the next night
// sends nothing for an unchanged export.
func TestKillNineDuringAChangedOnlyRunThenResume(t *testing.T) {
	const rows = 1000
	f := newProcFixture(t, rows)
	stateFile := filepath.Join(t.TempDir(), "job.state")
	cmd, exited := f.start(t, "--state", stateFile, "--changed-only")
	waitForJournal(t, f.report+".journal", 3, exited)
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	<-exited

	out, err := exec.Command(f.bin, f.tg.with("import", f.input, "--mapping", "testdata/mapping.yaml", "--report", f.report,
		"--batch-size", "5", "--resume", "--state", stateFile, "--changed-only")...).CombinedOutput()
	require.NoError(t, err, string(out))
	f.requireAllSentOnce(t, rows)

	st, err := state.Open(context.Background(), stateFile, state.Options{ReadOnly: true})
	require.NoError(t, err)
	held := map[string]bool{}
	require.NoError(t, st.ForEach(context.Background(), func(k state.Key, _ state.Entry) error {
		held[k.AccountID+"/"+k.ExternalID] = true
		return nil
	}))
	require.NoError(t, st.Close())
	server := map[string]bool{}
	for _, l := range f.tg.srv.Leads() {
		server[l.AccountID+"/"+l.ExternalID] = true
	}
	assert.Equal(t, server, held, "the state holds exactly what the server holds")

	before := len(f.tg.srv.Requests())
	res := runCLI(t, nil, f.tg.with("import", f.input, "--mapping", "testdata/mapping.yaml", "--report", tempPath(t, "night2.csv"),
		"--state", stateFile, "--changed-only", "--reprocess")...)
	require.Equal(t, ExitOK, res.code, res.stderr)
	assert.Len(t, f.tg.srv.Requests(), before, "an unchanged export sends nothing")
}
