package source

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// byteStats is what auto detection learns from the bytes of a file that has
// no BOM and is not valid UTF-8.
type byteStats struct {
	validSeqs    int64 // valid UTF-8 sequences of 2 to 4 bytes
	invalid      int64 // bytes that are not part of valid UTF-8
	firstInvalid int64 // offset of the first of them; -1 if none
	win1252      int64 // plausibility of the high bytes read as Windows-1252
	macRoman     int64 // plausibility of the high bytes read as MacRoman
	whole        bool  // the statistics cover the whole file, not its start only
}

// utf8Ratio is how many valid multi-byte sequences each invalid byte must be
// outnumbered by for a file to stay UTF-8. A Windows-1252 or MacRoman file
// practically never forms valid sequences (an accented letter there is one
// high byte between ASCII letters), while a UTF-8 export with a few bad bytes
// pasted in has far more good sequences than bad bytes.
const utf8Ratio = 4

// decide picks the encoding: UTF-8 when it is valid, or holds valid
// multi-byte sequences outnumbering the invalid bytes utf8Ratio to one
// (the invalid bytes become U+FFFD, and their rows say so); otherwise
// MacRoman when its reading of the high bytes is the more plausible, else
// Windows-1252.
func (s byteStats) decide() (textEncoding, string) {
	switch {
	case s.invalid == 0:
		return textEncoding{name: "UTF-8", valid: s.whole}, ""
	case s.validSeqs > 0 && s.validSeqs >= utf8Ratio*s.invalid:
		return textEncoding{name: "UTF-8"}, fmt.Sprintf(
			"%d bytes are not valid UTF-8 (the first at byte offset %d); read as UTF-8 with each replaced by U+FFFD, and their rows carry a warning",
			s.invalid, s.firstInvalid)
	case s.macRoman > s.win1252:
		return macRoman(), "not valid UTF-8, read as MacRoman (Excel for Mac)"
	default:
		return win1252(), "not valid UTF-8, read as Windows-1252"
	}
}

// scanBytes reads r to its end and gathers byteStats; atEOF false means r is
// only the start of the file, so a rune cut at its end is not counted.
func scanBytes(ctx context.Context, r io.Reader, atEOF bool) (byteStats, error) {
	st := byteStats{firstInvalid: -1, whole: atEOF}
	sc := newScorer()
	buf := make([]byte, 256<<10+utf8.UTFMax)
	carry := 0
	var off int64 // file offset of buf[0]
	for {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		n, err := io.ReadFull(r, buf[carry:len(buf)-utf8.UTFMax])
		final := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !final {
			return st, fmt.Errorf("read: %w", err)
		}
		data := buf[:carry+n]
		i := 0
		for i < len(data) {
			if data[i] < utf8.RuneSelf {
				i++
				continue
			}
			if !utf8.FullRune(data[i:]) && !final {
				break // the rest comes with the next chunk
			}
			if !utf8.FullRune(data[i:]) && !atEOF {
				break // the file goes on past what was read
			}
			rn, size := utf8.DecodeRune(data[i:])
			if rn == utf8.RuneError && size == 1 {
				if st.firstInvalid < 0 {
					st.firstInvalid = off + int64(i)
				}
				st.invalid++
			} else {
				st.validSeqs++
			}
			i += size
		}
		sc.feed(data[:i])
		if final {
			sc.end()
			st.win1252, st.macRoman = sc.total[0], sc.total[1]
			return st, nil
		}
		off += int64(i)
		carry = copy(buf, data[i:])
	}
}

// Character classes for scoring a byte under one single-byte encoding.
const (
	clsOther      = iota // ASCII punctuation, digits, spaces: a word boundary
	clsLower             // ASCII or common accented lowercase letter (é, ñ, ü, ß, ø, …)
	clsUpper             // ASCII or common accented capital (É, Ñ, Ü, Ø, …)
	clsRareLower         // a lowercase letter seldom seen in names (ƒ, š, ﬂ, ı, µ, …)
	clsRareUpper         // a rare capital (Š, Ž, Ÿ, …)
	clsRareLetter        // a letter without case (ª, º, ˆ)
	clsQuote             // ’ or ‘, also an apostrophe inside names (O’Brien)
	clsOpen              // punctuation that goes before a word: “ „ « ¿ €
	clsClose             // punctuation that goes after a word: ” … ™ ® ° »
	clsPunct             // punctuation that stands between spaces: – — • §
	clsSpace             // a no-break space
	clsSymbol            // other symbols (‡, †, ¸, ˇ, ‰, √, ◊): rare in lead data
	clsControl           // a control character: no text has it
)

// The non-letters that Windows-1252 and MacRoman text really holds, by where
// they stand next to a word.
const (
	openPunct  = "“„‚«‹¿¡€£¢¥"
	closePunct = "”…™©®°»›"
	otherPunct = "–—•§¶±×÷·"
)

// commonLetters are the accented letters of French, Spanish, Portuguese,
// German, Italian and Nordic names, in both cases.
const commonLetters = "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŒ"

// scorer adds up, for each high byte, how plausible its reading is under
// Windows-1252 (total[0]) and MacRoman (total[1]), looking at its
// neighbours: in MacRoman 0x80–0x9F are accented letters, in Windows-1252
// mostly punctuation; 0xC0–0xFF are letters in Windows-1252, symbols and
// capitals in MacRoman. So "Garc\x92a" is "García" in MacRoman and
// "Garc’a" in Windows-1252, while "Jos\xE9" is "José" in Windows-1252 and
// "JosÈ" in MacRoman.
type scorer struct {
	class    [2][256]uint8
	total    [2]int64
	last     int // the byte before the pending one, -1 at the start
	pending  int // a high byte waiting for its next neighbour, -1 if none
	pendPrev int
}

func newScorer() *scorer {
	s := &scorer{last: -1, pending: -1}
	common := map[rune]bool{}
	for _, r := range commonLetters {
		common[r] = true
	}
	for i, cm := range []*charmap.Charmap{charmap.Windows1252, charmap.Macintosh} {
		for b := range 256 {
			s.class[i][b] = classify(cm.DecodeByte(byte(b)), common)
		}
	}
	return s
}

func classify(r rune, common map[rune]bool) uint8 {
	switch {
	case r < utf8.RuneSelf && (r >= 'a' && r <= 'z'):
		return clsLower
	case r < utf8.RuneSelf && (r >= 'A' && r <= 'Z'):
		return clsUpper
	case r < utf8.RuneSelf && unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r':
		return clsControl
	case r < utf8.RuneSelf:
		return clsOther
	case r == utf8.RuneError || unicode.IsControl(r):
		return clsControl
	case common[r] && unicode.IsUpper(r):
		return clsUpper
	case common[r]:
		return clsLower
	case unicode.IsUpper(r):
		return clsRareUpper
	case unicode.IsLower(r):
		return clsRareLower
	case unicode.IsLetter(r):
		return clsRareLetter
	case r == '’' || r == '‘':
		return clsQuote
	case unicode.IsSpace(r):
		return clsSpace
	case strings.ContainsRune(openPunct, r):
		return clsOpen
	case strings.ContainsRune(closePunct, r):
		return clsClose
	case strings.ContainsRune(otherPunct, r):
		return clsPunct
	}
	return clsSymbol
}

// feed scores the high bytes of data, which continues what was fed before.
func (s *scorer) feed(data []byte) {
	for _, b := range data {
		if s.pending >= 0 {
			s.score(s.pendPrev, s.pending, int(b))
			s.pending = -1
		}
		if b >= utf8.RuneSelf {
			s.pending, s.pendPrev = int(b), s.last
		}
		s.last = int(b)
	}
}

// end scores a high byte at the very end of the file.
func (s *scorer) end() {
	if s.pending >= 0 {
		s.score(s.pendPrev, s.pending, -1)
		s.pending = -1
	}
}

func (s *scorer) score(prev, cur, next int) {
	for i := range s.class {
		c := &s.class[i]
		at := func(b int) uint8 {
			if b < 0 {
				return clsOther
			}
			return c[b]
		}
		s.total[i] += int64(plausibility(at(prev), c[cur], at(next)))
	}
}

func isLetterCls(c uint8) bool {
	return c == clsLower || c == clsUpper || c == clsRareLower || c == clsRareUpper || c == clsRareLetter
}
func isLowerCls(c uint8) bool { return c == clsLower || c == clsRareLower }
func isUpperCls(c uint8) bool { return c == clsUpper || c == clsRareUpper }

// plausibility of reading a character of class cur between prev and next.
func plausibility(prev, cur, next uint8) int {
	switch cur {
	case clsControl:
		return -8
	case clsLower:
		switch {
		case isUpperCls(next):
			return -1 // "ìQuoted", "OíBrien": lowercase right before a capital
		case isLetterCls(prev) || isLetterCls(next):
			return 3
		}
		return 1
	case clsUpper:
		if isLowerCls(prev) {
			return -3 // "JosÈ": a capital inside a lowercase word
		}
		return 2
	case clsRareUpper:
		if isLowerCls(prev) {
			return -3
		}
		return 0
	case clsRareLower, clsRareLetter:
		return 0
	case clsQuote:
		return 2 // a quote, or an apostrophe: O’Brien, l’été
	case clsSpace:
		return 1
	case clsOpen, clsClose, clsPunct, clsSymbol:
		before, after := isLetterCls(prev), isLetterCls(next)
		switch {
		case before && after:
			return -3 // "G—mez", "S‡nchez", "M¸ller": a sign inside a word
		case cur == clsOpen && !before && after, cur == clsClose && before && !after, cur == clsPunct && !before && !after:
			return 2 // “Quoted”, wait…, a – b
		}
		return 0
	}
	return 0
}
