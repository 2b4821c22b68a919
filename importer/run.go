package importer

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/xonvo/xonvo-import/keyset"
	"github.com/xonvo/xonvo-import/reports"
)

// Run reads, maps, validates and sends opts.Files, writing one report row per
// data row: the stages of the pipeline, wired. The summary is returned with
// the error, if any, so a failed run still tells what it did. Errors that
// stop a run before any row is read (mapping, unreadable input, journal
// mismatch, a --state guard) leave no report.
func Run(ctx context.Context, opts Options) (reports.Summary, error) {
	start := time.Now()
	summary := reports.Summary{Files: opts.Files, DryRun: opts.DryRun}
	defer func() { summary.Duration = time.Since(start) }()
	if err := opts.defaults(); err != nil {
		return summary, err
	}
	set, err := openInputs(ctx, &opts)
	if err != nil {
		return summary, err
	}
	defer set.close()
	summary.FilesSkipped = set.skippedFiles
	if len(set.inputs) == 0 {
		return summary, nil // every input was imported before
	}
	if err := makeDirs(opts.ReportPath, opts.PayloadsPath); err != nil {
		return summary, err
	}
	var plan *statePlan
	if opts.State != nil {
		plan, err = planState(ctx, set, &opts)
		defer plan.close()
		if plan != nil {
			summary.Removed, summary.RemovedList = plan.removed, plan.removedList
			summary.ColumnsAdded, summary.ColumnsRemoved = plan.drift(set.header, opts.Logger)
		}
		if errors.Is(err, ErrGuard) {
			summary.Stopped = reports.StopGuard
		}
		if err != nil {
			return summary, err
		}
	}
	out, err := openOutputs(ctx, &opts, set)
	if err != nil {
		return summary, err
	}
	rec := newStateRecorder(&opts)
	if out.journal != nil && rec != nil {
		out.journal.afterSync = rec.record
	}

	stop := newStopper(ctx)
	defer stop.release()
	go graceOnInterrupt(ctx, stop, opts.Grace)
	fin := &finisher{progress: opts.Progress, stop: stop, limits: limits{opts.MaxErrors, opts.MaxErrorRate},
		width: set.width(), extra: len(opts.Action.ExtraColumns())}
	fin.coll = startCollector(out.report, func(err error) { stop.stop(reports.StopFatal, err) })

	var snd *sender
	var sk sink
	if opts.DryRun {
		sk = newDryRunSink(fin, opts.Action, out.payload, &opts)
	} else {
		snd = &sender{action: opts.Action, stop: stop, fin: fin, journal: out.journal}
		sk = newAPISink(snd, &opts)
	}
	ms := &mapStage{set: set, action: opts.Action, confirmed: out.confirmed,
		encode: sk.needsPayload() || rec != nil, stop: stop, fin: fin, state: rec}
	if plan != nil {
		ms.keys, ms.firstSeen = plan.repeated, plan.firstSeen
	} else {
		dedupe, err := keyset.New(keyset.Options{Dir: opts.TempDir})
		if err != nil {
			out.abort()
			return summary, fmt.Errorf("duplicate detection: %w", err)
		}
		defer dedupe.Close()
		ms.keys, ms.firstSeen = dedupe, dedupe.AddFingerprint
	}
	entered, readErr := pipeline(stop, set, ms, sk, opts.Progress)
	if out.journal != nil {
		out.journal.drain() // its last confirmed rows go to the report first
	}
	if ctx.Err() != nil {
		stop.stop(reports.StopInterrupted, nil)
	}

	counts, collErr := fin.coll.result(entered)
	summary.Counts, summary.Rows = counts, entered
	summary.Inputs = set.info()
	if snd != nil {
		summary.Requests, summary.Retries = snd.requests.Load(), snd.retries.Load()
		summary.Resends, summary.Splits, summary.Bytes = snd.resends.Load(), snd.splits.Load(), snd.bytes.Load()
		summary.RequestCodes = snd.codes.snapshot()
	}
	summary.BytesRead = set.bytesRead()
	summary.Stopped = stop.reason()
	if summary.Stopped == "" && fin.overRate(entered) {
		summary.Stopped = reports.StopMaxErrorRate // the check at the end
	}
	runErr := errors.Join(readErr, collErr, stop.err(), rec.flushed())
	if runErr != nil && summary.Stopped == "" {
		summary.Stopped = reports.StopFatal
	}
	complete := runErr == nil && summary.Stopped == ""
	summary.Duration = time.Since(start)
	runErr = errors.Join(runErr, out.close(complete, collErr != nil, &summary))
	if opts.State != nil && !opts.DryRun {
		runErr = errors.Join(runErr, recordRun(&opts, set, plan, summary, complete && runErr == nil))
	}
	return summary, runErr
}

// pipeline runs the stages: reading on its own goroutine, mapping rows on
// a few workers, finishing them in order on this one, then the sink's
// batching and sending; the collector writes the report on its own. It
// returns how many rows entered the run.
func pipeline(stop *stopper, set *inputSet, ms *mapStage, sk sink, progress *Progress) (int64, error) {
	workers := mapWorkers()
	fl := newChunkFlow(workers)
	go readRecords(context.WithoutCancel(stop.readCtx), set, progress, fl)
	for range workers {
		go mapChunks(fl, set, stop, ms.keys)
	}
	defer func() {
		for c := range fl.ordered { // let the reader finish if mapping stopped early
			c.mapping.Wait()
			fl.release(c)
		}
	}()
	ob := &outbox{c: ms.fin.coll}
	entered, err := ms.run(fl, ob, sk.add)
	ob.flush()
	sk.close()
	return entered, err
}

// graceOnInterrupt gives in-flight requests a grace period after ctx ends,
// then cuts them off.
func graceOnInterrupt(ctx context.Context, stop *stopper, grace time.Duration) {
	select {
	case <-ctx.Done():
		stop.stop(reports.StopInterrupted, nil)
		t := time.NewTimer(grace)
		defer t.Stop()
		select {
		case <-t.C:
			stop.stopSend()
		case <-stop.sendCtx.Done():
		}
	case <-stop.sendCtx.Done():
	}
}

// makeDirs creates the directories of the files a run writes: a report
// path in a directory that does not exist yet (out/report.csv) is created,
// as a person giving that path expects; the journal lives there too.
func makeDirs(paths ...string) error {
	for _, p := range paths {
		if p == "" {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("create the directory of %s: %w", p, err)
		}
	}
	return nil
}

// outputs are the files a run writes: the report, the journal (when it
// sends) and the payloads (a dry run's, when asked).
type outputs struct {
	report    reports.Writer
	journal   *journal
	confirmed sentRows // rows an interrupted run confirmed (--resume)
	payloadF  *reports.PrivateFile
	payload   *bufio.Writer
}

func openOutputs(ctx context.Context, opts *Options, set *inputSet) (*outputs, error) {
	out := &outputs{}
	if !opts.DryRun {
		policy := resumePolicy{path: journalPath(opts.ReportPath), action: opts.Action.Key(), resume: opts.Resume, log: opts.Logger}
		var err error
		if out.journal, out.confirmed, err = policy.open(ctx, len(set.inputs), set.fingerprintAt); err != nil {
			return nil, err
		}
	}
	w, err := reports.CreateWith(opts.ReportPath, append(set.header, opts.Action.ExtraColumns()...), reports.Options{BOM: opts.ReportBOM})
	if err != nil {
		out.abort()
		return nil, err
	}
	out.report = w
	if opts.DryRun && opts.PayloadsPath != "" {
		if out.payloadF, err = reports.CreatePrivate(opts.PayloadsPath); err != nil {
			out.abort()
			return nil, fmt.Errorf("payloads: %w", err)
		}
		out.payload = bufio.NewWriterSize(out.payloadF.Writer(), 256<<10)
	}
	return out, nil
}

// abort closes everything without finishing the report.
func (o *outputs) abort() {
	if o.report != nil {
		_ = o.report.Abort()
	}
	if o.journal != nil {
		_ = o.journal.close(false)
	}
	if o.payloadF != nil {
		_ = o.payloadF.Abort()
	}
}

// close finishes the files: the payloads flushed, the journal marked
// complete when the run reached its end, the report moved into place (or
// removed when rows are missing from it).
func (o *outputs) close(complete, reportBroken bool, summary *reports.Summary) error {
	var errs []error
	if o.payload != nil {
		if err := o.payload.Flush(); err != nil {
			_ = o.payloadF.Abort()
			errs = append(errs, fmt.Errorf("payloads: %w", err))
		} else {
			errs = append(errs, o.payloadF.Commit())
		}
	}
	if o.journal != nil {
		errs = append(errs, o.journal.close(complete))
	}
	if reportBroken {
		_ = o.report.Abort()
	} else {
		errs = append(errs, o.report.Finish(*summary))
	}
	return errors.Join(errs...)
}
