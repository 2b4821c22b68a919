package xlsx

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// textSink collects the text of one value through a size limit: past the limit it
// only counts, so a hostile value costs no memory.
type textSink struct {
	buf   []byte
	limit int   // most bytes kept
	size  int64 // bytes seen: decoded while under the limit, raw beyond
	cr    bool  // the last byte added was a literal CR (turned into LF)
}

func (t *textSink) reset(limit int) {
	t.buf, t.limit, t.size, t.cr = t.buf[:0], limit, 0, false
}

// over reports whether the text passed the limit.
func (t *textSink) over() bool { return t.size > int64(t.limit) }

// add keeps decoded bytes.
func (t *textSink) add(p []byte) {
	t.size += int64(len(p))
	if t.size > int64(t.limit) {
		t.buf = t.buf[:0]
		return
	}
	t.buf = append(t.buf, p...)
}

// addLiteral adds source text, turning CR LF and lone CR into LF as XML requires
// (encoding/xml and Excel do the same; a CR written as &#13; stays a CR).
func (t *textSink) addLiteral(p []byte) {
	if t.over() {
		t.size += int64(len(p))
		return
	}
	for len(p) > 0 {
		if t.cr && p[0] == '\n' {
			p = p[1:]
		}
		t.cr = false
		i := bytes.IndexByte(p, '\r')
		if i < 0 {
			t.add(p)
			return
		}
		t.add(p[:i])
		t.add(newline)
		t.cr = true
		p = p[i+1:]
	}
}

var newline = []byte{'\n'}

// decode adds a piece of raw character data, resolving references. Unless final,
// an entity cut off at the end of the piece is left unconsumed for the next piece.
func (t *textSink) decode(raw []byte, final bool) (int, error) {
	if t.over() {
		t.size += int64(len(raw)) // dropped anyway: not decoded
		return len(raw), nil
	}
	consumed := 0
	for {
		amp := bytes.IndexByte(raw, '&')
		if amp < 0 {
			t.addLiteral(raw)
			return consumed + len(raw), nil
		}
		t.addLiteral(raw[:amp])
		consumed += amp
		raw = raw[amp:]
		semi := bytes.IndexByte(raw[:min(len(raw), 12)], ';')
		if semi < 0 {
			if !final && len(raw) < 12 {
				return consumed, nil
			}
			return consumed, errBadReference(raw[:min(len(raw), 12)])
		}
		var tmp [utf8.UTFMax]byte
		r, ok := entity(raw[1:semi])
		if !ok {
			return consumed, errBadReference(raw[:semi+1])
		}
		t.cr = false
		t.add(utf8.AppendRune(tmp[:0], r))
		consumed += semi + 1
		raw = raw[semi+1:]
	}
}

type badReference string

func (e badReference) Error() string {
	return "bad entity or character reference " + strconv.Quote(string(e))
}

func errBadReference(b []byte) error { return badReference(b) }

// entity resolves the name of a predefined entity or a character reference.
func entity(ent []byte) (rune, bool) {
	switch string(ent) {
	case "amp":
		return '&', true
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if ent[1] == 'x' {
		n, err = strconv.ParseUint(string(ent[2:]), 16, 32)
	} else {
		n, err = strconv.ParseUint(string(ent[1:]), 10, 32)
	}
	if err != nil || !isXMLChar(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// isXMLChar reports whether r may appear in an XML 1.0 document.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// readText adds the character data from s.pos up to the next element tag, which it
// leaves unread: CDATA sections are text; comments and processing instructions are
// skipped.
func (s *scanner) readText(t *textSink) error {
	for {
		b := s.buf[s.pos:s.end]
		i := bytes.IndexByte(b, '<')
		piece := b
		if i >= 0 {
			piece = b[:i]
		}
		n, err := t.decode(piece, i >= 0)
		s.pos += n
		if err != nil {
			return s.errorf("%v", err)
		}
		if i < 0 || n < len(piece) {
			if err := s.fill(); err != nil {
				return s.eofError(err)
			}
			continue
		}
		t.cr = false
		s.ensure(9)
		rest := s.buf[s.pos:s.end]
		switch {
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			s.pos += 9
			if err := s.discardThrough(endCDATA, t.addLiteral); err != nil {
				return err
			}
		case bytes.HasPrefix(rest, []byte("<!--")), bytes.HasPrefix(rest, []byte("<?")):
			if err := s.skipMarkup(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

// elementText adds the character data of the element whose open tag was just read,
// through its close tag. Text inside child elements is not part of it (as in
// encoding/xml's chardata, which excelize reads with).
func (s *scanner) elementText(t *textSink) error {
	if s.kind != tagOpen {
		return nil
	}
	d := s.depth
	for {
		if err := s.readText(t); err != nil {
			return err
		}
		if err := s.next(); err != nil {
			return s.eofError(err)
		}
		switch {
		case s.kind == tagClose && s.depth < d:
			return nil
		case s.kind == tagOpen:
			if err := s.skip(); err != nil {
				return err
			}
		}
	}
}

// attr returns the raw value of the attribute whose local name is key and whose
// prefix is present (prefixed) or absent (!prefixed).
func attr(attrs []byte, key string, prefixed bool) ([]byte, bool) {
	for len(attrs) > 0 {
		var name, val []byte
		var ok bool
		name, val, attrs, ok = nextAttr(attrs)
		if !ok {
			return nil, false
		}
		local := name
		if i := bytes.IndexByte(name, ':'); i >= 0 {
			local = name[i+1:]
		}
		if string(local) == key && (len(local) < len(name)) == prefixed {
			return val, true
		}
	}
	return nil, false
}

// nextAttr splits the first attribute off raw attribute text.
func nextAttr(attrs []byte) (name, val, rest []byte, ok bool) {
	i := 0
	for i < len(attrs) && isXMLSpace(attrs[i]) {
		i++
	}
	start := i
	for i < len(attrs) && attrs[i] != '=' && !isXMLSpace(attrs[i]) {
		i++
	}
	name = attrs[start:i]
	for i < len(attrs) && (attrs[i] == '=' || isXMLSpace(attrs[i])) {
		i++
	}
	if i >= len(attrs) || (attrs[i] != '"' && attrs[i] != '\'') {
		return nil, nil, nil, false
	}
	q := attrs[i]
	end := bytes.IndexByte(attrs[i+1:], q)
	if end < 0 {
		return nil, nil, nil, false
	}
	return name, attrs[i+1 : i+1+end], attrs[i+2+end:], true
}

// attrString decodes an attribute value (references resolved).
func attrString(raw []byte) (string, error) {
	if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		return string(raw), nil
	}
	var t textSink
	t.reset(len(raw))
	if _, err := t.decode(raw, true); err != nil {
		return "", err
	}
	return string(t.buf), nil
}

// unescapeOOXML decodes, in place from b[start:], the _xHHHH_ escapes by which OOXML
// stores characters XML cannot carry (a CR as _x000D_, a literal "_x" as _x005F_x).
// It follows excelize: leftmost matches, hex in either case, an escape of a surrogate
// decodes to nothing.
func unescapeOOXML(b []byte, start int) []byte {
	if !bytes.Contains(b[start:], []byte("_x")) {
		return b
	}
	w := start
	for i := start; i < len(b); {
		if b[i] == '_' && i+7 <= len(b) && b[i+1] == 'x' && b[i+6] == '_' {
			if n, ok := hex4(b[i+2 : i+6]); ok {
				if utf8.ValidRune(n) {
					w += utf8.EncodeRune(b[w:], n)
				}
				i += 7
				continue
			}
		}
		b[w] = b[i]
		w++
		i++
	}
	return b[:w]
}

func hex4(h []byte) (rune, bool) {
	var n rune
	for _, c := range h {
		switch {
		case c >= '0' && c <= '9':
			n = n<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			n = n<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			n = n<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return n, true
}

// fastText reads, at s.pos, the shape nearly every value has: open (e.g. "<v>"), text
// without references or CRs, then close (e.g. "</v></c>"), all in the window. It
// consumes them and returns the text (valid until the scanner reads on); the element
// holding them (opened before) is closed by close, so the depth drops by one. Anything
// else is left to the general path.
func (s *scanner) fastText(open, close []byte, limit int) ([]byte, bool) {
	if s.end-s.pos < 256 {
		s.ensure(256)
	}
	b := s.buf[s.pos:s.end]
	if !bytes.HasPrefix(b, open) {
		return nil, false
	}
	b = b[len(open):]
	// Most values are short (a number, a shared string's index): a byte loop finds
	// their end sooner than three IndexByte calls (for '<', '&' and CR) do.
	i := 0
	for n := min(len(b), shortText); i < n && !textStop[b[i]]; i++ {
	}
	if i == shortText {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 || bytes.IndexByte(b[i:i+j], '&') >= 0 || bytes.IndexByte(b[i:i+j], '\r') >= 0 {
			return nil, false
		}
		i += j
	}
	if i >= len(b) || b[i] != '<' || i > limit || !bytes.HasPrefix(b[i:], close) {
		return nil, false
	}
	s.pos += len(open) + i + len(close)
	s.depth--
	s.kind = tagClose
	return b[:i], true
}

const shortText = 32

// textStop marks the bytes that end fastText's byte loop.
var textStop = func() (t [256]bool) {
	t['<'], t['&'], t['\r'] = true, true, true
	return t
}()

var (
	fastV         = []byte("<v>")
	fastVClose    = []byte("</v></c>")
	fastT         = []byte("<t>")
	fastTPreserve = []byte(`<t xml:space="preserve">`)
	fastTClose    = []byte("</t></si>")
)
