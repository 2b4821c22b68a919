package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// apiError is a problem answered to the caller with a status and a JSON
// {"message": "..."} body.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &apiError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return &apiError{status: http.StatusNotFound, msg: fmt.Sprintf(format, args...)}
}

// errorBody is the JSON shape of every error answer.
type errorBody struct {
	Message string `json:"message"`
}

// writeError answers err; anything that is not an apiError is a 500, which
// only a bug in the sandbox can produce.
func writeError(w http.ResponseWriter, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = &apiError{status: http.StatusInternalServerError, msg: "internal error: " + err.Error()}
	}
	writeMessage(w, ae.status, ae.msg)
}

func writeMessage(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// The status is already sent; a failed write means the caller left.
	_ = json.NewEncoder(w).Encode(v)
}

// prefixed puts where a problem is in front of its message.
func prefixed(prefix string, err error) error {
	var ae *apiError
	if errors.As(err, &ae) {
		return &apiError{status: ae.status, msg: prefix + ": " + ae.msg}
	}
	return err
}
