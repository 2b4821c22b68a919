package importer

import (
	"fmt"
	"sync"
	"time"

	"github.com/xonvo/xonvo-import/state"
)

// stateRecorder keeps --state in step with what the server confirmed: the
// journal calls record after each group of confirmed batches is fsynced, so
// a kill at any moment neither records a lead the server did not confirm
// nor loses one it did (a lead confirmed but not yet recorded is already
// sent per the journal, and --resume records it then).
type stateRecorder struct {
	store       *state.Store
	action      string // the action's key: part of every hash
	changedOnly bool
	forget      bool // remove confirmed leads instead of recording them
	now         func() time.Time

	mu      sync.Mutex
	pending []state.Confirmed // leads an interrupted run confirmed, to record
}

// newStateRecorder is the recorder of a run with --state, nil without.
func newStateRecorder(opts *Options) *stateRecorder {
	switch {
	case opts.ForgetIn != nil:
		return &stateRecorder{store: opts.ForgetIn, action: opts.Action.Key(), forget: true, now: time.Now}
	case opts.State != nil:
		return &stateRecorder{store: opts.State, action: opts.Action.Key(), changedOnly: opts.ChangedOnly && !opts.FullRefresh, now: time.Now}
	}
	return nil
}

// flushed records what is pending and reports the error, if any; nil for a
// nil recorder.
func (r *stateRecorder) flushed() error {
	if r == nil {
		return nil
	}
	if err := r.flush(); err != nil {
		return fmt.Errorf("record in --state: %w", err)
	}
	return nil
}

// flushEvery is how many leads confirmed by an earlier run are recorded in
// one transaction.
const flushEvery = 1024

// hash is what the state compares: the action (add and update send the
// same body) and the exact payload.
func (r *stateRecorder) hash(payload []byte) state.Hash {
	b := make([]byte, 0, len(r.action)+1+len(payload))
	b = append(append(append(b, r.action...), '\n'), payload...)
	return state.PayloadHash(b)
}

func keyOf(it *Item) state.Key {
	return state.Key{AccountID: it.AccountID, ExternalID: it.ExternalID, Phone: it.Phone}
}

// unchanged reports whether the state holds it's exact payload as
// confirmed (--changed-only).
func (r *stateRecorder) unchanged(it *Item) (bool, error) {
	if !r.changedOnly {
		return false, nil
	}
	e, found, err := r.store.Get(keyOf(it))
	if err != nil {
		return false, fmt.Errorf("state: %w", err)
	}
	return found && e.Hash == it.hash, nil
}

// record writes a group of confirmed leads in one transaction.
func (r *stateRecorder) record(items []*Item) error {
	if r.forget {
		keys := make([]state.Key, len(items))
		for i, it := range items {
			keys[i] = keyOf(it)
		}
		_, err := r.store.Delete(keys)
		return err
	}
	now := r.now()
	leads := make([]state.Confirmed, 0, len(items))
	for _, it := range items {
		leads = append(leads, state.Confirmed{Key: keyOf(it), Hash: it.hash, SentAt: now})
	}
	return r.store.Confirm(leads)
}

// alreadySent records a lead an interrupted run's journal confirmed: the
// run may have been killed between the journal's fsync and the state's.
func (r *stateRecorder) alreadySent(it *Item) error {
	if r.forget {
		return nil
	}
	r.mu.Lock()
	r.pending = append(r.pending, state.Confirmed{Key: keyOf(it), Hash: it.hash, SentAt: r.now()})
	full := len(r.pending) >= flushEvery
	r.mu.Unlock()
	if full {
		return r.flush()
	}
	return nil
}

// flush records the pending leads.
func (r *stateRecorder) flush() error {
	r.mu.Lock()
	pending := r.pending
	r.pending = nil
	r.mu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	return r.store.Confirm(pending)
}
