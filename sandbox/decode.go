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
