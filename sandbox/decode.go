package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
)

// openBody checks the content type and caps the body at MaxBodyBytes. A body
// whose declared length is already over the cap is refused before reading.
func (s *Server) openBody(w http.ResponseWriter, r *http.Request) (io.Reader, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, &apiError{status: http.StatusUnsupportedMediaType,
				msg: fmt.Sprintf("Content-Type %q is not application/json", ct)}
		}
	}
	if r.ContentLength > s.opts.MaxBodyBytes {
		return nil, s.tooLarge()
	}
	return http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes), nil
}

func (s *Server) tooLarge() error {
	return &apiError{status: http.StatusRequestEntityTooLarge,
		msg: fmt.Sprintf("request body is larger than %d bytes", s.opts.MaxBodyBytes)}
}

// newDecoder is the one decoder a request body is read with. Unknown fields
// are refused so that a misspelt field name is an error, not silently lost.
func newDecoder(r io.Reader) *json.Decoder {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	return dec
}

// decodeProblem turns a decoding error into the answer, naming where in the
// body it happened. path is "" for the body itself.
func (s *Server) decodeProblem(path string, err error) error {
	var (
		mbe *http.MaxBytesError
		se  *json.SyntaxError
		ute *json.UnmarshalTypeError
	)
	at := func(field string) string {
		switch {
		case path == "" && field == "":
			return "body"
		case path == "":
			return field
		case field == "":
			return path
		}
		return path + "." + field
	}
	switch {
	case errors.As(err, &mbe):
		return s.tooLarge()
	case errors.Is(err, io.EOF) && path == "":
		return badRequest("request body is empty")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("%s: malformed JSON: the body ends too early", at(""))
	case errors.As(err, &se):
		return badRequest("%s: malformed JSON at byte %d: %s", at(""), se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &ute):
		return badRequest("%s: expected %s, got %s", at(ute.Field), describeType(ute.Type), ute.Value)
	}
	// With DisallowUnknownFields the decoder's remaining error is an
	// unknown field; its text names the field.
	return badRequest("%s: %s", at(""), strings.TrimPrefix(err.Error(), "json: "))
}

func describeType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "a boolean"
	case reflect.Map:
		return "an object of " + strings.TrimPrefix(describeType(t.Elem()), "a ") + "s"
	case reflect.Struct:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Pointer:
		return describeType(t.Elem())
	}
	return t.String()
}

// describeToken names the JSON type of a token for error messages.
func describeToken(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return "an object"
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", tok)
}

// expectEnd refuses anything after the body's one JSON value.
func (s *Server) expectEnd(dec *json.Decoder) error {
	tok, err := dec.Token()
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return s.decodeProblem("", err)
	}
	return badRequest("body: unexpected %s after the JSON value", describeToken(tok))
}

// decodeOne reads a body that is exactly one JSON object into v.
func (s *Server) decodeOne(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := s.openBody(w, r)
	if err != nil {
		return err
	}
	dec := newDecoder(body)
	if err := dec.Decode(v); err != nil {
		return s.decodeProblem("", err)
	}
	return s.expectEnd(dec)
}

// bulkGroup is one account's leads from a bulk body.
type bulkGroup struct {
	account string
	leads   []preparedLead
}

// bulkBody is a decoded, validated bulk request.
type bulkBody struct {
	groups   []bulkGroup
	count    int  // leads read, also when decoding stopped early
	rejected bool // a lead carries one of Options.RejectExternalIDs
}

// decodeBulk streams {"leadsByAccountId": {"18": [lead, ...]}} through one
// decoder, validating and preparing each lead as it is read, so that an error
// names the account and index: leadsByAccountId["18"][3].timestamp.
func (s *Server) decodeBulk(body io.Reader) (*bulkBody, error) {
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
	if err := validateLead(&v, at); err != nil {
		return preparedLead{}, err
	}
	return preparedLead{raw: str, externalID: v.externalID, phone: normalizePhone(v.phone)}, nil
}

func (s *Server) rejects(externalID string) bool {
	if externalID == "" {
		return false
	}
	_, ok := s.reject[externalID]
	return ok
}
