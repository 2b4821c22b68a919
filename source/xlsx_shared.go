package source

import "strings"

// sharedChunk is how many shared strings share one backing string.
const sharedChunk = 4096

// sharedTable holds a workbook's shared strings compactly: the text of every
// 4,096 strings back to back in one string, and each string's end offset in
// its chunk as a uint32. A cell's text is a substring, so reading a cell
// allocates nothing. Building chunk by chunk keeps the peak near the final
// size: one growing buffer for the whole table (then copied into a string)
// peaked at three times the text, which for a million-row sheet of unique ids
// and emails was ~250 MB of the run's 393 MB.
type sharedTable struct {
	chunks []string
	ends   []uint32
	cur    strings.Builder
}

// add appends the next shared string.
func (t *sharedTable) add(s []byte) {
	t.cur.Write(s)
	t.ends = append(t.ends, uint32(t.cur.Len()))
	if len(t.ends)%sharedChunk == 0 {
		t.seal()
	}
}

// seal closes the chunk being built, trimmed to its size.
func (t *sharedTable) seal() {
	s := t.cur.String()
	if t.cur.Cap() > len(s)+len(s)/8 {
		s = strings.Clone(s)
	}
	t.chunks = append(t.chunks, s)
	t.cur = strings.Builder{}
}

// finish seals the last chunk; no add may follow.
func (t *sharedTable) finish() {
	if len(t.ends)%sharedChunk != 0 || len(t.chunks)*sharedChunk < len(t.ends) {
		t.seal()
	}
	t.ends = t.ends[:len(t.ends):len(t.ends)]
}

func (t *sharedTable) len() int { return len(t.ends) }

// get returns shared string i.
func (t *sharedTable) get(i int) (string, bool) {
	if i < 0 || i >= len(t.ends) {
		return "", false
	}
	start := uint32(0)
	if i%sharedChunk != 0 {
		start = t.ends[i-1]
	}
	return t.chunks[i/sharedChunk][start:t.ends[i]], true
}
