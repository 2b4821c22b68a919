package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/importer"
	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/state"
)

// stateOptions are the flags of recurring loads: the --state file and
// what it is used for.
type stateOptions struct {
	Path            string
	ChangedOnly     bool
	FullRefresh     bool
	OnRemoved       string
	MinRowsRatio    float64
	MaxRemovedRatio float64
	Force           bool
	Reprocess       bool
}

// The --on-removed values.
const (
	onRemovedReport      = "report"
	onRemovedStop        = "stop"
	onRemovedUnsubscribe = "unsubscribe"
)

func (s *stateOptions) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&s.Path, "state", "", "a state file for a recurring load (one per scheduled job): what was sent, for --changed-only, the removed leads and the guards")
	fl.BoolVar(&s.ChangedOnly, "changed-only", false, "with --state: send only new and changed leads; the rest are reported unchanged")
	fl.BoolVar(&s.FullRefresh, "full-refresh", false, "with --state: send every lead and rewrite the state")
	fl.StringVar(&s.OnRemoved, "on-removed", onRemovedReport, "with --state, leads of the state absent from the input: report (list them in REPORT.removed.csv), stop or unsubscribe them")
	fl.Float64Var(&s.MinRowsRatio, "min-rows-ratio", state.DefaultMinRowsRatio, "with --state: refuse (exit 5) an input with fewer rows than this share of the last completed run's")
	fl.Float64Var(&s.MaxRemovedRatio, "max-removed", state.DefaultMaxRemovedRatio, "with --state: refuse (exit 5) when more than this share of the state's leads are absent from the input")
	fl.BoolVar(&s.Force, "force", false, "run although a guard would refuse it")
	fl.BoolVar(&s.Reprocess, "reprocess", false, "with --state: read inputs an earlier run imported completely (skipped otherwise)")
}

// check refuses combinations that make no sense (a usage error).
func (s *stateOptions) check() error {
	if s.OnRemoved == "" { // a command without the state flags
		s.OnRemoved = onRemovedReport
	}
	switch {
	case s.Path == "" && (s.ChangedOnly || s.FullRefresh || s.Reprocess || s.OnRemoved != onRemovedReport):
		return errors.New("--changed-only, --full-refresh, --reprocess and --on-removed need --state")
	case s.ChangedOnly && s.FullRefresh:
		return errors.New("--changed-only and --full-refresh contradict each other")
	case s.OnRemoved != onRemovedReport && s.OnRemoved != onRemovedStop && s.OnRemoved != onRemovedUnsubscribe:
		return fmt.Errorf("--on-removed %q: want report, stop or unsubscribe", s.OnRemoved)
	case s.MinRowsRatio < 0 || s.MinRowsRatio > 1:
		return fmt.Errorf("--min-rows-ratio %g: want a share from 0 to 1", s.MinRowsRatio)
	case s.MaxRemovedRatio < 0 || s.MaxRemovedRatio > 1:
		return fmt.Errorf("--max-removed %g: want a share from 0 to 1", s.MaxRemovedRatio)
	}
	return nil
}

// apply sets the importer's state options.
func (s *stateOptions) apply(opts *importer.Options, store *state.Store) {
	opts.State = store
	opts.ChangedOnly, opts.FullRefresh = s.ChangedOnly, s.FullRefresh
	opts.MinRowsRatio, opts.MaxRemovedRatio = s.MinRowsRatio, s.MaxRemovedRatio
	opts.Force, opts.Reprocess = s.Force, s.Reprocess
	opts.KeepRemoved = s.OnRemoved != onRemovedReport
}

// actOnRemoved stops or unsubscribes the leads a run listed as removed,
// through the same pipeline (rate limit, retries, journal, report): a second
// run over the removed list, whose report is REPORT.removed-<op>.csv. Each
// lead it acts on is forgotten by the state; one it could not stays, to be
// listed again next time.
func actOnRemoved(ctx context.Context, opts importer.Options, c *client.Client, op string, summary *reports.Summary) error {
	summary.RemovedAction = reports.RemovedAction(op)
	if summary.Removed == 0 || summary.RemovedList == "" {
		return nil
	}
	cfg, err := mapping.KeysConfig(reports.RemovedColumns())
	if err != nil {
		return err
	}
	second := opts
	second.Files, second.Inputs = []string{summary.RemovedList}, nil
	second.Mapping, second.KeysFromHeader = cfg, true
	second.Action = importer.LeadOps{Client: c, Op: importer.LeadOp(op)}
	second.ReportPath = opts.ReportPath + ".removed-" + op + ".csv"
	second.State, second.ForgetIn = nil, opts.State
	second.ChangedOnly, second.FullRefresh, second.KeepRemoved = false, false, false
	second.Progress = &importer.Progress{}
	second.MaxErrors, second.MaxErrorRate = 0, 0
	rs, err := importer.Run(ctx, second)
	summary.RemovedActed = rs.Counts[reports.StatusSent]
	if err != nil {
		return fmt.Errorf("--on-removed %s: %w (report %s)", op, err, second.ReportPath)
	}
	return nil
}

// openState opens the --state file. A dry run never writes it: it reads an
// existing one, and without one it runs as a first run would.
func openState(ctx context.Context, path string, dryRun bool, log *slog.Logger) (*state.Store, error) {
	if dryRun {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			log.Info("no --state file yet: the dry run reads the input as a first run would", "state", path)
			return nil, nil
		}
	}
	store, err := state.Open(ctx, path, state.Options{ReadOnly: dryRun})
	if err != nil {
		return nil, fmt.Errorf("--state: %w", err)
	}
	return store, nil
}
