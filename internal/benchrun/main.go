package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	var cfg config
	flag.StringVar(&cfg.bin, "bin", "bin/xonvo-import", "the binary to measure")
	flag.StringVar(&cfg.out, "out", "BENCHMARKS.md", "where to write the results")
	flag.StringVar(&cfg.mapping, "mapping", "samples/mapping.yaml", "mapping of the generated files")
	flag.StringVar(&cfg.work, "work", "", "directory for generated inputs (default a temp dir, removed after)")
	flag.IntVar(&cfg.runs, "runs", 3, "runs of each row of the throughput table (min and median are reported)")
	flag.StringVar(&cfg.rateLogs, "rate-logs", "", "also write each rate run's request log as JSON into this directory")
	flag.BoolVar(&cfg.quick, "quick", false, "100k rows only, and one 10 s rate run (200 ms, 20/s), for a smoke run")
	flag.BoolVar(&cfg.skipRuns, "skip-runs", false, "do not run the throughput and memory table (to rerun the rate table alone)")
	flag.BoolVar(&cfg.skipGoBench, "skip-go-bench", false, "do not run the per-stage Go benchmarks")
	flag.BoolVar(&cfg.skipBig, "skip-5m", false, "do not run the 5M-row rows (memory at scale; they take minutes)")
	var gen genJob
	flag.StringVar(&gen.kind, "gen", "", "internal: write one generated input (csv or xlsx) and exit")
	flag.StringVar(&gen.path, "gen-path", "", "internal: where -gen writes")
	flag.IntVar(&gen.rows, "gen-rows", 0, "internal: rows -gen writes")
	flag.Uint64Var(&gen.seed, "gen-seed", inputSeed, "internal: seed of -gen")
	flag.IntVar(&gen.accounts, "gen-accounts", inputAccounts, "internal: accounts of -gen")
	var ceiling struct{ in, out string }
	flag.StringVar(&ceiling.in, "csv-ceiling", "", "internal: parse this CSV and write its cells back (the CSV ceiling), then exit")
	flag.StringVar(&ceiling.out, "csv-ceiling-out", "", "internal: where -csv-ceiling writes")
	flag.Parse()
	if ceiling.in != "" {
		if _, err := csvCeiling(ceiling.in, ceiling.out); err != nil {
			fmt.Fprintln(os.Stderr, "benchrun:", err)
			os.Exit(1)
		}
		return
	}
	if gen.kind != "" {
		if err := gen.write(); err != nil {
			fmt.Fprintln(os.Stderr, "benchrun:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
		os.Exit(1)
	}
}
