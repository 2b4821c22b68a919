package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/xonvo/xonvo-import/keyset"
	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/source"
	"github.com/xonvo/xonvo-import/state"
)

// ErrGuard wraps a --state guard's refusal (exit 5): the input looks
// truncated or empty next to the last run, or too many leads disappeared.
var ErrGuard = errors.New("guard")

// guardRefusal is a guard's refusal: errors.Is(err, ErrGuard) holds, and
// its text is the guard's own ("guard: the input looks truncated: …"),
// without ErrGuard's word repeated in front.
type guardRefusal struct{ err error }

func (g guardRefusal) Error() string {
	return g.err.Error() + "; nothing was sent (--force runs anyway)"
}
func (g guardRefusal) Unwrap() error        { return g.err }
func (g guardRefusal) Is(target error) bool { return target == ErrGuard }

// statePlan is what a run with --state learns before anything is sent: a
// first pass over the inputs counts their rows and gathers every lead key,
// so that the leads the state holds and the input lacks are known, and the
// guard can refuse an export that looks truncated.
type statePlan struct {
	store *state.Store
	// seen holds the key of every valid lead of the input with its first
	// row, for removed detection; it is closed before the second pass.
	seen *keyset.Set
	// repeated holds, with its first row, each key the first pass saw more
	// than once: all the second pass needs to find duplicates, where asking
	// seen would cost a disk read for every row once seen has spilled.
	// Fingerprints are seen's (keyset.Options.FingerprintsOf).
	repeated *keyset.Set
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
	p.closeFirstPass()
	_ = p.repeated.Close()
}

// closeFirstPass releases the sets only the first pass and removed
// detection need (their memory and spill files); Close is idempotent.
func (p *statePlan) closeFirstPass() {
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
	// seen takes 32 MiB rather than the default 48: at 5M keys it spills
	// more runs (merged once, before removed detection), and the run's peak
	// while it walks the state, with seen and present full, stays under
	// 150 MB.
	if p.seen, err = keyset.New(keyset.Options{Dir: opts.TempDir, MemoryBudget: 32 << 20}); err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	if p.present, err = keyset.New(keyset.Options{Dir: opts.TempDir, MemoryBudget: 8 << 20}); err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	if p.repeated, err = keyset.New(keyset.Options{Dir: opts.TempDir, MemoryBudget: 16 << 20, FingerprintsOf: p.seen}); err != nil {
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
	p.closeFirstPass()
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
		return p, guardRefusal{gerr}
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
		if err := p.scanLead(&m, fi, rec.Row); err != nil {
			return fmt.Errorf("state: %w", err)
		}
	}
}

// scanLead files one mapped row's key: a valid lead's in seen (and in
// repeated when seen had it), an invalid one's in present, and the
// (account, phone) of a lead keyed by externalId in present too. present
// is only asked Contains, so it takes Insert: no disk read for a repeat.
func (p *statePlan) scanLead(m *mapping.Result, file, row int) error {
	if !m.Valid() {
		return p.present.Insert(m.AccountID, m.Lead.ExternalID, m.Lead.Phone)
	}
	fp := p.seen.Fingerprint(m.AccountID, m.Lead.ExternalID, m.Lead.Phone)
	first, dup, err := p.seen.AddFingerprint(fp, file, row)
	if err != nil {
		return err
	}
	if dup {
		if _, _, err := p.repeated.AddFingerprint(fp, first.File, first.Row); err != nil {
			return err
		}
	}
	if m.Lead.ExternalID != "" && m.Lead.Phone != "" {
		return p.present.Insert(m.AccountID, "", m.Lead.Phone)
	}
	return nil
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
// key, so a row is a duplicate when its key was repeated and its first row
// is another one. A key the first pass saw once is never looked for on disk.
func (p *statePlan) firstSeen(fp keyset.Fingerprint, file, row int) (keyset.Occurrence, bool, error) {
	first, repeated, err := p.repeated.Lookup(fp)
	if err != nil || !repeated {
		return keyset.Occurrence{}, false, err
	}
	return first, first != (keyset.Occurrence{File: file, Row: row}), nil
}
