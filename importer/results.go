package importer

import (
	"sync/atomic"

	"github.com/xonvo/xonvo-import/reports"
)

// finisher is the one place a row's RowResult is built and handed to the
// collector. It counts the rows --max-errors looks at where they finish,
// so the run stops at exactly the Nth error.
type finisher struct {
	coll      *collector
	progress  *Progress
	stop      *stopper
	limits    limits
	errorRows atomic.Int64 // invalid, duplicate, rejected and failed rows
	// entered counts the rows taken in so far: --max-error-rate's share
	// is of them, not of the rows finished. An invalid row finishes at
	// once and a valid one only when its batch is answered, so a share of
	// finished rows ran far above the file's while batches were out (20%
	// invalid rows stopped a run at --max-error-rate 0.5).
	entered atomic.Int64
	width   int // the report's original columns
	extra   int // columns the action adds after them
}

// minRowsForRate is how many rows must be done before --max-error-rate is
// checked: a few bad rows at the top of a file say little about the rest.
const minRowsForRate = 1000

// result is it's report row with status and msg (the item's own warnings
// follow msg).
func (f *finisher) result(it *Item, status reports.Status, msg string) reports.RowResult {
	res := reports.RowResult{File: it.File, Row: it.Row, Status: status,
		Message: joinMessage(msg, it.Message), AccountID: it.AccountID, ExternalID: it.ExternalID,
		Phone: it.Phone, HTTPStatus: it.httpStatus, Attempts: it.attempts, Original: it.Original}
	if f.extra > 0 {
		res.Original = withExtra(it.Original, f.width, it.Extra, f.extra)
	}
	return res
}

// enter counts a row the run has taken in, before its fate is known.
func (f *finisher) enter() {
	f.progress.Read.Add(1)
	f.entered.Add(1)
}

// finish reports it with status and msg through ob.
func (f *finisher) finish(ob *outbox, it *Item, status reports.Status, msg string) {
	f.progress.Done.Add(1)
	switch status {
	case reports.StatusSent:
		f.progress.Sent.Add(1)
	case reports.StatusInvalid, reports.StatusDuplicate, reports.StatusRejected, reports.StatusFailed:
		if n := f.errorRows.Add(1); f.limits.maxErrors > 0 && n == int64(f.limits.maxErrors) {
			f.stop.stop(reports.StopMaxErrors, nil)
		}
	}
	if entered := f.entered.Load(); entered >= minRowsForRate && f.overRate(entered) {
		f.stop.stop(reports.StopMaxErrorRate, nil)
	}
	ob.add(it.seq, f.result(it, status, msg))
	releaseItem(it) // its row is final: the item is not touched again
}

// overRate reports whether the rows with errors are more than
// --max-error-rate of the given number of rows.
func (f *finisher) overRate(rows int64) bool {
	return f.limits.maxErrorRate > 0 && rows > 0 && float64(f.errorRows.Load()) > f.limits.maxErrorRate*float64(rows)
}

// finishAll reports every item with the same status and message.
func (f *finisher) finishAll(items []*Item, status reports.Status, msg string) {
	ob := &outbox{c: f.coll}
	defer ob.flush()
	for _, it := range items {
		f.finish(ob, it, status, msg)
	}
}

// notSent reports items not sent because the run stopped.
func (f *finisher) notSent(items []*Item) {
	f.finishAll(items, reports.StatusNotSent, f.stop.notSentMessage(f.limits))
}

func joinMessage(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// withExtra appends an action's extra columns after the original ones.
func withExtra(orig []string, width int, extra []string, n int) []string {
	out := make([]string, width+n)
	copy(out, orig)
	copy(out[width:], extra)
	return out
}
