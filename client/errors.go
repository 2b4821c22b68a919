package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xonvo/xonvo-import/internal/httpwait"
)

// Sentinel errors. (*APIError).Is maps HTTP statuses onto the first five, so
// callers can write errors.Is(err, client.ErrAuth) without inspecting codes.
var (
	// ErrAuth matches 401 and 403 responses.
	ErrAuth = errors.New("xonvo: authentication refused")
	// ErrNotFound matches the API's 404 answers (a JSON error, or an empty
	// body not declared HTML): an unknown account, lead or phone. A 404
	// page from something else is a *NotAPIError instead.
	ErrNotFound = errors.New("xonvo: not found")
	// ErrRateLimited matches 429 responses.
	ErrRateLimited = errors.New("xonvo: rate limited")
	// ErrBadRequest matches 400 responses.
	ErrBadRequest = errors.New("xonvo: bad request")
	// ErrServer matches every 5xx response.
	ErrServer = errors.New("xonvo: server error")
	// ErrInvalidBaseURL is returned by New for a base URL it cannot use.
	ErrInvalidBaseURL = errors.New("client: invalid base URL")
	// ErrInvalidArgument is returned, before anything is sent, for an
	// argument that cannot form a valid request (an empty account id, say).
	ErrInvalidArgument = errors.New("client: invalid argument")
	// ErrNotAPI matches a *NotAPIError: the server that answered is not the
	// XONVO External API (a wrong --url, a proxy or login page).
	ErrNotAPI = errors.New("xonvo: the server is not the XONVO External API")
	// ErrRetryAfterTooLong matches a *RetryAfterError: the server asked to
	// wait longer than RetryPolicy.MaxWait.
	ErrRetryAfterTooLong = errors.New("xonvo: the server asked to wait too long")
	// ErrBodyIncomplete matches a 2xx answer whose body broke off or
	// stalled: the request was applied but its answer was not read whole.
	// Such an attempt is retried, and the retry counted as a resend.
	ErrBodyIncomplete = errors.New("xonvo: response body incomplete")
)

// Limits on what is kept of an error response.
const (
	maxErrorBody  = 64 << 10 // bytes read from an error response
	maxMessageLen = 2 << 10  // bytes kept in APIError.Message
)

// APIError is a non-2xx answer from the API (answers that cannot be the
// API's, such as a web server's 404 page or a redirect, are *NotAPIError).
type APIError struct {
	StatusCode int
	Method     string
	// Endpoint is the escaped path relative to the base URL, without query,
	// e.g. "/accounts/18/leads/x%20y/reset".
	Endpoint string
	// Message is the server's explanation, one line, at most about 2 KiB,
	// with credentials scrubbed. Empty when the server gave none.
	Message string
	// RetryAfter is the server's Retry-After (429 and 503 only), 0 if absent.
	RetryAfter time.Duration
}

// Error formats as `POST /leads/bulk: 400 Bad Request: <message>`.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d", e.Method, e.Endpoint, e.StatusCode)
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteString(" " + text)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	return b.String()
}

// Is maps the status code onto the package's sentinel errors.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrAuth:
		return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrServer:
		return e.StatusCode >= 500 && e.StatusCode <= 599
	}
	return false
}

// noResponseError is a transport failure: the request was (or may have been)
// sent but no HTTP response came back, so it may have been applied.
type noResponseError struct {
	method, endpoint string
	reason           string // scrubbed text of the cause, without the URL
	err              error
}

func (e *noResponseError) Error() string {
	return fmt.Sprintf("%s %s: no response: %s", e.method, e.endpoint, e.reason)
}

func (e *noResponseError) Unwrap() error { return e.err }

// IsNoResponse reports whether err comes from a request that got no HTTP
// response (timeout, connection reset, EOF): the server may have applied it.
func IsNoResponse(err error) bool {
	var nr *noResponseError
	return errors.As(err, &nr)
}

// newNoResponseError wraps a transport error. The url.Error layer is kept for
// errors.Is/As but left out of the text: it repeats the method and full URL.
func (c *Client) newNoResponseError(r *request, err error) error {
	return &noResponseError{method: r.method, endpoint: r.endpoint, reason: c.scrub(transportReason(err).Error()), err: err}
}

// transportReason is err without its url.Error layer, which quotes the URL.
func transportReason(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// newAPIError builds the error for a non-2xx response from (a bounded part
// of) its body.
func (c *Client) newAPIError(r *request, resp *http.Response, body []byte, truncated bool) *APIError {
	e := &APIError{
		StatusCode: resp.StatusCode,
		Method:     r.method,
		Endpoint:   r.endpoint,
		Message:    c.scrub(errorMessage(resp.Header.Get("Content-Type"), body, truncated)),
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		e.RetryAfter = httpwait.RetryAfter(resp.Header.Get("Retry-After"), c.now())
	}
	return e
}

var htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// errorMessage extracts a one-line human message from an error body.
func errorMessage(contentType string, body []byte, truncated bool) string {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return ""
	}
	msg := ""
	var obj map[string]json.RawMessage
	switch {
	case strings.Contains(strings.ToLower(contentType), "html") || bytes.HasPrefix(body, []byte("<")):
		if m := htmlTitle.FindSubmatch(body); m != nil {
			msg = string(m[1])
		}
	case !truncated && json.Unmarshal(body, &obj) == nil:
		for _, key := range []string{"message", "error"} {
			var s string
			if json.Unmarshal(obj[key], &s) == nil && strings.TrimSpace(s) != "" {
				msg = s
				break
			}
		}
		if msg == "" {
			msg = string(body)
		}
	default:
		msg = string(body)
	}
	msg = strings.Join(strings.Fields(strings.ToValidUTF8(msg, "\uFFFD")), " ")
	if len(msg) > maxMessageLen {
		cut := maxMessageLen
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg, truncated = msg[:cut], true
	}
	if truncated {
		msg += " …(truncated)"
	}
	return msg
}
