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
	"time"

	"github.com/spf13/cobra"

	"github.com/xonvo/xonvo-import/importer"
	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/runlock"
	"github.com/xonvo/xonvo-import/sandbox"
	"github.com/xonvo/xonvo-import/source"
)

// runOptions are the options of every command that reads files and writes a
// per-row report (import, validate, agents import, leads, stats leads); each
// command's own options struct embeds them.
type runOptions struct {
	app          *app
	Files        []string
	Mapping      string
	Report       string
	ReportBOM    bool
	SummaryJSON  string
	BatchSize    int
	BatchBytes   int
	Concurrency  int
	MaxErrors    int
	MaxErrorRate float64
	Resume       bool
	DryRun       bool
	Payloads     string
	Sheet        string
	Encoding     string
	Delimiter    string
	CPUProfile   string
	Conn         connOptions
	Monitor      monitorOptions
	State        stateOptions // import and validate only
	MoveDone     string       // import only
}

// dryRunMemoryLimit is the soft limit on the Go runtime's memory during a
// dry run (see runOptions.run); GOMEMLIMIT overrides it.
const dryRunMemoryLimit = 56 << 20

// moveDone moves every input of a completed run to dest (--move-done).
func moveDone(ctx context.Context, inputs []*source.Input, dest string, log *slog.Logger) error {
	for _, in := range inputs {
		if err := source.Move(ctx, in, dest); err != nil {
			return fmt.Errorf("--move-done: %w", err)
		}
		log.Info("moved a completed input", "input", in.Name(), "to", dest)
	}
	return nil
}

// registerRead adds the flags of reading and reporting.
func (o *runOptions) registerRead(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&o.Report, "report", "", "per-row report: .csv, .jsonl or .xlsx (default <first input>.report.csv in the current directory)")
	fl.BoolVar(&o.ReportBOM, "report-bom", false, "start a CSV report with a UTF-8 byte order mark, so Excel shows accents right")
	fl.StringVar(&o.SummaryJSON, "summary-json", "", "also write the run summary as JSON to this path (every run, failed ones too)")
	fl.StringVar(&o.Sheet, "sheet", "", "XLSX sheet to read (default: the mapping's, else the first)")
	fl.StringVar(&o.Encoding, "encoding", "", "text encoding: auto, utf-8, utf-16, windows-1252, iso-8859-1 (default auto)")
	fl.StringVar(&o.Delimiter, "delimiter", "", "CSV delimiter: one character or tab (default detected among , ; tab |)")
	fl.IntVar(&o.MaxErrors, "max-errors", 0, "stop once this many rows are invalid, duplicate, rejected or failed (exit 4); 0 = no limit")
	fl.Float64Var(&o.MaxErrorRate, "max-error-rate", 0, "stop once more than this share (0-1) of the rows so far are invalid, duplicate, rejected or failed, checked from row 1,000 and at the end (exit 4); 0 = no limit")
	fl.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile of the run (for performance work)")
	_ = fl.MarkHidden("cpuprofile")
	o.Monitor.register(cmd)
}

// registerSend adds the flags of sending.
func (o *runOptions) registerSend(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.IntVar(&o.Concurrency, "concurrency", importer.DefaultConcurrency, "most requests in flight at once; within it, as many as --rate and the server's latency need are used")
	fl.BoolVar(&o.Resume, "resume", false, "skip rows the journal beside the report confirms as sent, send the rest")
	o.Conn.register(cmd)
}

func (o *runOptions) sourceOptions() (source.Options, error) {
	so := source.Options{Sheet: o.Sheet, Encoding: o.Encoding}
	if o.Delimiter != "" {
		d, err := source.DelimiterFromName(o.Delimiter)
		if err != nil {
			return so, err
		}
		so.Delimiter = d
	}
	return so, nil
}

// reportPath is --report, else <first input>.report.csv here.
func (o *runOptions) reportPath() string {
	if o.Report != "" {
		return o.Report
	}
	base := filepath.Base(o.Files[0])
	return strings.TrimSuffix(base, filepath.Ext(base)) + ".report.csv"
}

// loadMapping reads --mapping, or without one finds the key columns of a
// list (account, external id, phone) by the headers of its first input.
func (o *runOptions) loadMapping(ctx context.Context, first *source.Input, so source.Options) (*mapping.Config, error) {
	if o.Mapping != "" {
		return mapping.Load(o.Mapping)
	}
	src, err := first.Open(ctx, so)
	if err != nil {
		return nil, err
	}
	hdr := src.Header()
	if err := src.Close(); err != nil {
		return nil, err
	}
	return mapping.KeysConfig(hdr)
}

// runFiles is the shared body of every file-driven command: action makes
// the command's action from the connection (nil in a dry run). Whatever the
// outcome, even a failure before any row was read, the run then publishes
// its summary and metrics as asked.
func runFiles(ctx context.Context, o *runOptions, action func(*connection) importer.Action) error {
	out := outcome{summary: reports.Summary{Files: o.Files, DryRun: o.DryRun}}
	start := time.Now()
	err := o.run(ctx, action, &out)
	out.exitCode, out.ended = exitCodeOf(err), time.Now()
	if out.summary.Duration == 0 {
		out.summary.Duration = out.ended.Sub(start)
	}
	out.summary.ExitCode = out.exitCode
	if detail := errorDetail(err); detail != nil {
		out.summary.StopDetail = detail.Error()
		if out.summary.Stopped == reports.StopNone && (out.exitCode == ExitFailed || out.exitCode == ExitUsage) {
			out.summary.Stopped = reports.StopFatal
		}
	}
	o.printSummary(out)
	o.publish(context.WithoutCancel(ctx), out)
	return err
}

// errorDetail is the error a person should read of a command's outcome:
// nil for an exit code that carries no message (some rows not sent).
func errorDetail(err error) error {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.err
	}
	return err
}

// printSummary writes the run's summary to stdout: text for people, or with
// --log-format json one JSON object, for every run (early failures too).
func (o *runOptions) printSummary(out outcome) {
	w := o.app.env.Stdout
	if o.app.logFormat == "json" {
		b, err := out.summary.MarshalJSON()
		if err == nil {
			_, _ = w.Write(append(b, '\n'))
		}
		return
	}
	if !out.ran {
		return // the error on stderr says it all; nothing was read
	}
	_ = out.summary.WriteText(w)
	fmt.Fprintf(w, "report: %s\n", out.report)
	if out.sandbox != nil {
		printSandbox(w, out.sandbox)
	}
}

// run reads, maps and sends; out receives the summary and report path.
func (o *runOptions) run(ctx context.Context, action func(*connection) importer.Action, out *outcome) error {
	env := o.app.env
	if err := o.Monitor.check(); err != nil {
		return err
	}
	if err := o.State.check(); err != nil {
		return err
	}
	log, err := o.app.logger()
	if err != nil {
		return err
	}
	srcOpts, err := o.sourceOptions()
	if err != nil {
		return err
	}
	srcOpts.Stdin = env.Stdin
	inputs, err := source.Resolve(ctx, o.Files, srcOpts)
	if err != nil {
		return fail(err)
	}
	defer source.CloseAll(inputs)
	cfg, err := o.loadMapping(ctx, inputs[0], srcOpts)
	if err != nil {
		return fail(err)
	}
	report := o.reportPath()
	out.report = report
	if err := os.MkdirAll(filepath.Dir(report), 0o755); err != nil {
		return fail(fmt.Errorf("create the directory of %s: %w", report, err))
	}
	lock, err := runlock.Acquire(ctx, runlock.PathFor(report), runlock.Options{Program: "xonvo-import", Report: report})
	if err != nil {
		out.summary.Stopped = reports.StopLock
		return fail(err)
	}
	defer lock.Release()
	o.cleanStale(log, report)
	var conn *connection
	if !o.DryRun {
		o.Conn.concurrency = o.Concurrency
		if conn, err = o.Conn.connect(ctx, o.app); err != nil {
			return fail(err)
		}
		defer conn.Close()
	}
	opts := importer.Options{
		Files: o.Files, Inputs: inputs, Mapping: cfg, KeysFromHeader: o.Mapping == "", Action: action(conn), DryRun: o.DryRun,
		ReportPath: report, ReportBOM: o.ReportBOM, PayloadsPath: o.Payloads,
		BatchRows: o.BatchSize, BatchBytes: o.BatchBytes, Concurrency: o.Concurrency,
		MaxErrors: o.MaxErrors, MaxErrorRate: o.MaxErrorRate, Resume: o.Resume, Source: srcOpts, Logger: log,
		Progress: &importer.Progress{},
	}
	if o.State.Path != "" {
		store, err := openState(ctx, o.State.Path, o.DryRun, log)
		if err != nil {
			return fail(err)
		}
		if store != nil {
			defer store.Close()
			o.State.apply(&opts, store)
		}
	}
	// Dry runs and imports keep the collector's default (GOGC 100). Dry runs
	// once collected at 1.5x the live heap, which was then mostly the
	// duplicate table; the table now lives outside the heap (package
	// keyset), a CSV run's heap is ~9 MB of pipeline and package data, and
	// 1.5x it meant a collection every 4.5 MB allocated: a quarter of a
	// million-row run's CPU went to the collector, for 4 MB less peak RSS.
	// A workbook's heap also holds the shared strings' chunk cache (~16 MB
	// live on the million-row sheet; its 20 MB string cache is outside the
	// heap), where twice the live heap is RSS for little CPU: a soft limit
	// on the runtime's memory caps that, and never touches a CSV run (~25
	// MB in all). 56 MiB leaves the collector ~30 MB of room on that sheet
	// (33 collections, 0.33 s of CPU, 137 MB peak RSS; at 64 MiB with the
	// string cache in the heap: 77 collections, 1.26 s, 133 MB). The reader
	// bounds what it keeps (xlsx.Options.SharedStringsInMemory and its
	// caches), so the live heap stays well under the limit and it cannot
	// make the collector run without end.
	if o.DryRun && env.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(dryRunMemoryLimit))
	}
	if o.CPUProfile != "" {
		stop, err := startCPUProfile(o.CPUProfile)
		if err != nil {
			return fail(err)
		}
		defer stop()
	}
	stopProgress := startProgress(ctx, env.Stderr, log, opts.Progress, o.app.quiet)
	summary, runErr := importer.Run(ctx, opts)
	if runErr == nil && summary.Stopped == reports.StopNone && o.State.OnRemoved != onRemovedReport && !o.DryRun && opts.State != nil {
		runErr = actOnRemoved(ctx, opts, conn.client, o.State.OnRemoved, &summary)
	} else if opts.State != nil {
		summary.RemovedAction = reports.RemovedReport
	}
	stopProgress()
	if runErr == nil && summary.Stopped == reports.StopNone && o.MoveDone != "" && !o.DryRun {
		runErr = moveDone(ctx, inputs, o.MoveDone, log)
	}
	out.summary = summary
	out.ran = summary.Rows > 0 || runErr == nil
	if conn != nil {
		out.sandbox = conn.sandbox
	}
	return o.finish(conn, summary, runErr)
}

// cleanStale removes the temporary files a killed run left beside the
// files this run writes: they hold the same personal data as a report. The
// caller holds the run lock, so no live run is writing them.
func (o *runOptions) cleanStale(log *slog.Logger, report string) {
	for _, p := range []string{report, reports.RemovedListPath(report), o.SummaryJSON, o.Payloads} {
		if p == "" {
			continue
		}
		removed, err := reports.CleanStale(p)
		if err != nil {
			log.Warn("could not remove a killed run's temporary files", "path", p, "err", err.Error())
		}
		for _, f := range removed {
			log.Info("removed a killed run's temporary file", "path", f)
		}
	}
}

// finish turns the run's outcome into the command's error and exit code.
func (o *runOptions) finish(conn *connection, summary reports.Summary, runErr error) error {
	code := runExitCode(summary, runErr)
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
func printSandbox(w io.Writer, srv *sandbox.Server) {
	perAccount := map[string]int{}
	for _, l := range srv.Leads() {
		perAccount[l.AccountID]++
	}
	ids := make([]string, 0, len(perAccount))
	for id := range perAccount {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	fmt.Fprintf(w, "sandbox holds %d lead(s)", len(srv.Leads()))
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
