package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// sample is one run of the binary: its wall time and peak RSS.
type sample struct {
	dur   time.Duration
	rssMB float64
}

// runBinary runs the binary with args in dir (its working directory, so that
// relative paths in args, a report or a state file, land there) and
// returns its wall time and peak RSS. A non-zero exit is an error that
// carries the last lines of its stderr.
func (b *bench) runBinary(ctx context.Context, dir string, args ...string) (sample, error) {
	return runProgram(ctx, b.cfg.bin, dir, args...)
}

// runProgram is runBinary for any program: the binary, or this one in a
// child mode (the CSV ceiling).
func runProgram(ctx context.Context, prog, dir string, args ...string) (sample, error) {
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	dur := time.Since(start)
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return sample{}, fmt.Errorf("%s %s: %w", prog, args[0], err)
	}
	s := sample{dur: dur}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.rssMB = float64(ru.Maxrss) / 1024 // Linux reports KiB
	}
	if exitErr != nil {
		return s, fmt.Errorf("%s %s: exit %d: %s", prog, strings.Join(args, " "), exitErr.ExitCode(),
			lastLines(stderr.String(), 5))
	}
	return s, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// result is one row of the run table: the same run repeated.
type result struct {
	name    string
	rows    int
	note    string
	samples []sample
	// failed is set when a run's check did not hold (the sandbox did not
	// receive every row); the row is still reported, marked.
	failed bool
}

// rates returns rows per second of each run, slowest first.
func (r result) rates() []float64 {
	out := make([]float64, len(r.samples))
	for i, s := range r.samples {
		out[i] = float64(r.rows) / s.dur.Seconds()
	}
	slices.Sort(out)
	return out
}

// seconds returns the wall time of each run, shortest first.
func (r result) seconds() []float64 {
	out := make([]float64, len(r.samples))
	for i, s := range r.samples {
		out[i] = s.dur.Seconds()
	}
	slices.Sort(out)
	return out
}

// maxRSS is the highest peak RSS of the runs: memory is a bound a user
// sizes a machine for, so the worst run is the figure that matters.
func (r result) maxRSS() float64 {
	m := 0.0
	for _, s := range r.samples {
		m = max(m, s.rssMB)
	}
	return m
}

// median of sorted values; the mean of the middle two for an even count.
func median(sorted []float64) float64 {
	n := len(sorted)
	switch {
	case n == 0:
		return 0
	case n%2 == 1:
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}
