package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/importer"
	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/source"
)

// runFlags are the flags of every command that reads a file and writes a
// per-row report (import, validate, agents import, leads, stats leads).
type runFlags struct {
	conn        connFlags
	mapping     string
	report      string
	summaryJSON string
	batchSize   int
	batchBytes  int
	concurrency int
	maxErrors   int
	resume      bool
	dryRun      bool
	payloads    string
	sheet       string
	encoding    string
	delimiter   string
	cpuProfile  string
}

func (f *runFlags) registerRead(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.report, "report", "", "per-row report: .csv, .jsonl or .xlsx (default <first input>.report.csv in the current directory)")
	fl.StringVar(&f.summaryJSON, "summary-json", "", "also write the run summary as JSON to this path")
	fl.StringVar(&f.sheet, "sheet", "", "XLSX sheet to read (default: the mapping's, else the first)")
	fl.StringVar(&f.encoding, "encoding", "", "text encoding: auto, utf-8, utf-16, windows-1252, iso-8859-1 (default auto)")
	fl.StringVar(&f.delimiter, "delimiter", "", "CSV delimiter: one character or tab (default detected among , ; tab |)")
	fl.IntVar(&f.maxErrors, "max-errors", 0, "stop once this many rows are invalid, duplicate, rejected or failed (exit 4); 0 = no limit")
	fl.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the run (for performance work)")
	_ = fl.MarkHidden("cpuprofile")
}

func (f *runFlags) registerSend(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.IntVar(&f.concurrency, "concurrency", importer.DefaultConcurrency, "requests in flight at once")
	fl.BoolVar(&f.resume, "resume", false, "skip rows the journal beside the report confirms as sent, send the rest")
	f.conn.register(cmd)
}

func (f *runFlags) sourceOptions() (source.Options, error) {
	o := source.Options{Sheet: f.sheet, Encoding: f.encoding}
	if f.delimiter != "" {
		d, err := source.DelimiterFromName(f.delimiter)
		if err != nil {
			return o, err
		}
		o.Delimiter = d
	}
	return o, nil
}

func (f *runFlags) reportPath(files []string) string {
	if f.report != "" {
		return f.report
	}
	base := filepath.Base(files[0])
	return strings.TrimSuffix(base, filepath.Ext(base)) + ".report.csv"
}

func newImportCmd(env *Env, validateOnly bool) *cobra.Command {
	f := &runFlags{}
	var mode, api string
	cmd := &cobra.Command{
		Use:   "import FILE... --mapping M.yaml",
		Short: "Read, map, validate and send leads, writing a per-row report",
		Args:  cobra.MinimumNArgs(1),
	}
	if validateOnly {
		cmd.Use = "validate FILE... --mapping M.yaml"
		cmd.Short = "Check files against a mapping without sending anything (import --dry-run)"
	}
	cmd.Flags().StringVar(&f.mapping, "mapping", "", "mapping file (YAML); see `xonvo-import mapping init`")
	_ = cmd.MarkFlagRequired("mapping")
	f.registerRead(cmd)
	cmd.Flags().IntVar(&f.batchSize, "batch-size", importer.DefaultBatchRows, "leads per bulk request")
	cmd.Flags().IntVar(&f.batchBytes, "batch-bytes", importer.DefaultBatchBytes, "largest bulk request body in bytes")
	cmd.Flags().StringVar(&f.payloads, "payloads", "", "with --dry-run: write the exact request bodies, one per line")
	cmd.Flags().StringVar(&api, "api", "bulk", "bulk (POST|PUT /leads/bulk) or single (POST /lead per lead)")
	if validateOnly {
		registerLogFlags(cmd, &f.conn.logFormat, &f.conn.quiet)
	} else {
		cmd.Flags().StringVar(&mode, "mode", "add", "add (POST /leads/bulk) or update (PUT /leads/bulk)")
		cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "validate and report without sending (same as validate)")
		f.registerSend(cmd)
	}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if validateOnly {
			f.dryRun = true
		}
		if f.payloads != "" && !f.dryRun {
			return errors.New("--payloads goes with --dry-run (or validate)")
		}
		if mode != "" && mode != string(importer.ModeAdd) && mode != string(importer.ModeUpdate) {
			return fmt.Errorf("--mode %q: want add or update", mode)
		}
		if api != "bulk" && api != "single" {
			return fmt.Errorf("--api %q: want bulk or single", api)
		}
		return runImport(cmd.Context(), env, f, func(conn *connection) importer.Action {
			if api == "single" {
				return importer.SingleLeads{Client: conn.clientOrNil()}
			}
			return importer.BulkLeads{Client: conn.clientOrNil(), Mode: importer.Mode(mode)}
		}, args)
	}
	return cmd
}

// clientOrNil is the connection's client, nil in a dry run (no connection).
func (c *connection) clientOrNil() *client.Client {
	if c == nil {
		return nil
	}
	return c.client
}

// runImport is the shared body of every file-driven command.
func runImport(ctx context.Context, env *Env, f *runFlags, action func(*connection) importer.Action, files []string) error {
	log, err := newLogger(env.Stderr, f.conn.logFormat, f.conn.quiet)
	if err != nil {
		return err
	}
	srcOpts, err := f.sourceOptions()
	if err != nil {
		return err
	}
	var cfg *mapping.Config
	if f.mapping != "" {
		if cfg, err = mapping.Load(f.mapping); err != nil {
			return fail(err)
		}
	} else {
		hdr, err := source.ReadHeader(ctx, files[0], srcOpts)
		if err != nil {
			return fail(err)
		}
		if cfg, err = mapping.KeysConfig(hdr); err != nil {
			return fail(err)
		}
	}
	var conn *connection
	if !f.dryRun {
		if conn, err = f.conn.connect(ctx, env); err != nil {
			return fail(err)
		}
		defer conn.Close()
	}
	opts := importer.Options{
		Files: files, Mapping: cfg, Action: action(conn), DryRun: f.dryRun,
		ReportPath: f.reportPath(files), PayloadsPath: f.payloads,
		BatchRows: f.batchSize, BatchBytes: f.batchBytes, Concurrency: f.concurrency,
		MaxErrors: f.maxErrors, Resume: f.resume, Source: srcOpts, Logger: log,
		Progress: &importer.Progress{},
	}
	if conn != nil && conn.sandbox != nil {
		opts.OnNewAccount = conn.sandbox.CreateAccount
	}
	if f.dryRun && env.Getenv("GOGC") == "" {
		// A dry run's live heap is mostly the pointer-free duplicate table,
		// so collecting at 1.5x instead of 2x it costs no measurable CPU and
		// keeps a million-row run near 80 MB instead of 97 MB. Sending keeps
		// the default: its live heap is pointer-rich in-flight batches, where
		// the same setting cost a third of the throughput (BENCHMARKS.md).
		defer debug.SetGCPercent(debug.SetGCPercent(50))
	}
	if f.cpuProfile != "" {
		stop, err := startCPUProfile(f.cpuProfile)
		if err != nil {
			return fail(err)
		}
		defer stop()
	}
	stopProgress := startProgress(ctx, env.Stderr, log, opts.Progress, f.conn.quiet)
	summary, runErr := importer.Run(ctx, opts)
	stopProgress()
	return finishRun(env, log, conn, f, opts, summary, runErr)
}

// finishRun prints the summary and turns the outcome into an exit code.
func finishRun(env *Env, log *slog.Logger, conn *connection, f *runFlags, opts importer.Options, summary reports.Summary, runErr error) error {
	code := importer.ExitCode(summary, runErr)
	if summary.Rows > 0 || runErr == nil {
		_ = summary.WriteText(env.Stdout)
		fmt.Fprintf(env.Stdout, "report: %s\n", opts.ReportPath)
		if f.summaryJSON != "" {
			b, err := summary.MarshalJSON()
			if err == nil {
				err = os.MkdirAll(filepath.Dir(f.summaryJSON), 0o755)
			}
			if err == nil {
				err = reports.WriteFileAtomic(f.summaryJSON, append(b, '\n'), 0o600)
			}
			if err != nil {
				log.Error("write --summary-json", "err", err)
			}
		}
	}
	if conn != nil && conn.sandbox != nil {
		printSandbox(env.Stdout, conn)
	}
	if runErr != nil && conn != nil && errors.Is(runErr, importer.ErrAuthFailed) {
		runErr = fmt.Errorf("authentication failed (%s): %w", conn.origin, runErr)
	}
	if code == ExitOK {
		return nil
	}
	if code == ExitInterrupted && runErr == nil {
		runErr = errors.New("interrupted: the report and the journal are written; run again with --resume to send the rest")
	}
	return &exitError{code: code, err: runErr}
}

// printSandbox tells what the embedded sandbox holds after a run.
func printSandbox(w io.Writer, conn *connection) {
	perAccount := map[string]int{}
	for _, l := range conn.sandbox.Leads() {
		perAccount[l.AccountID]++
	}
	ids := make([]string, 0, len(perAccount))
	for id := range perAccount {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	fmt.Fprintf(w, "sandbox holds %d lead(s)", len(conn.sandbox.Leads()))
	for i, id := range ids {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		fmt.Fprintf(w, "%saccount %s: %d", sep, id, perAccount[id])
	}
	fmt.Fprintln(w)
}

// startCPUProfile profiles the run into path until the returned func runs.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}, nil
}
