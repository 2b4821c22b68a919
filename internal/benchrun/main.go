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
	flag.BoolVar(&cfg.quick, "quick", false, "100k rows only and a 15 s rate check (for a smoke run)")
	flag.BoolVar(&cfg.skipGoBench, "skip-go-bench", false, "do not run the per-stage Go benchmarks")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "benchrun:", err)
		os.Exit(1)
	}
}
