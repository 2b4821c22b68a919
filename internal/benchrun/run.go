package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// config is the command line.
type config struct {
	bin, out, mapping, work string
	rateLogs                string // where to keep the rate runs' request logs; "" for nowhere
	runs                    int    // repetitions of each row of the run table
	quick, skipRuns         bool
	skipGoBench             bool
	skipBig                 bool // -skip-5m
}

// bench is one `make bench`: the inputs it generated and the rows so far.
type bench struct {
	cfg     config
	work    string
	inputs  map[input]string
	results []result
	rates   []rateRow
}

func run(ctx context.Context, cfg config) error {
	if cfg.runs < 1 {
		return fmt.Errorf("-runs %d: want at least 1", cfg.runs)
	}
	// Runs happen in their own directories: the binary and mapping must
	// not depend on this one.
	var err error
	if cfg.bin, err = filepath.Abs(cfg.bin); err != nil {
		return err
	}
	if cfg.mapping, err = filepath.Abs(cfg.mapping); err != nil {
		return err
	}
	work := cfg.work
	if work == "" {
		d, err := os.MkdirTemp("", "xonvo-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		work = d
	} else {
		if work, err = filepath.Abs(work); err != nil {
			return err
		}
		if err := os.MkdirAll(work, 0o755); err != nil {
			return err
		}
	}
	b := &bench{cfg: cfg, work: work, inputs: map[input]string{}}
	start := time.Now()
	if !cfg.skipRuns {
		if err := b.runTable(ctx); err != nil {
			return err
		}
	}
	for _, c := range rateCases(cfg.quick) {
		if err := b.rateRun(ctx, c); err != nil {
			return err
		}
	}
	var goBench string
	if !cfg.skipGoBench {
		if goBench, err = goBenchmarks(ctx); err != nil {
			return err
		}
	}
	report := render(b, goBench)
	fmt.Print(report)
	fmt.Fprintf(os.Stderr, "bench took %s\n", time.Since(start).Round(time.Second))
	return os.WriteFile(cfg.out, []byte(report), 0o644)
}

// runTable adds the rows of the run table: dry runs and an unpaced import
// at each size. A new row is one call here (see cases.go).
func (b *bench) runTable(ctx context.Context) error {
	sizes := []int{100_000, 1_000_000}
	if b.cfg.quick {
		sizes = sizes[:1]
	}
	for _, n := range sizes {
		if err := b.dryRun(ctx, "CSV dry run", csvInput(n)); err != nil {
			return err
		}
		if err := b.ceilingRun(ctx, csvCeilingRow, csvInput(n)); err != nil {
			return err
		}
		if err := b.dryRun(ctx, "XLSX dry run", xlsxInput(n)); err != nil {
			return err
		}
		if err := b.importRun(ctx, "Import into loopback sandbox", csvInput(n), "--rate", "0"); err != nil {
			return err
		}
		// The old bench's flags: now a cap on the adaptive limiter, kept
		// to compare with the old figures and to show what the cap costs.
		if err := b.importRun(ctx, "Import into loopback sandbox", csvInput(n), "--rate", "0", "--concurrency", "8"); err != nil {
			return err
		}
	}
	if b.cfg.quick || b.cfg.skipBig {
		return nil
	}
	return b.bigRows(ctx)
}

// bigRows measures memory at 5M rows, once each (a run takes minutes):
// duplicate detection and the --state store must not grow with the input.
func (b *bench) bigRows(ctx context.Context) error {
	runs := b.cfg.runs
	b.cfg.runs = 1
	defer func() { b.cfg.runs = runs }()
	big := csvInput(5_000_000)
	if err := b.dryRun(ctx, "CSV dry run", big); err != nil {
		return err
	}
	if err := b.importRun(ctx, "Import into loopback sandbox", big, "--rate", "0"); err != nil {
		return err
	}
	return b.importRun(ctx, "Import with --state", big, "--rate", "0", "--state", "job.state", "--changed-only")
}

// rateCases are the rows of the rate table, each sized to last 25–30 s
// at its rate (10 s in a quick run).
func rateCases(quick bool) []rateCase {
	if quick {
		return []rateCase{{latency: 200 * time.Millisecond, rate: 20, requests: 200}}
	}
	var cs []rateCase
	for _, lat := range []time.Duration{50 * time.Millisecond, 200 * time.Millisecond, 800 * time.Millisecond} {
		cs = append(cs, rateCase{latency: lat, rate: 20, requests: 600}, rateCase{latency: lat, rate: 50, requests: 1250})
	}
	return cs
}
