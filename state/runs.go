package state

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// keptRuns is how many runs the history keeps; the last completed run is
// kept apart, so a streak of failed runs never pushes it out.
const keptRuns = 100

// RunInfo is one run of the job, as the guard and the header-drift check
// need it, with its counts for whoever reads the history.
type RunInfo struct {
	// ID numbers the runs of this state file from 1; RecordRun assigns it.
	ID uint64 `json:"id"`
	// At is when the run started.
	At time.Time `json:"at"`
	// Completed is true when every input row reached an outcome.
	Completed bool `json:"completed"`
	// Rows is the number of data rows read from the inputs.
	Rows int64 `json:"rows"`
	// Header is the header of the input (the first file's, when several).
	Header []string `json:"header,omitempty"`
	// Inputs names the files read, in order.
	Inputs []string `json:"inputs,omitempty"`
	// Mode is the import mode (add or update); OnRemoved what was done with
	// removed leads (report, stop or unsubscribe).
	Mode      string `json:"mode,omitempty"`
	OnRemoved string `json:"onRemoved,omitempty"`
	// Counts of leads sent, left unchanged, and found removed.
	Sent      int64 `json:"sent"`
	Unchanged int64 `json:"unchanged"`
	Removed   int64 `json:"removed"`
}

// RecordRun appends r to the run history (keeping the last 100) and, when r
// is Completed, makes it the run LastCompletedRun returns. It returns r with
// its ID. An interrupted run should be recorded too, as not completed: it
// stays in the history and leaves the guard's reference unchanged.
func (s *Store) RecordRun(r RunInfo) (RunInfo, error) {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketRuns)
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		r.ID = id
		v, err := json.Marshal(r)
		if err != nil {
			return err
		}
		var k [8]byte
		binary.BigEndian.PutUint64(k[:], id)
		if err := b.Put(k[:], v); err != nil {
			return err
		}
		if id > keptRuns {
			c := b.Cursor()
			for ck, _ := c.First(); ck != nil && binary.BigEndian.Uint64(ck) <= id-keptRuns; ck, _ = c.First() {
				if err := c.Delete(); err != nil {
					return err
				}
			}
		}
		if r.Completed {
			return tx.Bucket(bucketMeta).Put(metaLastCompleted, v)
		}
		return nil
	})
	if err != nil {
		return RunInfo{}, fmt.Errorf("state: %s: record run: %w", s.path, err)
	}
	return r, nil
}

// LastCompletedRun returns the most recent run recorded as completed, and
// false when there is none (the job's first run, or none finished yet).
func (s *Store) LastCompletedRun() (RunInfo, bool, error) {
	var r RunInfo
	var found bool
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketMeta).Get(metaLastCompleted)
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &r)
	})
	if err != nil {
		return RunInfo{}, false, fmt.Errorf("state: %s: last completed run: %w", s.path, err)
	}
	return r, found, nil
}

// Runs returns up to limit runs of the history, newest first (limit <= 0:
// all that are kept).
func (s *Store) Runs(limit int) ([]RunInfo, error) {
	var runs []RunInfo
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketRuns).Cursor()
		for k, v := c.Last(); k != nil && (limit <= 0 || len(runs) < limit); k, v = c.Prev() {
			var r RunInfo
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("run %d: %w", binary.BigEndian.Uint64(k), err)
			}
			runs = append(runs, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("state: %s: runs: %w", s.path, err)
	}
	return runs, nil
}

// HeaderDrift compares the header of the last completed run with this one's
// and returns the column names added and removed, each in the order of the
// header it comes from. Names compare exactly (a column renamed from
// "phone" to "Phone" shows as one removed and one added: the mapping may
// still match it, but the export changed). A name repeated in a header
// counts as many times as it appears.
func HeaderDrift(old, new []string) (added, removed []string) {
	return missingFrom(new, old), missingFrom(old, new)
}

// missingFrom returns the names of a that b lacks, as a multiset.
func missingFrom(a, b []string) []string {
	left := make(map[string]int, len(b))
	for _, n := range b {
		left[n]++
	}
	var out []string
	for _, n := range a {
		if left[n] > 0 {
			left[n]--
			continue
		}
		out = append(out, n)
	}
	return out
}
