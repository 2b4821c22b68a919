package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/xonvo/xonvo-import/importer"
)

// logEvery is how often progress is logged when stderr is not a terminal.
const logEvery = 10 * time.Second

// startProgress draws a bar on stderr when it is a terminal, else logs a line
// every 10 s. The returned function stops it.
func startProgress(ctx context.Context, stderr io.Writer, log *slog.Logger, p *importer.Progress, quiet bool) func() {
	if quiet {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	start := time.Now()
	if isTerminal(stderr) {
		go func() {
			defer close(done)
			drawBar(ctx, stderr, p)
		}()
	} else {
		go func() {
			defer close(done)
			t := time.NewTicker(logEvery)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					read := p.Read.Load()
					log.Info("progress", "rows_read", read, "rows_done", p.Done.Load(), "rows_sent", p.Sent.Load(),
						"rows_per_second", int64(float64(read)/time.Since(start).Seconds()))
				}
			}
		}()
	}
	return func() {
		cancel()
		<-done
	}
}

// barSteps is the bar's resolution: progress is a fraction of the input
// read (bytes for text, rows for a sheet, averaged over the inputs).
const barSteps = 1000

// drawBar shows how much of the input has been read (so the ETA is known)
// with rows in the description; a spinner when the input's size is unknown.
func drawBar(ctx context.Context, w io.Writer, p *importer.Progress) {
	total := int64(barSteps)
	if _, known := p.Fraction(); !known {
		total = -1
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
	)
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	start := time.Now()
	for {
		select {
		case <-ctx.Done():
			_ = bar.Finish()
			return
		case <-t.C:
			read, sent := p.Read.Load(), p.Sent.Load()
			rps := float64(read) / max(time.Since(start).Seconds(), 0.001)
			bar.Describe(formatRows(read, sent, rps))
			if f, known := p.Fraction(); known {
				_ = bar.Set64(int64(f * barSteps))
			}
		}
	}
}

func formatRows(read, sent int64, rps float64) string {
	return fmt.Sprintf("rows read %d, sent %d, %.0f rows/s", read, sent, rps)
}
