package main

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// The rows of the run table. Each helper adds one row, the same run
// repeated cfg.runs times, each in a fresh working directory; a later row
// (a 5M-row import with a state file, say) is one call:
//
//	b.importRun(ctx, "Import with --state", csvInput(5_000_000), "--rate", "0", "--state", "state.db")

// runFunc is one run of a row, in its own working directory dir.
type runFunc func(ctx context.Context, dir string) (s sample, ok bool, err error)

// timeRuns repeats once and adds the row; ok false from any run marks the
// row failed.
func (b *bench) timeRuns(ctx context.Context, name string, rows int, note string, once runFunc) error {
	r := result{name: name, rows: rows, note: note}
	for i := range b.cfg.runs {
		dir, err := os.MkdirTemp(b.work, "run-")
		if err != nil {
			return err
		}
		s, ok, err := once(ctx, dir)
		_ = os.RemoveAll(dir)
		if err != nil {
			return fmt.Errorf("%s, run %d: %w", name, i+1, err)
		}
		r.samples = append(r.samples, s)
		r.failed = r.failed || !ok
		fmt.Fprintf(os.Stderr, "%-44s run %d: %8.2fs %10.0f rows/s %7.1f MB\n", name, i+1, s.dur.Seconds(),
			float64(rows)/s.dur.Seconds(), s.rssMB)
	}
	b.results = append(b.results, r)
	return nil
}

// binaryRun adds a row that runs the binary on in: args[0] is the command
// (validate, import, ...), the input's path follows it, then the rest of
// args, as a user types it. Relative paths in args are fresh for each run.
func (b *bench) binaryRun(ctx context.Context, name string, in input, note string, args ...string) error {
	if len(args) == 0 {
		return fmt.Errorf("%s: no command to run", name)
	}
	path, err := b.path(ctx, in)
	if err != nil {
		return err
	}
	full := append([]string{args[0], path}, args[1:]...)
	return b.timeRuns(ctx, rowName(name, in), in.rows, note, func(ctx context.Context, dir string) (sample, bool, error) {
		s, err := b.runBinary(ctx, dir, full...)
		return s, err == nil, err
	})
}

// dryRun adds a `validate` row: read, map, validate and write the report.
func (b *bench) dryRun(ctx context.Context, name string, in input) error {
	return b.binaryRun(ctx, name, in, "read + map + validate + report",
		"validate", "--mapping", b.cfg.mapping, "--report", "report.csv", "--quiet")
}

// importRun adds a row that imports in into a sandbox process of its own
// for each run, with extra flags after the connection's; the row fails
// unless the sandbox holds every row afterwards.
func (b *bench) importRun(ctx context.Context, name string, in input, extra ...string) error {
	path, err := b.path(ctx, in)
	if err != nil {
		return err
	}
	note := fmt.Sprintf("`%s`, into a sandbox process (8 accounts); it holds every row after each run", strings.Join(extra, " "))
	return b.timeRuns(ctx, rowName(name, in), in.rows, note, func(ctx context.Context, dir string) (sample, bool, error) {
		sb, err := b.startSandbox(ctx, dir)
		if err != nil {
			return sample{}, false, err
		}
		defer sb.stop()
		args := append([]string{"import", path, "--mapping", b.cfg.mapping, "--report", "report.csv", "--quiet"},
			sb.connArgs()...)
		s, err := b.runBinary(ctx, dir, append(args, extra...)...)
		if err != nil {
			return s, false, err
		}
		held, err := sb.leadsHeld(ctx)
		if err != nil {
			return s, false, err
		}
		if held != in.rows {
			fmt.Fprintf(os.Stderr, "%s: the sandbox holds %d leads of %d\n", name, held, in.rows)
		}
		return s, held == in.rows, nil
	})
}

// rowName is name with the input's size, as the table shows it.
func rowName(name string, in input) string {
	return fmt.Sprintf("%s, %s rows", name, human(in.rows))
}

func human(n int) string {
	switch {
	case n >= 1_000_000 && n%1_000_000 == 0:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}
