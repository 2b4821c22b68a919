package client

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRejectsBadBaseURL(t *testing.T) {
	tests := []struct {
		name, url string
	}{
		{"empty", ""},
		{"relative", "/api/external"},
		{"no scheme", "admin.xonvo.com/api"},
		{"ftp scheme", "ftp://admin.xonvo.com/api"},
		{"no host", "https:///api"},
		{"userinfo", "https://user:pass@admin.xonvo.com/api"},
		{"username only", "https://user@admin.xonvo.com/api"},
		{"query", "https://admin.xonvo.com/api?x=1"},
		{"fragment", "https://admin.xonvo.com/api#top"},
		{"unparsable", "https://admin.xonvo.com:port/api"},
		{"control character", "https://admin.xonvo.com/\x7f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.url)
			require.ErrorIs(t, err, ErrInvalidBaseURL)
			assert.Nil(t, c)
		})
	}
}

// TestBaseURLJoining checks endpoint paths are appended to the base path,
// whatever trailing slash the base has.
func TestBaseURLJoining(t *testing.T) {
	tests := []struct {
		name   string
		suffix string
	}{
		{"no trailing slash", ""},
		{"trailing slash", "/"},
		{"surrounding spaces", " "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, reply{})
			c, err := New(" "+api.url+tt.suffix, WithCredentials(testUser, testPassword))
			require.NoError(t, err)
			require.NoError(t, c.PauseAccount(t.Context(), "18"))
			reqs := api.seenRequests()
			require.Len(t, reqs, 1)
			assert.Equal(t, "/accounts/18/pause", reqs[0].path)
		})
	}
}

func TestRequestHeaders(t *testing.T) {
	tests := []struct {
		name          string
		opts          []Option
		wantUserAgent string
		wantAuth      bool
	}{
		{"defaults", nil, "xonvo-import/dev", false},
		{"empty version keeps dev", []Option{WithUserAgent("")}, "xonvo-import/dev", false},
		{"version", []Option{WithUserAgent("0.9.1")}, "xonvo-import/0.9.1", false},
		{"credentials", []Option{WithCredentials("u", "p")}, "xonvo-import/dev", true},
		{"nil option ignored", []Option{nil}, "xonvo-import/dev", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, reply{})
			c, err := New(api.url, tt.opts...)
			require.NoError(t, err)
			require.NoError(t, c.StopLead(t.Context(), "1", "2"))
			reqs := api.seenRequests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.wantUserAgent, reqs[0].header.Get("User-Agent"))
			user, pass, ok := (&http.Request{Header: reqs[0].header}).BasicAuth()
			assert.Equal(t, tt.wantAuth, ok)
			if tt.wantAuth {
				assert.Equal(t, "u", user)
				assert.Equal(t, "p", pass)
			}
		})
	}
}

func TestDefaultHTTPClient(t *testing.T) {
	hc := newDefaultHTTPClient()
	tr, ok := hc.Transport.(*http.Transport)
	require.True(t, ok)
	assert.GreaterOrEqual(t, tr.MaxIdleConnsPerHost, 64)
	assert.False(t, tr.DisableKeepAlives)
	assert.NotSame(t, http.DefaultClient, hc)
}

// TestWithHTTPClient checks a caller's HTTP client is the one used.
func TestWithHTTPClient(t *testing.T) {
	api := newFakeAPI(t, reply{})
	rt := &countingTransport{next: &http.Transport{}}
	c := api.newClient(t, WithHTTPClient(&http.Client{Transport: rt}))
	require.NoError(t, c.PauseAccount(t.Context(), "18"))
	assert.Equal(t, 1, rt.n)
}

type countingTransport struct {
	next http.RoundTripper
	n    int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n++
	return c.next.RoundTrip(r)
}

// TestFakeAPICountsUnusedReplies: the fake API knows which scripted replies
// no request took, which its cleanup turns into a test failure.
func TestFakeAPICountsUnusedReplies(t *testing.T) {
	api := newFakeAPI(t, reply{}, reply{})
	c := api.newClient(t)
	assert.Equal(t, 2, api.unusedReplies())
	require.NoError(t, c.PauseAccount(t.Context(), "18"))
	assert.Equal(t, 1, api.unusedReplies(), "one reply left: the cleanup would fail the test")
	require.NoError(t, c.PauseAccount(t.Context(), "18"))
	assert.Zero(t, api.unusedReplies())
}
