package keyset

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
)

// Key is a lead's identifying fields, for ContainsMany.
type Key struct {
	Account, ExternalID, Phone string
}

// Disk reads of ContainsMany: neighbouring blocks are read together when
// the gap between them is at most maxGapBlocks (a read costs about as much
// as copying 16 KiB more), up to maxReadBlocks (~1 MiB) a read.
const (
	maxGapBlocks  = 4
	maxReadBlocks = 256
)

// ContainsMany answers Contains for every key at once, setting in[i] for
// keys[i] (in must be as long as keys). It sorts the keys that need the
// disk by fingerprint and reads the spilled run in order, each block once
// and neighbouring blocks in one read, where Contains reads a block per
// key. With batches of ~64k keys or more a removed-lead check reads the
// spill file about once per batch, sequentially.
func (s *Set) ContainsMany(keys []Key, in []bool) error {
	if len(in) != len(keys) {
		return fmt.Errorf("keyset: ContainsMany: %d answers for %d keys", len(in), len(keys))
	}
	if err := s.usable(); err != nil {
		return err
	}
	type probe struct {
		f     fingerprint
		i     int
		block int
	}
	var probes []probe
	for i, k := range keys {
		in[i] = false
		f, keyed := s.fingerprint(k.Account, k.ExternalID, k.Phone)
		if !keyed {
			continue
		}
		if _, found := s.mem.probe(f); found {
			in[i] = true
		} else if s.spill != nil && s.filter.mayContain(f) {
			probes = append(probes, probe{f: f, i: i})
		}
	}
	if len(probes) == 0 {
		return nil
	}
	if len(s.spill.runs) > 1 {
		if err := s.mergeRuns(); err != nil {
			return err
		}
	}
	slices.SortFunc(probes, func(a, b probe) int {
		switch {
		case a.f.less(b.f):
			return -1
		case b.f.less(a.f):
			return 1
		}
		return 0
	})
	r := &s.spill.runs[0]
	for p := range probes {
		f := probes[p].f
		// -1 when f is below the run's smallest key.
		probes[p].block = sort.Search(len(r.first), func(i int) bool { return f.less(r.first[i]) }) - 1
	}
	for p := 0; p < len(probes); {
		first := probes[p].block
		if first < 0 {
			p++
			continue
		}
		// Extend the read over the next probes' blocks while they are near.
		last, q := first, p+1
		for ; q < len(probes); q++ {
			b := probes[q].block
			if b > last+maxGapBlocks || b-first >= maxReadBlocks {
				break
			}
			last = b
		}
		buf, err := s.spill.readBlocks(r, first, last)
		if err != nil {
			s.err = err
			return err
		}
		for ; p < q; p++ {
			blk := buf[(probes[p].block-first)*blockRecs*slotBytes:]
			n := min(blockRecs, len(blk)/slotBytes)
			f := probes[p].f
			j := sort.Search(n, func(j int) bool { return !recordAt(blk, j).less(f) })
			in[probes[p].i] = j < n && recordAt(blk, j) == f
		}
	}
	return nil
}

// readBlocks reads blocks first..last of run r in one read, into a buffer
// kept for the next call.
func (s *spillFile) readBlocks(r *run, first, last int) ([]byte, error) {
	end := min((last+1)*blockRecs, r.n)
	size := (end - first*blockRecs) * slotBytes
	if cap(s.mbuf) < size {
		s.mbuf = make([]byte, max(size, maxReadBlocks*blockRecs*slotBytes))
	}
	buf := s.mbuf[:size]
	if _, err := s.f.ReadAt(buf, r.off+int64(first*blockRecs*slotBytes)); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("keyset: read spill file %s: %w", s.f.Name(), err)
	}
	s.reads++
	return buf, nil
}
