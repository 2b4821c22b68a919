package importer

import (
	"errors"
	"fmt"
	"io"

	"github.com/xonvo/xonvo-import/keyset"
	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/source"
)

// mapStage turns records into items for the sink, or into final results:
// invalid, duplicate, already sent, or not sent after a stop.
type mapStage struct {
	set    *inputSet
	action Action
	// firstSeen finds duplicates: the key's first row, and whether this row
	// repeats it. keys is the set it adds to, which the workers take the
	// rows' fingerprints with.
	firstSeen func(fp keyset.Fingerprint, file, row int) (keyset.Occurrence, bool, error)
	keys      *keyset.Set
	state     *stateRecorder // nil without --state
	confirmed sentRows       // rows an interrupted run's journal confirms (--resume)
	encode    bool           // the sink needs each item's payload
	stop      *stopper
	fin       *finisher

	// it and scratch are reused row after row: it is passed by pointer
	// through interface calls, which would otherwise move a fresh copy to
	// the heap for every row. The mapped results are reused too, chunk
	// after chunk, their attributes maps refilled (mapping.MapInto): a sink
	// that keeps an item makes its own copy, of the map too.
	it      Item
	scratch []byte
}

// verdict is what mapping made of a row: a status to report it with now,
// or (status "") an item to hand to the sink.
type verdict struct {
	status reports.Status
	msg    string
}

// run finishes every chunk in input order, once its rows are mapped,
// reporting through ob and handing items to add, which must copy an item
// it keeps. It returns how many rows entered, and the error that ended an
// input early. Every chunk it takes goes back to fl's free list.
func (ms *mapStage) run(fl *chunkFlow, ob *outbox, add func(*Item, *outbox)) (int64, error) {
	var seq int64
	for c := range fl.ordered {
		c.mapping.Wait()
		if !ms.stop.stopped() {
			ms.keys.Prefetch(c.fps[:len(c.recs)])
		}
		in := &ms.set.inputs[c.file]
		name := in.src.Name()
		in.rows += int64(len(c.recs))
		for i := range c.recs {
			rec := &c.recs[i]
			ms.fin.enter()
			it := &ms.it
			*it = Item{seq: seq, fileIdx: c.file, File: name, Row: rec.Row, Original: ms.set.align(in, rec.Cells)}
			seq++
			v := ms.row(rec, &c.mapped[i], c.fps[i], it)
			if v.status != "" {
				ms.fin.finish(ob, it, v.status, v.msg)
				continue
			}
			add(it, ob)
		}
		err := c.err
		fl.release(c)
		if err != nil && !errors.Is(err, io.EOF) {
			return seq, err
		}
	}
	return seq, nil
}

// row decides one record's fate, filling it on the way; m is the record
// mapped (by a worker) and fp its key, unless it has a Skip or a Problem.
func (ms *mapStage) row(rec *source.Record, m *mapping.Result, fp keyset.Fingerprint, it *Item) verdict {
	if ms.stop.stopped() {
		// Rows are not mapped after a stop, but a row an earlier run's
		// journal confirms is still already sent, not "not sent".
		if ms.confirmed.has(it.fileIdx, it.Row) {
			return verdict{reports.StatusAlreadySent, "confirmed sent by the interrupted run"}
		}
		return verdict{reports.StatusNotSent, ms.stop.notSentMessage(ms.fin.limits)}
	}
	if rec.Skip != "" {
		return verdict{reports.StatusSkipped, rec.Skip}
	}
	if rec.Problem != "" {
		return verdict{reports.StatusInvalid, joinMessage(rec.Problem, rec.Warning)}
	}
	it.AccountID, it.ExternalID, it.Phone = m.AccountID, m.Lead.ExternalID, m.Lead.Phone
	it.Message = joinMessage(m.Message(), rec.Warning)
	if !m.Valid() {
		msg := it.Message
		it.Message = ""
		return verdict{reports.StatusInvalid, msg}
	}
	first, dup, err := ms.firstSeen(fp, it.fileIdx, rec.Row)
	switch {
	case err != nil:
		return verdict{reports.StatusNotSent, "not sent: " + err.Error()}
	case dup:
		return verdict{reports.StatusDuplicate, fmt.Sprintf("duplicate of row %d of %s", first.Row, ms.set.inputs[first.File].src.Name())}
	}
	if msg := ms.action.Prepare(m, it); msg != "" {
		return verdict{reports.StatusInvalid, msg}
	}
	if ms.encode {
		var err error
		if ms.scratch, err = ms.action.Encode(it, ms.scratch); err != nil {
			return verdict{reports.StatusInvalid, err.Error()}
		}
	}
	return ms.stateVerdict(it)
}

// stateVerdict finishes a valid item that an earlier run already sent: by
// the journal of the interrupted run (--resume), or, with --changed-only,
// by the state's record of the same payload.
func (ms *mapStage) stateVerdict(it *Item) verdict {
	if ms.state != nil {
		it.hash = ms.state.hash(it.Payload)
	}
	if ms.confirmed.has(it.fileIdx, it.Row) {
		if ms.state != nil {
			if err := ms.state.alreadySent(it); err != nil {
				ms.stop.stop(reports.StopFatal, fmt.Errorf("state: %w", err))
			}
		}
		return verdict{reports.StatusAlreadySent, "confirmed sent by the interrupted run"}
	}
	if ms.state != nil {
		same, err := ms.state.unchanged(it)
		if err != nil {
			ms.stop.stop(reports.StopFatal, err)
			return verdict{reports.StatusNotSent, "not sent: " + err.Error()}
		}
		if same {
			return verdict{reports.StatusUnchanged, "unchanged since it was sent on an earlier run (--changed-only)"}
		}
	}
	return verdict{}
}
