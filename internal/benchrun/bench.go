package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/xonvo/xonvo-import/internal/leadgen"
)

type config struct {
	bin, out, mapping, work string
	quick, skipGoBench      bool
}

// result is one line of the table.
type result struct {
	name   string
	rows   int
	dur    time.Duration
	rssMB  float64
	note   string
	failed bool
}

func (r result) rowsPerSec() float64 { return float64(r.rows) / r.dur.Seconds() }

func run(ctx context.Context, cfg config) error {
	work := cfg.work
	if work == "" {
		d, err := os.MkdirTemp("", "xonvo-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		work = d
	}
	sizes := []int{100_000, 1_000_000}
	rateWindow := 60 * time.Second
	if cfg.quick {
		sizes, rateWindow = []int{100_000}, 15*time.Second
	}
	var results []result
	add := func(r result, err error) error {
		if err != nil {
			return err
		}
		results = append(results, r)
		fmt.Fprintf(os.Stderr, "%-34s %9d rows %8.2fs %10.0f rows/s %7.1f MB %s\n", r.name, r.rows, r.dur.Seconds(), r.rowsPerSec(), r.rssMB, r.note)
		return nil
	}
	for _, n := range sizes {
		csvPath := filepath.Join(work, fmt.Sprintf("leads-%d.csv", n))
		if err := generate(ctx, "csv", csvPath, n, 42, 8); err != nil {
			return err
		}
		if err := add(dryRun(ctx, cfg, work, "CSV dry run", csvPath, n)); err != nil {
			return err
		}
		xlsxPath := filepath.Join(work, fmt.Sprintf("leads-%d.xlsx", n))
		if err := generate(ctx, "xlsx", xlsxPath, n, 42, 8); err != nil {
			return err
		}
		if err := add(dryRun(ctx, cfg, work, "XLSX dry run", xlsxPath, n)); err != nil {
			return err
		}
		if err := add(endToEnd(ctx, cfg, work, csvPath, n)); err != nil {
			return err
		}
	}
	rate, err := rateAdherence(ctx, cfg, work, rateWindow)
	if err != nil {
		return err
	}
	var goBench string
	if !cfg.skipGoBench {
		goBench, err = goBenchmarks(ctx)
		if err != nil {
			return err
		}
	}
	report := render(results, rate, goBench)
	fmt.Print(report)
	return os.WriteFile(cfg.out, []byte(report), 0o644)
}

// measure runs the binary and returns its wall time and peak RSS.
func measure(ctx context.Context, bin string, args ...string) (time.Duration, float64, int, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr strings.Builder
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	dur := time.Since(start)
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		return 0, 0, 0, err
	}
	rss := 0.0
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = float64(ru.Maxrss) / 1024 // Linux reports KiB
	}
	if code != 0 {
		return dur, rss, code, fmt.Errorf("%s %s: exit %d: %s", bin, strings.Join(args, " "), code, lastLines(stderr.String(), 5))
	}
	return dur, rss, code, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func dryRun(ctx context.Context, cfg config, work, name, input string, n int) (result, error) {
	report := filepath.Join(work, "report-"+filepath.Base(input)+".csv")
	dur, rss, _, err := measure(ctx, cfg.bin, "validate", input, "--mapping", cfg.mapping, "--report", report, "--quiet")
	if err != nil {
		return result{}, err
	}
	return result{name: fmt.Sprintf("%s, %s rows", name, human(n)), rows: n, dur: dur, rssMB: rss,
		note: "read + map + validate + report"}, nil
}

// sandboxProc is a sandbox started as its own process, as a user would.
type sandboxProc struct {
	cmd    *exec.Cmd
	url    string
	pwFile string
}

func startSandbox(ctx context.Context, cfg config, work string, extra ...string) (*sandboxProc, error) {
	pwFile := filepath.Join(work, "password")
	if err := os.WriteFile(pwFile, []byte("bench-secret\n"), 0o600); err != nil {
		return nil, err
	}
	args := append([]string{"sandbox", "--listen", "127.0.0.1:0", "--username", "bench", "--password-file", pwFile,
		"--accounts", "18,19,20,21,22,23,24,25", "--quiet"}, extra...)
	cmd := exec.CommandContext(ctx, cfg.bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "listening on ") {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("sandbox did not start: %q %v", line, err)
	}
	return &sandboxProc{cmd: cmd, url: strings.TrimSpace(strings.TrimPrefix(line, "listening on ")), pwFile: pwFile}, nil
}

func (s *sandboxProc) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

func (s *sandboxProc) get(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+path, nil)
	if err != nil {
		return err
	}
	req.SetBasicAuth("bench", "bench-secret")
	hc := &http.Client{Timeout: 60 * time.Second}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func endToEnd(ctx context.Context, cfg config, work, input string, n int) (result, error) {
	sb, err := startSandbox(ctx, cfg, work)
	if err != nil {
		return result{}, err
	}
	defer sb.stop()
	report := filepath.Join(work, "import-report.csv")
	dur, rss, _, err := measure(ctx, cfg.bin, "import", input, "--mapping", cfg.mapping, "--report", report,
		"--url", sb.url, "--username", "bench", "--password-file", sb.pwFile, "--rate", "0", "--concurrency", "8", "--quiet")
	if err != nil {
		return result{}, err
	}
	// The sandbox's account totals, not its lead list: decoding a million
	// leads here would make this process large, and a child's peak RSS on
	// Linux starts from its parent's (see generate).
	var accounts []struct {
		LeadCount int `json:"leadCount"`
	}
	if err := sb.get(ctx, "/_sandbox/accounts", &accounts); err != nil {
		return result{}, err
	}
	held := 0
	for _, a := range accounts {
		held += a.LeadCount
	}
	note := fmt.Sprintf("--rate 0 --concurrency 8, sandbox (own process) holds %d leads", held)
	return result{name: fmt.Sprintf("Import into loopback sandbox, %s rows", human(n)), rows: n, dur: dur, rssMB: rss,
		note: note, failed: held != n}, nil
}

// rateCheck is what the sandbox saw at --rate 20.
type rateCheck struct {
	window      time.Duration
	requests    int
	allowed     int
	maxPerSec   int
	achievedPct float64
}

type requestRecord struct {
	Time time.Time `json:"time"`
}

func rateAdherence(ctx context.Context, cfg config, work string, window time.Duration) (rateCheck, error) {
	const rps = 20
	n := int(window.Seconds())*rps + 3*rps
	input := filepath.Join(work, "rate.csv")
	if err := generate(ctx, "csv", input, n, 7, 2); err != nil {
		return rateCheck{}, err
	}
	sb, err := startSandbox(ctx, cfg, work)
	if err != nil {
		return rateCheck{}, err
	}
	defer sb.stop()
	rctx, cancel := context.WithTimeout(ctx, window)
	defer cancel()
	cmd := exec.CommandContext(rctx, cfg.bin, "import", input, "--mapping", cfg.mapping, "--report",
		filepath.Join(work, "rate-report.csv"), "--url", sb.url, "--username", "bench", "--password-file", sb.pwFile,
		"--rate", fmt.Sprint(rps), "--burst", "1", "--batch-size", "1", "--concurrency", "8", "--quiet")
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	_ = cmd.Run() // interrupted by design at the end of the window
	var reqs []requestRecord
	if err := sb.get(ctx, "/_sandbox/requests", &reqs); err != nil {
		return rateCheck{}, err
	}
	var times []time.Time
	for _, r := range reqs {
		times = append(times, r.Time)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	rc := rateCheck{window: window, allowed: int(window.Seconds()) * rps}
	if len(times) == 0 {
		return rc, errors.New("rate check: the sandbox saw no request")
	}
	start := times[0]
	for i, t := range times {
		if t.Sub(start) < window {
			rc.requests++
		}
		// Most requests in any one-second window starting at a request.
		j := i
		for j < len(times) && times[j].Sub(t) < time.Second {
			j++
		}
		rc.maxPerSec = max(rc.maxPerSec, j-i)
	}
	rc.achievedPct = 100 * float64(rc.requests) / float64(rc.allowed)
	return rc, nil
}

func goBenchmarks(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", ".", "-benchmem", "-benchtime", "1s",
		"./importer/", "./mapping/", "./reports/", "./client/")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go test -bench: %w\n%s", err, out)
	}
	var keep []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "Benchmark") || strings.HasPrefix(l, "pkg:") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n"), nil
}

func human(n int) string {
	if n >= 1_000_000 {
		return fmt.Sprintf("%dM", n/1_000_000)
	}
	return fmt.Sprintf("%dk", n/1000)
}

func render(results []result, rc rateCheck, goBench string) string {
	var b strings.Builder
	host, _ := os.Hostname()
	fmt.Fprintf(&b, "# Benchmarks\n\nMeasured %s on %s: %d CPUs, %s/%s, %s. Reproduce with `make bench`\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), host, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	b.WriteString("(inputs from internal/leadgen, seed 42, 16 columns, 8 accounts; the binary runs as a user runs it;\n")
	b.WriteString("peak RSS is the child process's maximum resident set).\n\n")
	b.WriteString("| run | rows | seconds | rows/s | peak RSS MB | note |\n|---|---:|---:|---:|---:|---|\n")
	for _, r := range results {
		note := r.note
		if r.failed {
			note += " (MISMATCH)"
		}
		fmt.Fprintf(&b, "| %s | %d | %.2f | %.0f | %.1f | %s |\n", r.name, r.rows, r.dur.Seconds(), r.rowsPerSec(), r.rssMB, note)
	}
	fmt.Fprintf(&b, "\n## Rate adherence at --rate 20 --burst 1 (from the sandbox's request log)\n\n")
	fmt.Fprintf(&b, "| window | requests seen | allowed | achieved | most in any 1 s |\n|---|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| %s | %d | %d | %.1f %% | %d |\n", rc.window, rc.requests, rc.allowed, rc.achievedPct, rc.maxPerSec)
	if goBench != "" {
		fmt.Fprintf(&b, "\n## Per-stage Go benchmarks (`go test -bench . -benchmem`)\n\n```\n%s\n```\n", goBench)
	}
	return b.String()
}

// genJob is one input written by a child process (-gen).
type genJob struct {
	kind, path     string
	rows, accounts int
	seed           uint64
}

func (g genJob) write() error {
	switch g.kind {
	case "csv":
		return leadgen.WriteCSV(g.path, g.rows, g.seed, g.accounts)
	case "xlsx":
		return leadgen.WriteXLSX(g.path, g.rows, g.seed, g.accounts, leadgen.XLSXOptions{})
	}
	return fmt.Errorf("-gen %q: want csv or xlsx", g.kind)
}

// generate writes an input in a child process. On Linux a child's peak RSS
// (what measure reports) starts from the high-water mark of the process that
// started it, so this process must stay small: writing a million-row
// workbook here first made every later figure read 191 MB.
func generate(ctx context.Context, kind, path string, rows int, seed uint64, accounts int) error {
	cmd := exec.CommandContext(ctx, os.Args[0], "-gen", kind, "-gen-path", path, "-gen-rows", fmt.Sprint(rows),
		"-gen-seed", fmt.Sprint(seed), "-gen-accounts", fmt.Sprint(accounts))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("generate %s: %w: %s", path, err, out)
	}
	return nil
}
