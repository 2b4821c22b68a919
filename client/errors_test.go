package client

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/httpwait"
	"github.com/xonvo/xonvo-import/wire"
)

var sentinels = []error{ErrAuth, ErrNotFound, ErrRateLimited, ErrBadRequest, ErrServer}

// TestAPIErrors checks how error responses become *APIError values.
func TestAPIErrors(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	jsonCT := map[string]string{"Content-Type": "application/json"}
	tests := []struct {
		name           string
		reply          reply
		wantSentinel   error // nil: matches none
		wantMessage    string
		wantRetryAfter time.Duration
		wantError      string
	}{
		{
			name:         "400 json message",
			reply:        reply{status: 400, header: jsonCT, body: `{"message": "phone is required"}`},
			wantSentinel: ErrBadRequest, wantMessage: "phone is required",
			wantError: "POST /leads/bulk: 400 Bad Request: phone is required",
		},
		{
			name:         "400 spring style prefers message over error",
			reply:        reply{status: 400, header: jsonCT, body: `{"timestamp":"2024-05-01","status":400,"error":"Bad Request","message":"Invalid timestamp","path":"/leads/bulk"}`},
			wantSentinel: ErrBadRequest, wantMessage: "Invalid timestamp",
			wantError: "POST /leads/bulk: 400 Bad Request: Invalid timestamp",
		},
		{
			name:         "400 error field only",
			reply:        reply{status: 400, header: jsonCT, body: `{"error": "lead list is empty"}`},
			wantSentinel: ErrBadRequest, wantMessage: "lead list is empty",
			wantError: "POST /leads/bulk: 400 Bad Request: lead list is empty",
		},
		{
			name:         "400 json without message keeps the json",
			reply:        reply{status: 400, header: jsonCT, body: `{"code": 12}`},
			wantSentinel: ErrBadRequest, wantMessage: `{"code": 12}`,
			wantError: `POST /leads/bulk: 400 Bad Request: {"code": 12}`,
		},
		{
			name:         "400 plain text trimmed to one line",
			reply:        reply{status: 400, body: "\n  bad\n  request body \n"},
			wantSentinel: ErrBadRequest, wantMessage: "bad request body",
			wantError: "POST /leads/bulk: 400 Bad Request: bad request body",
		},
		{
			name:         "400 empty body",
			reply:        reply{status: 400},
			wantSentinel: ErrBadRequest,
			wantError:    "POST /leads/bulk: 400 Bad Request",
		},
		{
			name:         "401",
			reply:        reply{status: 401, header: map[string]string{"WWW-Authenticate": `Basic realm="ALOT-EXTERNAL"`}},
			wantSentinel: ErrAuth,
			wantError:    "POST /leads/bulk: 401 Unauthorized",
		},
		{
			name:         "403",
			reply:        reply{status: 403, body: "Forbidden"},
			wantSentinel: ErrAuth, wantMessage: "Forbidden",
			wantError: "POST /leads/bulk: 403 Forbidden: Forbidden",
		},
		{
			name:         "404",
			reply:        reply{status: 404, header: jsonCT, body: `{"message":"account 99 not found"}`},
			wantSentinel: ErrNotFound, wantMessage: "account 99 not found",
			wantError: "POST /leads/bulk: 404 Not Found: account 99 not found",
		},
		{
			name:         "429 retry-after seconds",
			reply:        reply{status: 429, header: map[string]string{"Retry-After": "7"}},
			wantSentinel: ErrRateLimited, wantRetryAfter: 7 * time.Second,
			wantError: "POST /leads/bulk: 429 Too Many Requests",
		},
		{
			name:         "429 retry-after http date",
			reply:        reply{status: 429, header: map[string]string{"Retry-After": now.Add(90 * time.Second).Format(http.TimeFormat)}},
			wantSentinel: ErrRateLimited, wantRetryAfter: 90 * time.Second,
			wantError: "POST /leads/bulk: 429 Too Many Requests",
		},
		{
			name:         "429 without retry-after",
			reply:        reply{status: 429},
			wantSentinel: ErrRateLimited,
			wantError:    "POST /leads/bulk: 429 Too Many Requests",
		},
		{
			name:         "503 retry-after",
			reply:        reply{status: 503, header: map[string]string{"Retry-After": "2"}},
			wantSentinel: ErrServer, wantRetryAfter: 2 * time.Second,
			wantError: "POST /leads/bulk: 503 Service Unavailable",
		},
		{
			name:         "500 ignores retry-after",
			reply:        reply{status: 500, header: map[string]string{"Retry-After": "2"}, body: "boom"},
			wantSentinel: ErrServer, wantMessage: "boom",
			wantError: "POST /leads/bulk: 500 Internal Server Error: boom",
		},
		{
			name:         "502 html page reduced to its title",
			reply:        reply{status: 502, header: map[string]string{"Content-Type": "text/html"}, body: "<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>"},
			wantSentinel: ErrServer, wantMessage: "502 Bad Gateway",
			wantError: "POST /leads/bulk: 502 Bad Gateway: 502 Bad Gateway",
		},
		{
			name:      "409 matches no sentinel",
			reply:     reply{status: 409, body: "duplicate"},
			wantError: "POST /leads/bulk: 409 Conflict: duplicate", wantMessage: "duplicate",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.reply)
			c := api.newClient(t, withClock(func() time.Time { return now }))
			err := c.PostLeadsBulkJSON(t.Context(), []byte(`{"leadsByAccountId":{}}`))

			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.reply.status, apiErr.StatusCode)
			assert.Equal(t, http.MethodPost, apiErr.Method)
			assert.Equal(t, "/leads/bulk", apiErr.Endpoint)
			assert.Equal(t, tt.wantMessage, apiErr.Message)
			assert.Equal(t, tt.wantRetryAfter, apiErr.RetryAfter)
			assert.Equal(t, tt.wantError, err.Error())
			assert.False(t, IsNoResponse(err))
			for _, s := range sentinels {
				assert.Equal(t, s == tt.wantSentinel, errors.Is(err, s), "errors.Is(err, %v)", s)
			}
		})
	}
}

// TestHugeErrorBodyTruncated checks a huge error page neither floods the
// message nor is read whole.
func TestHugeErrorBodyTruncated(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"huge text", strings.Repeat("x", 5<<20)},
		{"huge json", `{"message":"` + strings.Repeat("y", 1<<20) + `"}`},
		{"long multibyte text", strings.Repeat("é", maxMessageLen)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, reply{status: 400, body: tt.body})
			c := api.newClient(t)
			err := c.AddLead(t.Context(), wire.Lead{})
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.LessOrEqual(t, len(apiErr.Message), maxMessageLen+len(" …(truncated)"))
			assert.True(t, strings.HasSuffix(apiErr.Message, " …(truncated)"), "message ends with the truncation mark")
			assert.True(t, strings.ToValidUTF8(apiErr.Message, "") == apiErr.Message, "message is valid UTF-8")
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, value string
		want        time.Duration
	}{
		{"empty", "", 0},
		{"seconds", "120", 2 * time.Minute},
		{"seconds with spaces", " 3 ", 3 * time.Second},
		{"zero", "0", 0},
		{"negative", "-5", 0},
		{"http date in future", "Wed, 01 May 2024 12:00:30 GMT", 30 * time.Second},
		{"http date in past", "Wed, 01 May 2024 11:00:00 GMT", 0},
		{"rfc850 date", "Wednesday, 01-May-24 12:01:00 GMT", time.Minute},
		{"garbage", "soon", 0},
		{"huge seconds saturates", "99999999999999999", time.Duration(1<<63 - 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, httpwait.RetryAfter(tt.value, now))
		})
	}
}

func TestIsNoResponse(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"api error", &APIError{StatusCode: 500}, false},
		{"plain", errors.New("x"), false},
		{"no response", &noResponseError{err: errors.New("EOF")}, true},
		{"wrapped no response", errorsJoin(&noResponseError{err: errors.New("EOF")}), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, IsNoResponse(tt.err))
		})
	}
}

func errorsJoin(err error) error { return errors.Join(errors.New("context"), err) }
