package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/xonvo/xonvo-import/sandbox"
)

// Goal of a rate row: the client uses nearly all of --rate once the bucket
// is in its steady state, and never exceeds rate + burst in any second.
const (
	minUtilisation = 0.98
	// warmUp is left out of the utilisation: the bucket starts full.
	warmUp = time.Second
	// rateBatch is the rows per request of the rate runs (--batch-size).
	rateBatch = 10
	// rateBurst is --burst of the rate runs, the CLI's default, passed
	// explicitly so that the bound in the table is the one the run had.
	rateBurst = 1
)

// rateCase is one import paced by the bucket against a server of fixed
// latency, sized by the requests it should make.
type rateCase struct {
	latency  time.Duration
	rate     int // --rate, requests per second
	requests int // rows are requests × rateBatch
}

// rateRow is what the sandbox's request log says about one rateCase.
type rateRow struct {
	rateCase
	seen   int           // requests in the log
	failed int           // requests not answered 200
	steady time.Duration // span of the arrivals after warmUp
	perSec float64       // mean arrival rate over steady
	util   float64       // perSec / rate
	worst  int           // most arrivals in any one-second window, warm-up included
	rows   int           // leads sent
	held   int           // leads the sandbox holds afterwards
	wall   time.Duration // the import's wall time
}

func (r rateRow) bound() int { return r.rate + rateBurst }

// verdict is "yes", or "no" with what missed the goal.
func (r rateRow) verdict() string {
	v := ""
	if r.util < minUtilisation {
		v += ", utilisation"
	}
	if r.worst > r.bound() {
		v += ", window"
	}
	if r.failed > 0 {
		v += fmt.Sprintf(", %d requests not 200", r.failed)
	}
	if r.held != r.rows {
		v += fmt.Sprintf(", sandbox holds %d of %d leads", r.held, r.rows)
	}
	if v == "" {
		return "yes"
	}
	return "no:" + v[1:]
}

// analyseRate computes a row from the request log, with the log's own
// measures: utilisation over the arrivals from warmUp after the first one
// to the last, the worst window over all of them.
func analyseRate(c rateCase, log sandbox.RequestLog) rateRow {
	r := rateRow{rateCase: c, seen: len(log), worst: log.MaxInWindow(time.Second)}
	if len(log) == 0 {
		return r
	}
	first := log[0].Time
	for _, rec := range log {
		if rec.Time.Before(first) {
			first = rec.Time
		}
		if rec.Status != 200 {
			r.failed++
		}
	}
	var steady sandbox.RequestLog
	for _, rec := range log {
		if rec.Time.Sub(first) >= warmUp {
			steady = append(steady, rec)
		}
	}
	r.steady = steady.Span()
	r.perSec = steady.PerSecond()
	r.util = steady.Utilisation(float64(c.rate))
	return r
}

// rateRun imports c.requests × rateBatch generated rows into a sandbox
// started with --latency c.latency, with default flags but --rate, --burst
// and --batch-size, and adds its row.
func (b *bench) rateRun(ctx context.Context, c rateCase) error {
	in := csvInput(c.requests * rateBatch)
	path, err := b.path(ctx, in)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp(b.work, "rate-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	sb, err := b.startSandbox(ctx, dir, "--latency", c.latency.String())
	if err != nil {
		return err
	}
	defer sb.stop()
	// Twice the paced duration and a minute more: a run that slow has
	// failed anyway, and a hang must not stall the bench.
	expect := time.Duration(c.requests) * time.Second / time.Duration(c.rate)
	rctx, cancel := context.WithTimeout(ctx, 2*expect+time.Minute)
	defer cancel()
	args := append([]string{"import", path, "--mapping", b.cfg.mapping, "--report", "report.csv", "--quiet"}, sb.connArgs()...)
	args = append(args, "--rate", fmt.Sprint(c.rate), "--burst", fmt.Sprint(rateBurst), "--batch-size", fmt.Sprint(rateBatch))
	s, err := b.runBinary(rctx, dir, args...)
	if err != nil {
		return fmt.Errorf("rate run at %s, %d/s: %w", c.latency, c.rate, err)
	}
	log, err := sb.requests(ctx)
	if err != nil {
		return err
	}
	r := analyseRate(c, log)
	r.rows, r.wall = in.rows, s.dur
	if r.held, err = sb.leadsHeld(ctx); err != nil {
		return err
	}
	if err := b.keepRequestLog(c, log); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "rate %5s x %2d/s: %d requests, %.2f req/s over %.1fs steady (%.1f %%), most in 1 s %d (bound %d), %s\n",
		c.latency, c.rate, r.seen, r.perSec, r.steady.Seconds(), 100*r.util, r.worst, r.bound(), r.verdict())
	b.rates = append(b.rates, r)
	return nil
}

// keepRequestLog writes the log as JSON under -rate-logs, for a closer
// look at a row; nothing without the flag.
func (b *bench) keepRequestLog(c rateCase, log sandbox.RequestLog) error {
	if b.cfg.rateLogs == "" {
		return nil
	}
	if err := os.MkdirAll(b.cfg.rateLogs, 0o755); err != nil {
		return err
	}
	data, err := json.Marshal(log)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("requests-%s-%d.json", c.latency, c.rate)
	return os.WriteFile(filepath.Join(b.cfg.rateLogs, name), data, 0o644)
}
