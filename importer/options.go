package importer

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/source"
	"github.com/xonvo/xonvo-import/state"
)

// Defaults chosen conservatively, since the API documents no limits.
const (
	DefaultBatchRows  = 100
	DefaultBatchBytes = 1 << 20
	DefaultWindow     = 10_000
	// DefaultConcurrency is the most requests in flight; the adaptive
	// limiter (package adaptive) decides how many of them are used, from
	// the rate and the latency it sees.
	DefaultConcurrency = 64
	DefaultGrace       = 5 * time.Second
)

// Options configure one run.
type Options struct {
	// Files are the inputs as given (paths, "-", globs, object URLs),
	// resolved by the run; Inputs, when set, are inputs the caller resolved
	// already (and closes): then Files is only for the summary.
	Files   []string
	Inputs  []*source.Input
	Mapping *mapping.Config
	// KeysFromHeader says Mapping was found from the input's header
	// (mapping.KeysConfig), not written for the input: see bindHeader.
	KeysFromHeader bool
	Action         Action
	// DryRun validates and writes the report (and payloads) without sending.
	DryRun       bool
	ReportPath   string
	ReportBOM    bool   // a UTF-8 byte order mark first in a CSV report, for Excel
	PayloadsPath string // dry run: the exact request bodies, one per line
	BatchRows    int
	BatchBytes   int
	Window       int
	Concurrency  int
	MaxErrors    int
	// MaxErrorRate (0–1) stops the run once more than this share of the
	// rows so far had errors, checked from the 1,000th row and at the end.
	MaxErrorRate float64
	Resume       bool
	// Grace is how long in-flight requests may finish after an interrupt.
	Grace time.Duration
	// State is the --state store of a recurring load; nil for none. With
	// it, a first pass over the inputs lists the leads that disappeared and
	// the guard may refuse the run; confirmed leads are recorded in it.
	State *state.Store
	// ChangedOnly reports a lead whose payload the state confirmed before
	// as unchanged instead of sending it. FullRefresh sends every lead
	// and rewrites the state.
	ChangedOnly, FullRefresh bool
	// MinRowsRatio and MaxRemovedRatio are the guard's limits; Force
	// overrides the guard.
	MinRowsRatio, MaxRemovedRatio float64
	Force                         bool
	// Reprocess reads inputs an earlier run imported completely, which are
	// skipped otherwise.
	Reprocess bool
	// KeepRemoved keeps the leads that disappeared in the state after the
	// run (--on-removed stop|unsubscribe: a second run acts on them and
	// forgets each one it acted on); otherwise, once listed, they are
	// forgotten, so a lead is listed once and never counts twice against
	// --max-removed.
	KeepRemoved bool
	// ForgetIn, for the run that acts on the removed leads (whose State is
	// nil), is the state from which each lead the server confirms is
	// removed.
	ForgetIn *state.Store
	// TempDir holds the spill files of duplicate detection; "" is the
	// system's temporary directory.
	TempDir  string
	Source   source.Options
	Progress *Progress
	Logger   *slog.Logger
}

func (o *Options) defaults() error {
	if len(o.Files) == 0 && len(o.Inputs) == 0 {
		return errors.New("no input file given")
	}
	if o.Mapping == nil || o.Action == nil {
		return errors.New("a mapping and an action are required")
	}
	if o.ReportPath == "" {
		return errors.New("a report path is required")
	}
	if o.BatchRows <= 0 {
		o.BatchRows = DefaultBatchRows
	}
	if !o.Action.Batched() {
		o.BatchRows = 1
	}
	if o.BatchBytes <= 0 {
		o.BatchBytes = DefaultBatchBytes
	}
	if o.Window <= 0 {
		o.Window = max(DefaultWindow, 4*o.BatchRows)
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.MaxErrorRate < 0 || o.MaxErrorRate > 1 {
		return fmt.Errorf("--max-error-rate %g: want a share from 0 to 1", o.MaxErrorRate)
	}
	if o.Grace <= 0 {
		o.Grace = DefaultGrace
	}
	if o.Progress == nil {
		o.Progress = &Progress{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Progress is updated while a run goes; another goroutine may read it.
type Progress struct {
	Read atomic.Int64 // rows read
	Done atomic.Int64 // rows with a final status
	Sent atomic.Int64 // rows the server accepted

	mu    sync.Mutex
	parts []part // per input: how far its reading is, in the source's own unit
}

// part is one input's progress: bytes for text, rows for a sheet. Units
// differ between inputs, so only fractions are ever added up.
type part struct{ done, total int64 }

// setPart records input i's reading progress.
func (p *Progress) setPart(i int, done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.parts) <= i {
		p.parts = append(p.parts, part{})
	}
	p.parts[i] = part{done, total}
}

// Fraction is how much of the input has been read, from 0 to 1, and
// whether it is known (every input's size is).
func (p *Progress) Fraction() (float64, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.parts) == 0 {
		return 0, false
	}
	sum := 0.0
	for _, pt := range p.parts {
		if pt.total <= 0 {
			return 0, false
		}
		sum += min(float64(pt.done)/float64(pt.total), 1)
	}
	return sum / float64(len(p.parts)), true
}
