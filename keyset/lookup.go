package keyset

// Insert adds a key for Contains alone: unlike Add it does not look for
// an earlier occurrence among the spilled keys, so a repeated key costs no
// disk read (a key repeated after a spill is stored again, 24 more bytes
// on disk, and Len counts it again). For a set that is only asked
// Contains, such as the keys that still name a lead in removed detection.
func (s *Set) Insert(account, externalID, phone string) error {
	if err := s.usable(); err != nil {
		return err
	}
	f, keyed := s.fingerprint(account, externalID, phone)
	if !keyed {
		return nil
	}
	if !s.mem.roomy() {
		if s.mem.canGrow() {
			s.mem.grow()
		} else if err := s.spillTable(); err != nil {
			return err
		}
	}
	i, found := s.mem.probe(f)
	if found {
		return nil
	}
	s.mem.slots[i] = slot{hi: f.hi, lo: f.lo, at: occupied}
	s.mem.n++
	s.keys++
	return nil
}

// Lookup finds a fingerprint's first occurrence without adding it. The
// fingerprint may come from another Set's Fingerprint: a Set stores what
// it is given, and only its own lookups must agree with its own adds.
func (s *Set) Lookup(fp Fingerprint) (Occurrence, bool, error) {
	if err := s.usable(); err != nil {
		return Occurrence{}, false, err
	}
	if !fp.keyed {
		return Occurrence{}, false, nil
	}
	if i, found := s.mem.probe(fp.f); found {
		return unpackAt(s.mem.slots[i].at), true, nil
	}
	at, found, err := s.findSpilled(fp.f)
	return unpackAt(at), found, err
}
