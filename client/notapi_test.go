package client

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNotAPI checks which answers are recognised as coming from something
// other than the API (a wrong --url, a proxy, a login page), and that the
// API's own answers, its JSON 404 included, are not.
func TestNotAPI(t *testing.T) {
	htmlCT := map[string]string{"Content-Type": "text/html; charset=utf-8"}
	jsonCT := map[string]string{"Content-Type": "application/json"}
	textCT := map[string]string{"Content-Type": "text/plain; charset=utf-8"}
	nginx404 := "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
	tests := []struct {
		name       string
		reply      reply
		wantNotAPI bool
		wantErr    error    // when not a NotAPIError: nil for success, else a sentinel
		wantIn     []string // in the NotAPIError's message
	}{
		{name: "200 empty", reply: reply{status: 200}},
		{name: "200 empty declared html", reply: reply{status: 200, header: htmlCT}},
		{name: "200 json", reply: reply{status: 200, header: jsonCT, body: `{"id": 18}`}},
		{name: "201 json array", reply: reply{status: 201, body: ` [1, 2] `}},
		{
			name:       "200 login page",
			reply:      reply{status: 200, header: htmlCT, body: "<!DOCTYPE html><html><head><title>Sign in · Corp SSO</title></head><body><form>…</form></body></html>"},
			wantNotAPI: true, wantIn: []string{`200 OK with an HTML page titled "Sign in · Corp SSO"`},
		},
		{
			name:       "200 markup without a declared type",
			reply:      reply{status: 200, header: jsonCT, body: "  <?xml version=\"1.0\"?><error/>"},
			wantNotAPI: true, wantIn: []string{"an HTML page"},
		},
		{
			name:       "200 json declared html",
			reply:      reply{status: 200, header: htmlCT, body: `{"id": 18}`},
			wantNotAPI: true,
		},
		// The collection's own "Add a lead" answer is a 34-byte plain-text
		// body: plain text on success may be the API's.
		{name: "200 plain text", reply: reply{status: 200, header: textCT, body: "Lead added successfully: 2"}},
		{
			name:       "404 web server page",
			reply:      reply{status: 404, header: htmlCT, body: nginx404},
			wantNotAPI: true, wantIn: []string{`404 Not Found with an HTML page titled "404 Not Found"`},
		},
		{
			name:       "404 go default",
			reply:      reply{status: 404, header: textCT, body: "404 page not found\n"},
			wantNotAPI: true, wantIn: []string{`"404 page not found"`},
		},
		{
			name:       "404 empty html",
			reply:      reply{status: 404, header: htmlCT},
			wantNotAPI: true, wantIn: []string{`an empty body ("text/html")`},
		},
		{
			name:    "404 the API's json error",
			reply:   reply{status: 404, header: jsonCT, body: `{"message":"account 99 not found"}`},
			wantErr: ErrNotFound,
		},
		{
			name:    "404 spring style json error",
			reply:   reply{status: 404, header: jsonCT, body: `{"timestamp":"2024-05-01T12:00:00.000+00:00","status":404,"error":"Not Found","path":"/leads/bulk"}`},
			wantErr: ErrNotFound,
		},
		{
			name:    "404 empty without a type",
			reply:   reply{status: 404},
			wantErr: ErrNotFound,
		},
		{
			name:       "405 json",
			reply:      reply{status: 405, header: map[string]string{"Content-Type": "application/json", "Allow": "GET"}, body: `{"message":"no"}`},
			wantNotAPI: true, wantIn: []string{`405 Method Not Allowed with a refusal of the method POST on this path (allowed: "GET")`},
		},
		{
			name:       "301 http to https",
			reply:      reply{status: 301, header: map[string]string{"Location": "https://admin.xonvo.com/api/external/leads/bulk"}},
			wantNotAPI: true, wantIn: []string{`301 Moved Permanently with a redirect to "https://admin.xonvo.com/api/external/leads/bulk"`},
		},
		{
			name:       "302 to a login page drops userinfo and query",
			reply:      reply{status: 302, header: map[string]string{"Location": "https://user:tok@sso.example.com/login?next=%2Fleads&token=abc#x"}},
			wantNotAPI: true, wantIn: []string{`redirect to "https://sso.example.com/login"`},
		},
		{
			name:       "302 relative",
			reply:      reply{status: 302, header: map[string]string{"Location": "/login"}},
			wantNotAPI: true, wantIn: []string{`/login"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.reply)
			c := api.newClient(t, WithRetry(RetryPolicy{MaxRetries: 3, Sleep: (&sleepRecorder{}).sleep}))
			err := c.PostLeadsBulkJSON(t.Context(), []byte(`{"leadsByAccountId":{}}`))
			if !tt.wantNotAPI {
				assert.False(t, errors.Is(err, ErrNotAPI), "errors.Is(%v, ErrNotAPI)", err)
				if tt.wantErr == nil {
					require.NoError(t, err)
				} else {
					require.ErrorIs(t, err, tt.wantErr)
				}
				return
			}
			require.ErrorIs(t, err, ErrNotAPI)
			var na *NotAPIError
			require.ErrorAs(t, err, &na)
			assert.Equal(t, tt.reply.status, na.StatusCode)
			assert.Equal(t, http.MethodPost, na.Method)
			assert.Equal(t, api.url+"/leads/bulk", na.URL)
			for _, s := range sentinels {
				assert.False(t, errors.Is(err, s), "a foreign answer matches no API sentinel, not %v", s)
			}
			msg := err.Error()
			assert.Contains(t, msg, "POST "+api.url+"/leads/bulk: ")
			assert.Contains(t, msg, "check --url")
			for _, want := range tt.wantIn {
				assert.Contains(t, msg, want)
			}
			assert.NotContains(t, msg, "tok")
			assert.NotContains(t, msg, "abc")
		})
	}
}

// TestNotAPIURLLeavesOutQueryAndSecrets: the phone of an unsubscribe is not
// in the URL the error names, nor is any form of the password.
func TestNotAPIURLLeavesOutQueryAndSecrets(t *testing.T) {
	api := newFakeAPI(t, reply{status: 404, header: map[string]string{"Content-Type": "text/html"},
		body: "<title>no page for " + testPassword + "</title>"})
	err := api.newClient(t).UnsubscribeByPhone(t.Context(), "+1333-111-8888")
	require.ErrorIs(t, err, ErrNotAPI)
	assert.NotContains(t, err.Error(), "1333")
	assert.NotContains(t, err.Error(), testPassword)
	assert.Contains(t, err.Error(), "PUT "+api.url+"/lead/unsubscribe: 404 Not Found")
}
