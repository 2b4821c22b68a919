package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// A hand-rolled pull scanner for the XML of a workbook's parts. encoding/xml's
// tokenizer allocates per token and keeps whatever a document makes it keep;
// this one works in a window over the part, yields tags without copying them,
// streams text through a caller's size limit, and bounds everything a hostile
// document could grow: element depth, the length of one tag, and (through the
// callers) the text kept. It supports what spreadsheet writers emit: prefixes,
// attributes in either quote, entity and character references, comments,
// processing instructions and CDATA. A DOCTYPE is refused, as Excel does.

type tagKind uint8

const (
	tagOpen tagKind = iota + 1
	tagClose
	tagSelfClose
)

const (
	scanWindow = 64 << 10 // initial window; it grows only for a tag longer than it
	maxDepth   = 256      // element nesting; SpreadsheetML needs about ten
	maxTagLen  = 1 << 20  // one tag, attributes included
)

// scanner reads tags and text from one part.
type scanner struct {
	r     io.Reader
	buf   []byte
	pos   int   // next unread byte
	end   int   // end of valid data
	rerr  error // the reader's error, returned once the window is drained
	depth int   // elements open, counting the current open tag
	part  string

	// The most recent tag. name and attrs alias buf: valid until the scanner reads on.
	kind  tagKind
	name  []byte // local name, prefix stripped
	attrs []byte // raw attribute text
}

func newScanner(r io.Reader, part string) *scanner {
	return &scanner{r: r, buf: make([]byte, scanWindow), part: part}
}

// errorf makes a malformed-part error.
func (s *scanner) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: part %s: %s", ErrNotXLSX, s.part, fmt.Sprintf(format, args...))
}

// eofError turns the end of the part in the middle of something into an error.
func (s *scanner) eofError(err error) error {
	if errors.Is(err, io.EOF) {
		return s.errorf("unexpected end of part")
	}
	return err
}

// fill reads more of the part, keeping s.buf[s.pos:s.end] (moved to the front).
// It returns the reader's error (io.EOF at the end) once nothing more comes.
func (s *scanner) fill() error {
	if s.rerr != nil {
		return s.rerr
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		// Only a tag longer than the window gets here; tag() bounds it.
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			s.rerr = err
		}
		if n > 0 {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// ensure makes at least n bytes from s.pos available, unless the part ends first.
func (s *scanner) ensure(n int) {
	for s.end-s.pos < n {
		if s.fill() != nil {
			return
		}
	}
}

// next skips text and markup and reads the next element tag into s.kind, s.name
// and s.attrs. It returns io.EOF at the end of the part.
func (s *scanner) next() error {
	for {
		i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
		if i < 0 {
			s.pos = s.end
			if err := s.fill(); err != nil {
				return err
			}
			continue
		}
		s.pos += i
		ok, err := s.tag()
		if err != nil || ok {
			return err
		}
	}
}

// tag reads the markup at s.pos (a '<'). It reports false for a comment, processing
// instruction or CDATA section, which it skips.
func (s *scanner) tag() (bool, error) {
	s.ensure(2)
	if s.end-s.pos < 2 {
		return false, s.errorf("unexpected end of part")
	}
	if c := s.buf[s.pos+1]; c == '!' || c == '?' {
		return false, s.skipMarkup()
	}
	off, quote := 1, byte(0)
	for {
		b := s.buf[s.pos:s.end]
		for off < len(b) {
			c := b[off]
			if quote != 0 {
				j := bytes.IndexByte(b[off:], quote)
				if j < 0 {
					off = len(b)
					break
				}
				off += j + 1
				quote = 0
				continue
			}
			switch c {
			case '>':
				s.parseTag(b[1:off])
				s.pos += off + 1
				return true, s.track()
			case '"', '\'':
				quote = c
			case '<':
				return false, s.errorf("'<' inside a tag")
			}
			off++
		}
		if off > maxTagLen {
			return false, fmt.Errorf("part %s: %w (%d bytes)", s.part, ErrTagTooLarge, maxTagLen)
		}
		if err := s.fill(); err != nil {
			return false, s.eofError(err)
		}
	}
}

// track follows the element depth through the tag just read.
func (s *scanner) track() error {
	switch s.kind {
	case tagOpen:
		s.depth++
		if s.depth > maxDepth {
			return fmt.Errorf("part %s: %w (over %d)", s.part, ErrTooDeep, maxDepth)
		}
	case tagClose:
		if s.depth == 0 {
			return s.errorf("</%s> closes nothing", s.name)
		}
		s.depth--
	}
	return nil
}

func (s *scanner) parseTag(b []byte) {
	kind := tagOpen
	switch {
	case len(b) > 0 && b[0] == '/':
		kind, b = tagClose, b[1:]
	case len(b) > 0 && b[len(b)-1] == '/':
		kind, b = tagSelfClose, b[:len(b)-1]
	}
	end := 0
	for end < len(b) && !isXMLSpace(b[end]) {
		end++
	}
	name := b[:end]
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	s.kind, s.name, s.attrs = kind, name, b[end:]
}

// markupEnds are the terminators of the markup skipped between tags.
var (
	endComment = []byte("-->")
	endCDATA   = []byte("]]>")
	endPI      = []byte("?>")
	endDecl    = []byte(">")
)

// skipMarkup skips the comment, CDATA section, processing instruction or
// declaration at s.pos, keeping no more of it than its terminator's length.
func (s *scanner) skipMarkup() error {
	s.ensure(9)
	b := s.buf[s.pos:s.end]
	var end []byte
	skip := 2
	switch {
	case bytes.HasPrefix(b, []byte("<!--")):
		end, skip = endComment, 4
	case bytes.HasPrefix(b, []byte("<![CDATA[")):
		end, skip = endCDATA, 9
	case bytes.HasPrefix(b, []byte("<?")):
		end = endPI
	case bytes.HasPrefix(b, []byte("<!DOCTYPE")):
		return s.errorf("a DOCTYPE is not allowed in a workbook")
	default:
		end = endDecl
	}
	s.pos += skip
	return s.discardThrough(end, nil)
}

// discardThrough consumes input up to and including end. If keep is non-nil the
// bytes before end are passed to it.
func (s *scanner) discardThrough(end []byte, keep func([]byte)) error {
	for {
		b := s.buf[s.pos:s.end]
		if i := bytes.Index(b, end); i >= 0 {
			if keep != nil {
				keep(b[:i])
			}
			s.pos += i + len(end)
			return nil
		}
		// Keep a possible partial terminator for the next round.
		n := max(len(b)-(len(end)-1), 0)
		if keep != nil {
			keep(b[:n])
		}
		s.pos += n
		if err := s.fill(); err != nil {
			return s.eofError(err)
		}
	}
}

// skip skips the content of the element whose open tag was just read, through its
// close tag. A self-closed element has nothing to skip.
func (s *scanner) skip() error {
	if s.kind != tagOpen {
		return nil
	}
	d := s.depth
	for {
		if err := s.next(); err != nil {
			return s.eofError(err)
		}
		if s.kind == tagClose && s.depth < d {
			return nil
		}
	}
}

// child reads the next tag inside the element open at depth d. It reports false at
// that element's close tag.
func (s *scanner) child(d int) (bool, error) {
	if err := s.next(); err != nil {
		return false, s.eofError(err)
	}
	return !(s.kind == tagClose && s.depth < d), nil
}

// is reports whether the current tag opens (or self-closes) an element named name.
func (s *scanner) is(name string) bool {
	return s.kind != tagClose && string(s.name) == name
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// cellAttrs are the attributes of a cell tag that matter: r, s and t (raw).
type cellAttrs struct{ ref, style, typ []byte }

// set keeps val if name is one of a cell's attributes (r, s, t).
func (a *cellAttrs) set(name byte, val []byte) {
	switch name {
	case 'r':
		a.ref = val
	case 's':
		a.style = val
	case 't':
		a.typ = val
	}
}

// cellTagName is s.name after a cell tag read by fastCellTag.
var cellTagName = []byte("c")

// fastCellTag reads, at s.pos, a cell's open or self-closing tag written the common
// way: "<c" and a space, no prefix, attributes written name="value", all in the window.
// It parses the attributes as it goes (one pass over the tag, where finding its end,
// checking its quotes and splitting its attributes took four). Anything else is left
// to next. The attributes are returned, not kept in s.attrs (left empty): the
// attributes and s's slices are kept where the collector's write barrier does not
// see them, 0.2 s of the million-row sheet's tokenizer while a collection ran.
func (s *scanner) fastCellTag() (cellAttrs, bool) {
	if s.end-s.pos < 256 {
		s.ensure(256)
	}
	b := s.buf[s.pos:s.end]
	if len(b) < 4 || b[0] != '<' || b[1] != 'c' || b[2] != ' ' {
		return cellAttrs{}, false
	}
	var a cellAttrs
	kind := tagOpen
	i := 3
	for {
		for i < len(b) && isXMLSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return cellAttrs{}, false
		}
		if b[i] == '>' {
			break
		}
		if b[i] == '/' {
			if i+1 >= len(b) || b[i+1] != '>' {
				return cellAttrs{}, false
			}
			kind = tagSelfClose
			i++
			break
		}
		n := i
		for i < len(b) && !attrNameEnd[b[i]] {
			i++
		}
		if i+1 >= len(b) || i == n || b[i] != '=' || b[i+1] != '"' {
			return cellAttrs{}, false
		}
		j := bytes.IndexByte(b[i+2:], '"')
		if j < 0 {
			return cellAttrs{}, false
		}
		if i == n+1 {
			a.set(b[n], b[i+2:i+2+j])
		}
		i += 3 + j
	}
	s.kind = kind
	if len(s.name) != 1 || &s.name[0] != &cellTagName[0] {
		s.name = cellTagName
	}
	if s.attrs != nil {
		s.attrs = nil
	}
	s.pos += i + 1
	if kind == tagOpen {
		return a, s.track() == nil
	}
	return a, true
}

// attrNameEnd marks the bytes that end an attribute's name in fastCellTag.
var attrNameEnd = func() (t [256]bool) {
	for _, c := range "= \t\r\n/>\"'<" {
		t[c] = true
	}
	return t
}()
