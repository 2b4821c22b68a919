package keyset

import (
	"container/heap"
	"fmt"
)

// merged returns a spill file holding the same keys as s in a single run,
// by a k-way merge of its runs into a new file; the caller closes s. One
// run makes a present key cost one disk read however many spills there
// were, which is what a long series of Contains (removed detection) needs.
// For a moment the disk holds both files.
func (s *spillFile) merged(dir string) (*spillFile, error) {
	out, err := openSpill(dir)
	if err != nil {
		return nil, err
	}
	total := 0
	h := make(mergeHeap, 0, len(s.runs))
	for i := range s.runs {
		total += s.runs[i].n
		rd := newRunReader(s.f, &s.runs[i])
		k, ok, err := rd.next()
		if err != nil {
			return nil, closeBoth(out, err)
		}
		if ok {
			h = append(h, mergeHead{k: k, rd: rd})
		}
	}
	heap.Init(&h)
	w := newRunWriter(out.f, 0, total)
	for len(h) > 0 {
		w.add(h[0].k)
		k, ok, err := h[0].rd.next()
		if err != nil {
			return nil, closeBoth(out, err)
		}
		if ok {
			h[0].k = k
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	r, err := w.finish()
	if err != nil {
		return nil, closeBoth(out, err)
	}
	if r.n != total {
		return nil, closeBoth(out, fmt.Errorf("keyset: merged %d keys of %d", r.n, total))
	}
	out.runs = []run{r}
	out.end = int64(r.n) * slotBytes
	out.reads = s.reads
	return out, nil
}

// closeBoth closes a half-written file and returns the first error.
func closeBoth(out *spillFile, err error) error {
	_ = out.close()
	return err
}

// mergeHead is the smallest unmerged record of one run.
type mergeHead struct {
	k  slot
	rd *runReader
}

// mergeHeap orders the runs' heads by fingerprint.
type mergeHeap []mergeHead

func (h mergeHeap) Len() int { return len(h) }
func (h mergeHeap) Less(i, j int) bool {
	return fingerprint{h[i].k.hi, h[i].k.lo}.less(fingerprint{h[j].k.hi, h[j].k.lo})
}
func (h mergeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)   { *h = append(*h, x.(mergeHead)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
