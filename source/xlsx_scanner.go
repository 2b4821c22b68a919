package source

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// A hand-rolled scanner for the few XML shapes of a sheet and its shared strings. It is
// several times faster than encoding/xml's tokenizer, which allocates per token; it supports
// what spreadsheet writers emit: elements with prefixes, attributes in either quote, entity
// and character references, comments, processing instructions and CDATA in text.

type tagKind uint8

const (
	tagOpen tagKind = iota + 1
	tagClose
	tagSelfClose
)

// xmlTag is the most recent tag; its slices are valid until the scanner reads on.
type xmlTag struct {
	kind  tagKind
	name  []byte // local name, prefix stripped
	attrs []byte // raw attribute text
}

type xmlScanner struct {
	br  *bufio.Reader
	buf []byte // the current tag's bytes
	raw []byte // raw text before decoding
	tag xmlTag
}

var errBadXML = errors.New("malformed XML")

func newXMLScanner(br *bufio.Reader) *xmlScanner {
	return &xmlScanner{br: br}
}

// next skips text and returns the next element tag.
func (s *xmlScanner) next() (xmlTag, error) {
	for {
		if err := s.skipPast('<'); err != nil {
			return xmlTag{}, err
		}
		ok, err := s.readTag()
		if err != nil {
			return xmlTag{}, err
		}
		if ok {
			return s.tag, nil
		}
	}
}

func (s *xmlScanner) skipPast(c byte) error {
	for {
		_, err := s.br.ReadSlice(c)
		if err == nil {
			return nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

// readTag reads a tag whose '<' was consumed. It reports false for comments, processing
// instructions, declarations and CDATA sections outside text, which it skips.
func (s *xmlScanner) readTag() (bool, error) {
	if peek, _ := s.br.Peek(1); len(peek) == 1 && (peek[0] == '!' || peek[0] == '?') {
		return false, s.skipMarkup()
	}
	s.buf = s.buf[:0]
	var quote byte
	for {
		chunk, err := s.br.ReadSlice('>')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return false, unexpectedEOF(err)
		}
		if quote != 0 || bytes.IndexByte(chunk, '"') >= 0 || bytes.IndexByte(chunk, '\'') >= 0 {
			quote = quoteState(chunk, quote)
		}
		b := chunk
		if err != nil || quote != 0 || len(s.buf) > 0 {
			// A tag split by the buffer or by a '>' inside a quoted value: gather it.
			s.buf = append(s.buf, chunk...)
			if err != nil || quote != 0 {
				continue
			}
			b = s.buf
		}
		// b is the whole tag up to its '>'. It may alias the reader's buffer: callers are
		// done with a tag before reading on.
		s.parseTag(b[:len(b)-1])
		return true, nil
	}
}

// skipMarkup skips a comment, CDATA section, declaration or processing instruction whose
// '<' was consumed.
func (s *xmlScanner) skipMarkup() error {
	end := ">"
	if peek, _ := s.br.Peek(len("![CDATA[")); bytes.HasPrefix(peek, []byte("!--")) {
		end = "-->"
	} else if string(peek) == "![CDATA[" {
		end = "]]>"
	}
	s.buf = s.buf[:0]
	for {
		chunk, err := s.br.ReadSlice('>')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return unexpectedEOF(err)
		}
		s.buf = append(s.buf, chunk...)
		if err == nil && bytes.HasSuffix(s.buf, []byte(end)) && len(s.buf) >= 2*len(end)-1 {
			return nil
		}
	}
}

// quoteState follows attribute quoting through chunk, starting inside quote (0: outside).
func quoteState(chunk []byte, quote byte) byte {
	for _, c := range chunk {
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		}
	}
	return quote
}

func (s *xmlScanner) parseTag(b []byte) {
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
	name, attrs := b[:end], b[end:]
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	s.tag = xmlTag{kind: kind, name: name, attrs: attrs}
}

// readText appends the decoded text up to the next tag to dst, then reads that tag (into
// s.tag). CDATA sections are part of the text.
func (s *xmlScanner) readText(dst []byte) ([]byte, error) {
	for {
		s.raw = s.raw[:0]
		for {
			chunk, err := s.br.ReadSlice('<')
			if err == nil {
				s.raw = append(s.raw, chunk[:len(chunk)-1]...)
				break
			}
			if !errors.Is(err, bufio.ErrBufferFull) {
				return dst, unexpectedEOF(err)
			}
			s.raw = append(s.raw, chunk...)
		}
		var err error
		if dst, err = appendUnescaped(dst, s.raw); err != nil {
			return dst, err
		}
		if peek, _ := s.br.Peek(len("![CDATA[")); string(peek) == "![CDATA[" {
			if dst, err = s.appendCDATA(dst); err != nil {
				return dst, err
			}
			continue
		}
		ok, err := s.readTag()
		if err != nil {
			return dst, err
		}
		if ok {
			return dst, nil
		}
	}
}

func (s *xmlScanner) appendCDATA(dst []byte) ([]byte, error) {
	if _, err := s.br.Discard(len("![CDATA[")); err != nil {
		return dst, unexpectedEOF(err)
	}
	start := len(dst)
	for {
		chunk, err := s.br.ReadSlice('>')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return dst, unexpectedEOF(err)
		}
		dst = append(dst, chunk...)
		if err == nil && bytes.HasSuffix(dst[start:], []byte("]]>")) {
			return dst[:len(dst)-len("]]>")], nil
		}
	}
}

// skipElement skips to the end of the element named name whose open tag was just read.
func (s *xmlScanner) skipElement(name string) error {
	depth := 0
	for {
		tag, err := s.next()
		if err != nil {
			return unexpectedEOF(err)
		}
		if string(tag.name) != name {
			continue
		}
		switch tag.kind {
		case tagOpen:
			depth++
		case tagClose:
			if depth == 0 {
				return nil
			}
			depth--
		}
	}
}

// appendRichText appends the text of a string item (<si> or <is>, whose open tag was just
// read): plain <t> or the runs' <t>s, without phonetic hints (<rPh>).
func (s *xmlScanner) appendRichText(dst []byte, end string) ([]byte, error) {
	for {
		tag, err := s.next()
		if err != nil {
			return dst, unexpectedEOF(err)
		}
		name := string(tag.name)
		switch {
		case tag.kind == tagClose && name == end:
			return dst, nil
		case tag.kind == tagOpen && name == "rPh":
			if err := s.skipElement("rPh"); err != nil {
				return dst, err
			}
		case tag.kind == tagOpen && name == "t":
			start := len(dst)
			if dst, err = s.readText(dst); err != nil {
				return dst, err
			}
			dst = appendOOXMLUnescaped(dst, start)
		}
	}
}

// tagAttr returns the value of attribute key (local name) in raw attribute text.
func tagAttr(attrs []byte, key string) ([]byte, bool) {
	i := 0
	for {
		for i < len(attrs) && isXMLSpace(attrs[i]) {
			i++
		}
		start := i
		for i < len(attrs) && attrs[i] != '=' && !isXMLSpace(attrs[i]) {
			i++
		}
		name := attrs[start:i]
		for i < len(attrs) && (attrs[i] == '=' || isXMLSpace(attrs[i])) {
			i++
		}
		if i >= len(attrs) || (attrs[i] != '"' && attrs[i] != '\'') {
			return nil, false
		}
		q := attrs[i]
		end := bytes.IndexByte(attrs[i+1:], q)
		if end < 0 {
			return nil, false
		}
		if c := bytes.IndexByte(name, ':'); c >= 0 {
			name = name[c+1:]
		}
		if string(name) == key {
			return attrs[i+1 : i+1+end], true
		}
		i += end + 2
	}
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// appendUnescaped appends raw with entity and character references decoded.
func appendUnescaped(dst, raw []byte) ([]byte, error) {
	for {
		amp := bytes.IndexByte(raw, '&')
		if amp < 0 {
			return append(dst, raw...), nil
		}
		dst = append(dst, raw[:amp]...)
		raw = raw[amp:]
		semi := bytes.IndexByte(raw, ';')
		if semi < 0 {
			return dst, fmt.Errorf("%w: unterminated entity", errBadXML)
		}
		ent := raw[1:semi]
		switch string(ent) {
		case "amp":
			dst = append(dst, '&')
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			r, ok := charRef(ent)
			if !ok {
				return dst, fmt.Errorf("%w: unknown entity &%s;", errBadXML, ent)
			}
			dst = utf8.AppendRune(dst, r)
		}
		raw = raw[semi+1:]
	}
}

func charRef(ent []byte) (rune, bool) {
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if ent[1] == 'x' || ent[1] == 'X' {
		n, err = strconv.ParseUint(string(ent[2:]), 16, 32)
	} else {
		n, err = strconv.ParseUint(string(ent[1:]), 10, 32)
	}
	if err != nil || !utf8.ValidRune(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// appendOOXMLUnescaped decodes, in place from dst[start:], OOXML's _xHHHH_ escapes (how
// Excel stores control characters such as a CR in text).
func appendOOXMLUnescaped(dst []byte, start int) []byte {
	if bytes.Index(dst[start:], []byte("_x")) < 0 {
		return dst
	}
	out := dst[:start]
	src := append([]byte(nil), dst[start:]...)
	for i := 0; i < len(src); {
		if i+7 <= len(src) && src[i] == '_' && src[i+1] == 'x' && src[i+6] == '_' {
			if n, err := strconv.ParseUint(string(src[i+2:i+6]), 16, 16); err == nil {
				out = utf8.AppendRune(out, rune(n))
				i += 7
				continue
			}
		}
		out = append(out, src[i])
		i++
	}
	return out
}

func unexpectedEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: unexpected end of part", errBadXML)
	}
	return err
}
