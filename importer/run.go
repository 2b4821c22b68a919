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
// mismatch) leave no report.
func Run(ctx context.Context, opts Options) (reports.Summary, error) {
	start := time.Now()
	summary := reports.Summary{Files: opts.Files, DryRun: opts.DryRun}
	if err := opts.defaults(); err != nil {
		return summary, err
	}
	set, err := openInputs(ctx, &opts)
	if err != nil {
		return summary, err
	}
	defer set.close()
	if err := makeDirs(opts.ReportPath, opts.PayloadsPath); err != nil {
		return summary, err
	}
	var (
		j         *journal
		confirmed sentRows
	)
	if !opts.DryRun {
		policy := resumePolicy{path: journalPath(opts.ReportPath), action: opts.Action.Key(), resume: opts.Resume, log: opts.Logger}
		if j, confirmed, err = policy.open(ctx, opts.Files); err != nil {
			return summary, err
		}
	}
	w, err := reports.CreateWith(opts.ReportPath, append(set.header, opts.Action.ExtraColumns()...), reports.Options{BOM: opts.ReportBOM})
	if err != nil {
		closeJournal(j, false)
		return summary, err
	}
	var payload *bufio.Writer
	if opts.DryRun && opts.PayloadsPath != "" {
		pf, err := os.OpenFile(opts.PayloadsPath, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			_ = w.Abort()
			return summary, fmt.Errorf("payloads: %w", err)
		}
		defer pf.Close()
		payload = bufio.NewWriterSize(pf, 256<<10)
	}

	stop := newStopper(ctx)
	defer stop.release()
	go graceOnInterrupt(ctx, stop, opts.Grace)
	fin := &finisher{progress: opts.Progress, stop: stop, limits: limits{opts.MaxErrors, opts.MaxErrorRate},
		width: set.width(), extra: len(opts.Action.ExtraColumns())}
	fin.coll = startCollector(w, func(err error) { stop.stop(reports.StopFatal, err) })

	var snd *sender
	var sk sink
	if opts.DryRun {
		sk = newDryRunSink(fin, opts.Action, payload, &opts)
	} else {
		snd = &sender{action: opts.Action, stop: stop, fin: fin, journal: j}
		sk = newAPISink(snd, &opts)
	}
	dedupe, err := keyset.New(keyset.Options{Dir: opts.TempDir})
	if err != nil {
		_ = w.Abort()
		closeJournal(j, false)
		return summary, fmt.Errorf("duplicate detection: %w", err)
	}
	defer dedupe.Close()
	ms := &mapStage{set: set, action: opts.Action, dedupe: dedupe, confirmed: confirmed,
		encode: sk.needsPayload(), stop: stop, fin: fin}
	entered, readErr := pipeline(stop, set, ms, sk, opts.Progress)
	if j != nil {
		j.drain() // its last confirmed rows go to the report first
	}
	if ctx.Err() != nil {
		stop.stop(reports.StopInterrupted, nil)
	}

	counts, collErr := fin.coll.result(entered)
	summary.Counts, summary.Rows = counts, entered
	if snd != nil {
		summary.Requests, summary.Retries = snd.requests.Load(), snd.retries.Load()
		summary.Resends, summary.Splits, summary.Bytes = snd.resends.Load(), snd.splits.Load(), snd.bytes.Load()
		summary.RequestCodes = snd.codes.snapshot()
	}
	summary.BytesRead = set.bytesRead()
	summary.Duration = time.Since(start)
	summary.Stopped = stop.reason()
	if summary.Stopped == "" && fin.overRate(entered) {
		summary.Stopped = reports.StopMaxErrorRate // the check at the end
	}

	runErr := errors.Join(readErr, collErr, stop.err())
	if runErr != nil && summary.Stopped == "" {
		summary.Stopped = reports.StopFatal
	}
	if payload != nil {
		if err := payload.Flush(); err != nil {
			runErr = errors.Join(runErr, fmt.Errorf("payloads: %w", err))
		}
	}
	complete := runErr == nil && summary.Stopped == ""
	runErr = errors.Join(runErr, closeJournal(j, complete))
	if collErr != nil {
		_ = w.Abort()
		return summary, runErr
	}
	return summary, errors.Join(runErr, w.Finish(summary))
}

// pipeline runs the stages: reading on its own goroutine, mapping on this
// one, then the sink's batching and sending; the collector writes the
// report on its own. It returns how many rows entered the run.
func pipeline(stop *stopper, set *inputSet, ms *mapStage, sk sink, progress *Progress) (int64, error) {
	chunks := make(chan chunk, 4)
	go readRecords(context.WithoutCancel(stop.readCtx), set, progress, chunks)
	defer func() {
		for range chunks { // let the reader finish if mapping stopped early
		}
	}()
	ob := &outbox{c: ms.fin.coll}
	entered, err := ms.run(chunks, ob, sk.add)
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

func closeJournal(j *journal, complete bool) error {
	if j == nil {
		return nil
	}
	return j.close(complete)
}
