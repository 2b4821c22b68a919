package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// NotAPIError is an answer the XONVO External API does not give, so the
// server that sent it is something else: a wrong --url (a web server's 404
// page for an endpoint that is not there), a proxy or single-sign-on login
// page answering 200 with HTML, a redirect. It is never retried, and it does
// not match ErrNotFound: nothing was looked up. It matches ErrNotAPI.
type NotAPIError struct {
	Method string
	// URL is the full URL of the request, without query (which may hold a
	// phone number) and never with credentials.
	URL        string
	StatusCode int
	// Reason says what about the answer is not the API's, e.g. `an HTML
	// page "Sign in"`.
	Reason string
}

// Error names the URL and says to check --url.
func (e *NotAPIError) Error() string {
	status := fmt.Sprint(e.StatusCode)
	if text := http.StatusText(e.StatusCode); text != "" {
		status += " " + text
	}
	return fmt.Sprintf("%s %s: %s with %s: this is not the XONVO External API; check --url (the API's base URL, with its path prefix)",
		e.Method, e.URL, status, e.Reason)
}

// Is makes errors.Is(err, ErrNotAPI) true.
func (e *NotAPIError) Is(target error) bool { return target == ErrNotAPI }

// maxReasonQuote caps the part of a foreign body quoted in a NotAPIError.
const maxReasonQuote = 120

// checkSuccessBody refuses a 2xx the API would not send: an HTML or XML
// page (a proxy's or single-sign-on login page, a web server's index). A
// short plain-text body is accepted: the collection's own "Add a lead"
// answer is a 34-byte body Postman shows as plain text, so the real API may
// well send one.
func (c *Client) checkSuccessBody(r *request, resp *http.Response, body []byte) error {
	trimmed := bytes.TrimSpace(body)
	ct := resp.Header.Get("Content-Type")
	if len(trimmed) == 0 || !isMarkup(ct, trimmed) {
		return nil
	}
	return c.notAPI(r, resp.StatusCode, describeBody(ct, trimmed))
}

// checkErrorAnswer recognises error answers the API does not give:
//   - a 404 whose body is not the API's JSON error (a web server's "page not
//     found", an HTML page, an empty text/html answer): the endpoint itself
//     is missing, not the account or lead;
//   - any 405: the client only sends the method the collection documents for
//     each path, so the path is served by something else;
//   - any 3xx: the API does not redirect; a redirect goes to a login page,
//     or from http to https.
//
// It returns nil for an answer that is the API's own.
func (c *Client) checkErrorAnswer(r *request, resp *http.Response, body []byte) error {
	ct := resp.Header.Get("Content-Type")
	trimmed := bytes.TrimSpace(body)
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode <= 399:
		return c.notAPI(r, resp.StatusCode, "a redirect to "+quoteForeign(safeLocation(resp)))
	case resp.StatusCode == http.StatusMethodNotAllowed:
		reason := "a refusal of the method " + r.method + " on this path"
		if allow := resp.Header.Get("Allow"); allow != "" {
			reason += " (allowed: " + quoteForeign(allow) + ")"
		}
		return c.notAPI(r, resp.StatusCode, reason)
	case resp.StatusCode == http.StatusNotFound && !isAPIErrorBody(ct, trimmed):
		return c.notAPI(r, resp.StatusCode, describeBody(ct, trimmed))
	}
	return nil
}

// isAPIErrorBody reports whether a 404 body is the API's JSON error (the
// sandbox sends {"message": "..."}; Spring-style {"status": 404, ...} too).
// An empty body counts as the API's unless it is declared HTML: a bare 404
// is what many APIs answer for an unknown id.
func isAPIErrorBody(contentType string, body []byte) bool {
	if isMarkup(contentType, body) {
		return false
	}
	if len(body) == 0 {
		return true
	}
	return body[0] == '{' && json.Valid(body)
}

// isMarkup reports whether an answer is HTML or XML: declared so, or
// starting with '<'.
func isMarkup(contentType string, body []byte) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(contentType)
	}
	if strings.Contains(mt, "html") || strings.Contains(mt, "xml") {
		return true
	}
	return len(body) > 0 && body[0] == '<'
}

// describeBody words a foreign body for a NotAPIError reason.
func describeBody(contentType string, body []byte) string {
	ct := contentType
	if mt, _, err := mime.ParseMediaType(contentType); err == nil {
		ct = mt
	}
	if ct == "" {
		ct = "no Content-Type"
	}
	if len(body) == 0 {
		return "an empty body (" + quoteForeign(ct) + ")"
	}
	text := errorMessage(contentType, body, false)
	if isMarkup(contentType, body) {
		if text == "" {
			return "an HTML page (" + quoteForeign(ct) + ")"
		}
		return "an HTML page titled " + quoteForeign(text)
	}
	return "a body that is not JSON (" + quoteForeign(ct) + "): " + quoteForeign(text)
}

// quoteForeign quotes text from a foreign server, cut to a readable length.
func quoteForeign(s string) string {
	if len(s) > maxReasonQuote {
		cut := maxReasonQuote
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// safeLocation is a redirect's target without userinfo, query or fragment,
// which may carry tokens.
func safeLocation(resp *http.Response) string {
	loc := resp.Header.Get("Location")
	if loc == "" {
		return "(no Location)"
	}
	u, err := url.Parse(loc)
	if err != nil {
		return "(an unreadable Location)"
	}
	if resp.Request != nil && resp.Request.URL != nil {
		u = resp.Request.URL.ResolveReference(u)
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}

// notAPI builds the NotAPIError of an answer to r.
func (c *Client) notAPI(r *request, status int, reason string) error {
	return &NotAPIError{Method: r.method, URL: c.scrub(c.base + r.endpoint), StatusCode: status, Reason: c.scrub(reason)}
}
