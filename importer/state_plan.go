package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/xonvo/xonvo-import/keyset"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/source"
	"github.com/xonvo/xonvo-import/state"
)

// ErrGuard wraps a --state guard's refusal (exit 5): the input looks
// truncated or empty next to the last run, or too many leads disappeared.
var ErrGuard = errors.New("guard")

// statePlan is what a run with --state learns before anything is sent: a
// first pass over the inputs counts their rows and gathers every lead key,
// so that the leads the state holds and the input lacks are known, and the
// guard can refuse an export that looks truncated.
type statePlan struct {
	store *state.Store
	// seen holds the key of every valid lead of the input with its first
	// row; the second pass finds duplicates in it.
	seen *keyset.Set
	// present holds what else says a lead is still in the input: the keys
	// of invalid rows (a lead with a bad phone today has not disappeared),
	// and (account, phone) of leads keyed by externalId (a lead the state
	// keys by phone that has since gained an externalId has not either).
	present     *keyset.Set
	rows        int64
	removed     int64
	removedList string
	last        state.RunInfo
	hasLast     bool
}

func (p *statePlan) close() {
	if p == nil {
		return
	}
	_ = p.seen.Close()
	_ = p.present.Close()
}

// planState reads every input once (without sending), lists the removed
// leads in REPORT.removed.csv and applies the guard.
func planState(ctx context.Context, set *inputSet, opts *Options) (_ *statePlan, err error) {
	p := &statePlan{store: opts.State, removedList: reports.RemovedListPath(opts.ReportPath)}
	defer func() {
		if err != nil {
			p.close()
		}
	}()
	if p.seen, err = keyset.New(keyset.Options{Dir: opts.TempDir}); err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	if p.present, err = keyset.New(keyset.Options{Dir: opts.TempDir, MemoryBudget: 8 << 20}); err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	if p.last, p.hasLast, err = p.store.LastCompletedRun(); err != nil {
		return nil, err
	}
	if err := p.scan(ctx, set, opts); err != nil {
		return nil, err
	}
	if err := p.listRemoved(ctx, opts.Logger); err != nil {
		return nil, err
	}
	if set.skipped > 0 || opts.Force {
		return p, nil // a partial input says nothing of the whole; --force overrides
	}
	leads, err := p.store.Len()
	if err != nil {
		return nil, err
	}
	gerr := state.Guard(state.GuardInput{Rows: p.rows, LastRows: p.last.Rows, HasLast: p.hasLast,
		StateLeads: leads, Removed: p.removed, MinRowsRatio: opts.MinRowsRatio, MaxRemovedRatio: opts.MaxRemovedRatio})
	if gerr != nil {
		return p, fmt.Errorf("%w: %w; nothing was sent (--force runs anyway)", ErrGuard, gerr)
	}
	return p, nil
}

// scan is the first pass: every record of every input, mapped for its key.
// Valid leads go to seen, in input order, as the second pass would add them;
// an invalid row still names its lead, which goes to present.
func (p *statePlan) scan(ctx context.Context, set *inputSet, opts *Options) error {
	for fi := range set.inputs {
		in := &set.inputs[fi]
		src, err := in.in.Open(ctx, set.reopenOptions(in))
		if err != nil {
			return err
		}
		err = p.scanInput(ctx, src, in, fi)
		if cerr := src.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (p *statePlan) scanInput(ctx context.Context, src source.Source, in *input, fi int) error {
	for {
		rec, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if rec.Skip != "" {
			continue // a footer line is not a lead
		}
		p.rows++
		if rec.Problem != "" {
			continue
		}
		m := in.mapper.Map(rec.Cells)
		keys := p.seen
		if !m.Valid() {
			keys = p.present
		}
		if _, _, err := keys.Add(m.AccountID, m.Lead.ExternalID, m.Lead.Phone, fi, rec.Row); err != nil {
			return fmt.Errorf("state: %w", err)
		}
		if m.Lead.ExternalID != "" && m.Lead.Phone != "" {
			if _, _, err := p.present.Add(m.AccountID, "", m.Lead.Phone, fi, rec.Row); err != nil {
				return fmt.Errorf("state: %w", err)
			}
		}
	}
}

// removedBatch is how many state keys are looked up in the input's key set
// at once: sorted batches read the spilled keys in one pass.
const removedBatch = 64 << 10

// listRemoved writes the leads the state holds and the input lacks to the
// removed list, and counts them.
func (p *statePlan) listRemoved(ctx context.Context, log *slog.Logger) error {
	w, err := reports.CreateRemoved(p.removedList)
	if err != nil {
		return err
	}
	var (
		keys    []keyset.Key
		entries []state.Entry
		skeys   []state.Key
		in      = make([]bool, 0, removedBatch)
	)
	flush := func() error {
		in = in[:len(keys)]
		if err := p.seen.ContainsMany(keys, in); err != nil {
			return err
		}
		for i, present := range in {
			if present {
				continue
			}
			k := skeys[i]
			if there, err := p.present.Contains(k.AccountID, k.ExternalID, k.Phone); err != nil || there {
				if err != nil {
					return err
				}
				continue
			}
			p.removed++
			if err := w.Write(reports.RemovedLead{AccountID: k.AccountID, ExternalID: k.ExternalID, Phone: k.Phone, LastSent: entries[i].SentAt}); err != nil {
				return err
			}
		}
		keys, entries, skeys = keys[:0], entries[:0], skeys[:0]
		return nil
	}
	err = p.store.ForEach(ctx, func(k state.Key, e state.Entry) error {
		keys = append(keys, keyset.Key{Account: k.AccountID, ExternalID: k.ExternalID, Phone: k.Phone})
		skeys, entries = append(skeys, k), append(entries, e)
		if len(keys) == removedBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		_ = w.Abort()
		return fmt.Errorf("list the removed leads: %w", err)
	}
	if err := w.Finish(); err != nil {
		return err
	}
	if p.removed > 0 {
		log.Info("leads the state holds are absent from this input", "removed", p.removed, "list", p.removedList)
	}
	return nil
}

// firstSeen is the second pass's duplicate check: the first pass saw every
// key, so a row is a duplicate when its key's first row is another one.
func (p *statePlan) firstSeen(fp keyset.Fingerprint, file, row int) (keyset.Occurrence, bool, error) {
	first, dup, err := p.seen.AddFingerprint(fp, file, row)
	if err != nil || !dup {
		return first, false, err
	}
	return first, first != (keyset.Occurrence{File: file, Row: row}), nil
}
