package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/xonvo/xonvo-import/wire"
)

// decodeBulk reads {"leadsByAccountId": {"18": [lead, ...]}}, validating
// and preparing each lead, so that an error names the account and index:
// leadsByAccountId["18"][3].timestamp. sizeHint is the declared body length,
// or -1.
//
// The body is read whole (MaxBytesReader caps it) and walked once by
// scanBulk, which checks syntax and leads in the same pass and hands each
// lead's text straight to scanLeadAt. Only a body it does not accept, or
// one whose reading failed (too large, cut off), goes through
// decodeBulkStream, which finds the same first problem and words it: so
// every answer is the streaming decoder's, and a good body is read once,
// not three times (json.Decoder, RawMessage, scanner).
func (s *Server) decodeBulk(body io.Reader, sizeHint int64) (*bulkBody, error) {
	b, _, err := s.decodeBulkInto(nil, body, sizeHint)
	return b, err
}

// decodeBulkInto is decodeBulk reading the body into buf when it is large
// enough. It returns the buffer it read into: the leads of the bulkBody
// are views of it, so it must not be written again until they are dropped.
func (s *Server) decodeBulkInto(buf []byte, body io.Reader, sizeHint int64) (*bulkBody, []byte, error) {
	data, err := readBody(buf, body, sizeHint)
	if err != nil {
		// Replay what was read, then the error: a lead problem before the
		// cut is still reported first, and a too large body is still a 413.
		b, err := s.decodeBulkStream(io.MultiReader(bytes.NewReader(data), errorReader{err: err}))
		return b, data, err
	}
	// A view, not a copy (a copy was a tenth of the sandbox's memmove): data
	// is not written again while the leads are used, and upsert copies what
	// it keeps.
	if out, ok := s.scanBulk(unsafe.String(unsafe.SliceData(data), len(data))); ok {
		return out, data, nil
	}
	b, err := s.decodeBulkStream(bytes.NewReader(data))
	return b, data, err
}

// readBody reads r to its end into buf, or into a new buffer when buf is
// too small for hint (the declared length, when known).
func readBody(buf []byte, r io.Reader, hint int64) ([]byte, error) {
	size := 512
	if hint > 0 {
		size = int(hint) + 1 // one more byte: room to see EOF without growing
	}
	if cap(buf) >= size {
		buf = buf[:0]
	} else {
		buf = make([]byte, 0, size)
	}
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // let append pick the growth
		}
	}
}

// maxPooledBody is the largest request buffer kept for the next request:
// a bulk request is about 40 KB, and a rare huge one is let go.
const maxPooledBody = 1 << 20

// takeBody returns a buffer for a request body: one an earlier request
// read into, or nil. Making and zeroing one per bulk request (40 KB) was a
// tenth of the sandbox's CPU on a million-row import.
func (s *Server) takeBody() *[]byte {
	if p, ok := s.bodies.Get().(*[]byte); ok {
		return p
	}
	return new([]byte)
}

// giveBody keeps buf, held in p, for a later request. Nothing may read it
// any more: every lead cut from it is copied or dropped.
func (s *Server) giveBody(p *[]byte, buf []byte) {
	if cap(buf) > maxPooledBody {
		buf = nil
	}
	*p = buf[:0]
	s.bodies.Put(p)
}

// errorReader fails every read with err.
type errorReader struct{ err error }

func (e errorReader) Read([]byte) (int, error) { return 0, e.err }

// scanBulk is the fast path of decodeBulk: it accepts only a body that
// json.Decoder reads without error and whose every lead passes, and then
// returns what decodeBulkStream would. On anything else it reports false
// and says nothing more: the streaming decoder words the answer.
func (s *Server) scanBulk(body string) (*bulkBody, bool) {
	// One slice for the leads of every group, sized for leads of about
	// minLeadBytes or more: growing a slice per group from nothing was 4% of
	// the sandbox's CPU.
	const minLeadBytes = 256
	leads := make([]preparedLead, 0, len(body)/minLeadBytes+1)
	out := &bulkBody{}
	sc := scanner{s: body}
	if sc.peek() != '{' {
		return nil, false
	}
	seen, ok := false, false
	for more := sc.open('}'); more; more = sc.next('}') {
		key, err := sc.exactKey()
		if err != nil || key != "leadsByAccountId" || seen {
			return nil, false
		}
		seen = true
		if leads, ok = s.scanAccounts(&sc, out, leads); !ok {
			return nil, false
		}
	}
	if sc.err != nil || sc.peek() != 0 || len(out.groups) == 0 {
		return nil, false // malformed, trailing data, or an empty batch
	}
	return out, true
}

// scanAccounts reads the value of leadsByAccountId at the scanner. The leads
// are appended to leads, each group's a part of it.
func (s *Server) scanAccounts(sc *scanner, out *bulkBody, leads []preparedLead) ([]preparedLead, bool) {
	switch sc.peek() {
	case 'n': // null: no accounts
		sc.null()
		return leads, sc.err == nil
	case '{':
	default:
		return leads, false
	}
	for more := sc.open('}'); more; more = sc.next('}') {
		acct, err := sc.exactKey()
		if err != nil || strings.TrimSpace(acct) == "" || sc.peek() != '[' {
			return leads, false
		}
		first := len(leads)
		for more := sc.open(']'); more; more = sc.next(']') {
			at := place{account: acct, index: len(leads) - first}
			start := sc.i // on the lead: open and next leave it there
			v, err := scanLeadAt(sc, at)
			if err != nil {
				return leads, false
			}
			// Cut from the body: upsert copies what it stores.
			p, err := finishLead(&v, sc.s[start:sc.i], at)
			if err != nil {
				return leads, false
			}
			if s.rejects(p.externalID) {
				out.rejected = true
			}
			leads = append(leads, p)
			out.count++
		}
		if sc.err != nil || len(leads) == first {
			return leads, false
		}
		// A later append may move leads; this group keeps its elements.
		out.groups = append(out.groups, bulkGroup{account: acct, leads: leads[first:len(leads):len(leads)]})
	}
	return leads, sc.err == nil
}

// exactKey reads a key as json.Decoder.Token does: invalid UTF-8 becomes
// U+FFFD, so that account ids, and the names of accounts in messages, are
// the decoder's.
func (sc *scanner) exactKey() (string, error) {
	sc.peek()
	start := sc.i
	k, err := sc.key()
	if err != nil || utf8.ValidString(k) {
		return k, err
	}
	ks := scanner{s: sc.s, i: start}
	end, _, _ := ks.strEnd()
	var out string
	if err := json.Unmarshal([]byte(sc.s[start:end+1]), &out); err != nil {
		return "", fmt.Errorf("sandbox: decode key: %w", err)
	}
	return out, nil
}

// decodeBulkStream streams a bulk body through one json.Decoder, validating
// and preparing each lead as it is read. decodeBulk uses it for every body
// scanBulk does not accept: it places syntax errors precisely, after any
// lead problem that comes before them, as a streaming reader meets them.
func (s *Server) decodeBulkStream(body io.Reader) (*bulkBody, error) {
	out := &bulkBody{}
	dec := newDecoder(body)
	if err := s.expectDelim(dec, "", '{'); err != nil {
		return out, err
	}
	seen := false
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return out, s.decodeProblem("", err)
		}
		if key != "leadsByAccountId" {
			return out, badRequest("body: unknown field %q (expected leadsByAccountId)", key)
		}
		if seen {
			return out, badRequest("body: leadsByAccountId appears twice")
		}
		seen = true
		if err := s.decodeAccounts(dec, out); err != nil {
			return out, err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return out, s.decodeProblem("", err)
	}
	if err := s.expectEnd(dec); err != nil {
		return out, err
	}
	if len(out.groups) == 0 {
		return out, badRequest("leadsByAccountId: no accounts and no leads: the batch is empty")
	}
	return out, nil
}

func (s *Server) decodeAccounts(dec *json.Decoder, out *bulkBody) error {
	const path = "leadsByAccountId"
	tok, err := dec.Token()
	if err != nil {
		return s.decodeProblem(path, err)
	}
	if tok == nil { // null: no accounts
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return badRequest("%s: expected an object keyed by account id, got %s", path, describeToken(tok))
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return s.decodeProblem(path, err)
		}
		acct, _ := key.(string) // object keys are always strings
		apath := fmt.Sprintf("%s[%q]", path, acct)
		if strings.TrimSpace(acct) == "" {
			return badRequest("%s: the account id is empty", apath)
		}
		if err := s.expectDelim(dec, apath, '['); err != nil {
			return err
		}
		group := bulkGroup{account: acct}
		for i := 0; dec.More(); i++ {
			at := place{account: acct, index: i}
			var raw json.RawMessage
			out.count++
			if err := dec.Decode(&raw); err != nil {
				return s.decodeProblem(at.lead(), err)
			}
			p, err := prepareLead(raw, at)
			if err != nil {
				return err
			}
			if s.rejects(p.externalID) {
				out.rejected = true
			}
			group.leads = append(group.leads, p)
		}
		if _, err := dec.Token(); err != nil { // ']'
			return s.decodeProblem(apath, err)
		}
		if len(group.leads) == 0 {
			return badRequest("%s: no leads: the batch is empty", apath)
		}
		out.groups = append(out.groups, group)
	}
	if _, err := dec.Token(); err != nil { // '}'
		return s.decodeProblem(path, err)
	}
	return nil
}

// expectDelim reads the opening delimiter of an object or array.
func (s *Server) expectDelim(dec *json.Decoder, path string, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return s.decodeProblem(path, err)
	}
	if d, ok := tok.(json.Delim); ok && d == want {
		return nil
	}
	what := "an object"
	if want == '[' {
		what = "an array of leads"
	}
	where := path
	if where == "" {
		where = "body"
	}
	return badRequest("%s: expected %s, got %s", where, what, describeToken(tok))
}

// prepareLead checks a lead's shape and field rules and turns it into its
// stored form: the raw JSON as one string, which the keys are cut from.
func prepareLead(raw json.RawMessage, at place) (preparedLead, error) {
	str := string(raw)
	v, err := scanLead(str, at)
	if err != nil {
		return preparedLead{}, err
	}
	return finishLead(&v, str, at)
}

// finishLead applies the field rules to a scanned lead whose JSON is raw.
func finishLead(v *wire.Lead, raw string, at place) (preparedLead, error) {
	if err := validateLead(v, at); err != nil {
		return preparedLead{}, err
	}
	return preparedLead{raw: raw, externalID: v.ExternalID, phone: normalizePhone(v.Phone)}, nil
}

func (s *Server) rejects(externalID string) bool {
	if externalID == "" {
		return false
	}
	_, ok := s.reject[externalID]
	return ok
}
