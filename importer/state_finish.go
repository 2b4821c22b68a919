package importer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/state"
)

// drift compares this run's columns with the last completed run's and
// warns about the difference: a column renamed in the export would silently
// stop filling a field.
func (p *statePlan) drift(header []string, log *slog.Logger) (added, removed []string) {
	if !p.hasLast || len(p.last.Header) == 0 {
		return nil, nil
	}
	added, removed = state.HeaderDrift(p.last.Header, header)
	if len(added) > 0 || len(removed) > 0 {
		log.Warn("the input's columns changed since the last completed run", "added", added, "removed", removed)
	}
	return added, removed
}

// recordRun writes the run's record in --state; a complete run also marks
// its inputs imported and, unless a second run acts on them, forgets the
// leads it listed as removed (each is listed once).
func recordRun(opts *Options, set *inputSet, plan *statePlan, s reports.Summary, complete bool) error {
	ctx := context.Background() // recording what happened must survive an interrupt
	info := state.RunInfo{At: time.Now(), Completed: complete, Rows: s.Rows, Header: set.header, Inputs: set.names(),
		Mode: opts.Action.Key(), Sent: s.Counts[reports.StatusSent], Unchanged: s.Counts[reports.StatusUnchanged], Removed: s.Removed}
	if _, err := opts.State.RecordRun(info); err != nil {
		return fmt.Errorf("record the run in --state: %w", err)
	}
	if !complete {
		return nil
	}
	var errs []error
	for _, in := range set.inputs {
		fp, err := set.fingerprint(ctx, in.in)
		if err == nil {
			err = opts.State.MarkFileDone(fp.state(), info.At)
		}
		errs = append(errs, err)
	}
	if plan != nil && plan.removed > 0 && !opts.KeepRemoved {
		errs = append(errs, forgetListed(ctx, opts.State, plan.removedList))
	}
	return errors.Join(errs...)
}

// forgetListed removes the leads of a removed list from the state.
func forgetListed(ctx context.Context, store *state.Store, list string) error {
	var keys []state.Key
	flush := func() error {
		_, err := store.Delete(keys)
		keys = keys[:0]
		return err
	}
	for l, err := range reports.RemovedLeads(ctx, list) {
		if err != nil {
			return fmt.Errorf("forget the removed leads: %w", err)
		}
		keys = append(keys, state.Key{AccountID: l.AccountID, ExternalID: l.ExternalID, Phone: l.Phone})
		if len(keys) == flushEvery {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
