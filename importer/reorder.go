package importer

import "github.com/xonvo/xonvo-import/reports"

// reorderBuffer holds the results that finished before the row the report
// expects next, by their distance from it. It is a ring that doubles when a
// result lands beyond it: the rows in flight (open batches, requests,
// retries) bound how far ahead a result can be. A map keyed by row did the
// same job at a hash, an insert and a delete per out-of-order row, 0.5 s of
// a million-row import's 15 s of CPU.
type reorderBuffer struct {
	slots []reports.RowResult // a held result has a Status; an empty slot has none
	head  int                 // slot of the row the report expects next
	n     int                 // results held
}

// put holds r, which belongs off rows after the expected one (off ≥ 1).
func (q *reorderBuffer) put(off int64, r reports.RowResult) {
	if off >= int64(len(q.slots)) {
		q.grow(off + 1)
	}
	i := q.slot(off)
	q.slots[i] = r
	q.n++
}

// take returns the expected row's result if it is held, and lets it go.
func (q *reorderBuffer) take() (reports.RowResult, bool) {
	if q.n == 0 || q.slots[q.head].Status == "" {
		return reports.RowResult{}, false
	}
	r := q.slots[q.head]
	q.slots[q.head] = reports.RowResult{}
	q.n--
	return r, true
}

// advance moves on to the next row once the expected one is written.
func (q *reorderBuffer) advance() {
	if len(q.slots) > 0 {
		q.head = q.slot(1)
	}
}

func (q *reorderBuffer) slot(off int64) int {
	return int((int64(q.head) + off) % int64(len(q.slots)))
}

// grow makes room for at least size rows from the expected one, keeping
// every held result at its distance.
func (q *reorderBuffer) grow(size int64) {
	n := max(2*len(q.slots), 256)
	for int64(n) < size {
		n *= 2
	}
	slots := make([]reports.RowResult, n)
	for off := range len(q.slots) {
		slots[off] = q.slots[q.slot(int64(off))]
	}
	q.slots, q.head = slots, 0
}
