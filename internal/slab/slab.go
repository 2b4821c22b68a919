package slab

// Slab hands out fresh slices of T cut from shared blocks of at least
// Block elements.
type Slab[T any] struct {
	Block int // elements in a block; 0 for DefaultBlock
	free  []T
}

// DefaultBlock is the block size of a Slab whose Block is 0.
const DefaultBlock = 4096

// Make returns a zeroed slice of n elements whose capacity is n, so an
// append to it never runs into the next slice. n = 0 gives nil.
func (s *Slab[T]) Make(n int) []T {
	if n <= 0 {
		return nil
	}
	if n > len(s.free) {
		s.free = make([]T, max(s.block(), n))
	}
	out := s.free[:n:n]
	s.free = s.free[n:]
	return out
}

// Copy returns a fresh copy of v cut from the slab; nil for an empty v.
func (s *Slab[T]) Copy(v []T) []T {
	out := s.Make(len(v))
	copy(out, v)
	return out
}

// New returns a pointer to a fresh copy of v, cut from the slab.
func (s *Slab[T]) New(v T) *T {
	p := &s.Make(1)[0]
	*p = v
	return p
}

func (s *Slab[T]) block() int {
	if s.Block > 0 {
		return s.Block
	}
	return DefaultBlock
}
