package sandbox

import "unsafe"

// defaultChunkSize is the size of the arena's chunks: large enough that a
// million leads make a few hundred allocations, small enough that the unused
// tail of the last chunk does not matter.
const defaultChunkSize = 1 << 20

// arena holds the bytes of every stored lead in large chunks, so that the
// store keeps no pointer per lead: the garbage collector has nothing to mark
// or scan lead by lead (it was an eighth of the sandbox's CPU with a string
// per lead and per key), and storing a lead allocates nothing.
//
// Bytes once written are never changed: a chunk is only appended to, up to
// its capacity. A view (str) of written bytes is therefore as immutable as
// any string, and may outlive the lock. An update writes the lead anew and
// counts its old bytes as dead; compaction copies the live bytes into new
// chunks and drops the old ones.
type arena struct {
	chunks    [][]byte
	chunkSize int
	live      int // bytes of the leads as they are now
	dead      int // bytes of replaced versions, still in the chunks
}

// alloc reserves n bytes and returns where they are and the bytes to fill.
// The caller must fill them before anyone reads them.
func (ar *arena) alloc(n int) (chunk, off uint32, dst []byte) {
	k := len(ar.chunks) - 1
	if k < 0 || cap(ar.chunks[k])-len(ar.chunks[k]) < n {
		ar.chunks = append(ar.chunks, make([]byte, 0, max(n, ar.chunkSize)))
		k++
	}
	c := ar.chunks[k]
	at := len(c)
	ar.chunks[k] = c[:at+n]
	ar.live += n
	return uint32(k), uint32(at), ar.chunks[k][at : at+n : at+n]
}

// bytes returns n written bytes at off in chunk.
func (ar *arena) bytes(chunk, off uint32, n int) []byte {
	return ar.chunks[chunk][off : int(off)+n]
}

// str is bytes as a string without a copy: written bytes never change.
func (ar *arena) str(chunk, off uint32, n int) string {
	if n == 0 {
		return ""
	}
	return unsafe.String(&ar.chunks[chunk][off], n)
}

// release counts n bytes of a replaced lead as dead.
func (ar *arena) release(n int) {
	ar.live -= n
	ar.dead += n
}

// wasteful reports whether dead bytes outweigh live ones (and a chunk), so
// that compaction, which costs the live bytes, is paid for by as many
// bytes written since the last one.
func (ar *arena) wasteful() bool {
	return ar.dead > max(ar.live, ar.chunkSize)
}

// offsetIn reports where sub lies in s when sub is a substring of s by
// memory (it was cut from s), not merely by content. The comparison is of
// addresses only: distinct live objects never overlap, so a string found
// inside s's bytes was cut from them.
func offsetIn(s, sub string) (int, bool) {
	if sub == "" {
		return 0, true
	}
	if len(sub) > len(s) {
		return 0, false
	}
	d := uintptr(unsafe.Pointer(unsafe.StringData(sub))) - uintptr(unsafe.Pointer(unsafe.StringData(s)))
	if d > uintptr(len(s)-len(sub)) {
		return 0, false
	}
	return int(d), true
}
