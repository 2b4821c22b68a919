package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

// render writes BENCHMARKS.md: the run table, the rate table and the Go
// benchmarks, each with a note saying how its figures were made.
func render(b *bench, goBench string) string {
	var w strings.Builder
	host, _ := os.Hostname()
	fmt.Fprintf(&w, "# Benchmarks\n\nMeasured %s on %s: %d CPUs, %s/%s, %s. Reproduce with `make bench`\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), host, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Fprintf(&w, "(inputs from internal/leadgen, seed %d, 16 columns, %d accounts; the binary runs as a user runs it).\n\n",
		inputSeed, inputAccounts)
	if len(b.results) > 0 {
		renderRuns(&w, b.results, b.cfg.runs)
	}
	if len(b.rates) > 0 {
		renderRates(&w, b.rates)
	}
	if goBench != "" {
		fmt.Fprintf(&w, "\n## Per-stage Go benchmarks (`go test -bench . -benchmem`)\n\n```\n%s\n```\n", goBench)
	}
	return w.String()
}

func renderRuns(w *strings.Builder, results []result, runs int) {
	fmt.Fprintf(w, "## Throughput and memory (%d runs each)\n\n", runs)
	w.WriteString("| run | rows | seconds, median | rows/s, min | rows/s, median | peak RSS MB, max | note |\n")
	w.WriteString("|---|---:|---:|---:|---:|---:|---|\n")
	for _, r := range results {
		note := r.note
		if r.failed {
			note += " (MISMATCH: a run's sandbox did not hold every row)"
		}
		rates := r.rates()
		fmt.Fprintf(w, "| %s | %d | %.2f | %.0f | %.0f | %.1f | %s |\n", r.name, r.rows, median(r.seconds()),
			rates[0], median(rates), r.maxRSS(), note)
	}
	fmt.Fprintf(w, "\nEach row ran %d times in a row, each in a fresh directory. rows/s is rows over the run's wall time;\n", runs)
	w.WriteString("min and median show the noise of a shared 2-core VM (the median is the figure to compare).\n")
	w.WriteString("Peak RSS is the child process's maximum resident set (rusage), the highest of the runs.\n")
	w.WriteString("The imports run with `--rate 0`. `--concurrency` is now only the upper bound on requests in flight\n")
	w.WriteString("(default 64): without a rate the adaptive limiter probes for the in-flight count itself, up to that bound.\n")
	w.WriteString("The first import row at each size is the default a user gets; the second passes the old bench's\n")
	w.WriteString("`--concurrency 8`, which now caps the limiter's probe, for comparison with earlier figures.\n")
	w.WriteString("Each import goes into its own sandbox process, which must hold every row afterwards.\n")
	renderGoals(w, results, issueGoals)
}

func renderRates(w *strings.Builder, rows []rateRow) {
	w.WriteString("\n## Rate use at server latency (from the sandbox's request log)\n\n")
	w.WriteString("| server latency | --rate | requests | steady span s | achieved req/s | utilisation | most in any 1 s | rate + burst | meets goal |\n")
	w.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %d | %d | %.1f | %.2f | %.1f %% | %d | %d | %s |\n", r.latency, r.rate, r.seen,
			r.steady.Seconds(), r.perSec, 100*r.util, r.worst, r.bound(), r.verdict())
	}
	fmt.Fprintf(w, "\nEach row is one import of requests × %d generated leads into a sandbox process started with\n", rateBatch)
	fmt.Fprintf(w, "`--latency D`, with default flags except `--rate R --burst %d --batch-size %d` (no `--concurrency`:\n", rateBurst, rateBatch)
	w.WriteString("the adaptive limiter sets in-flight, 64 at most). The figures are the server's: arrival times in\n")
	w.WriteString("`GET /_sandbox/requests`, read with `sandbox.RequestLog`. The steady span runs from 1 s after the first\n")
	w.WriteString("arrival (the bucket starts full) to the last; achieved req/s is `PerSecond` over it, (n − 1) / span,\n")
	w.WriteString("and utilisation is that over `--rate` (`Utilisation`). Most in any 1 s is `MaxInWindow(time.Second)`\n")
	w.WriteString("over all requests, the first second included. The goal: utilisation ≥ 98 % and that window ≤ rate + burst\n")
	w.WriteString("(a row also fails if a request was not answered 200 or the sandbox does not hold every lead).\n")
}
