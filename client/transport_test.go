package client

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingConn counts the writes made on a connection.
type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// TestBulkRequestLeavesInOneWrite: the default transport's write buffer
// holds a typical bulk request whole, so headers and body go out in one
// write (with the default 4 KB buffer a 20 KB body took a second one, and
// a copy buffer allocated for it); a body over the buffer still arrives.
func TestBulkRequestLeavesInOneWrite(t *testing.T) {
	tests := []struct {
		name       string
		bodyBytes  int
		wantWrites int64 // per request; 0: only check the body arrived
	}{
		{name: "100 leads, about 20 KB", bodyBytes: 20 << 10, wantWrites: 1},
		{name: "just under the buffer", bodyBytes: writeBufferSize - 1024, wantWrites: 1},
		{name: "a body over the buffer", bodyBytes: 3 * writeBufferSize},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n, _ := io.Copy(io.Discard, r.Body)
				got.Store(n)
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{}`))
			}))
			defer srv.Close()

			var writes atomic.Int64
			hc := newDefaultHTTPClient()
			tr := hc.Transport.(*http.Transport)
			dial := tr.DialContext
			tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
				conn, err := dial(ctx, network, addr)
				if err != nil {
					return nil, err
				}
				return countingConn{Conn: conn, writes: &writes}, nil
			}
			c, err := New(srv.URL, WithHTTPClient(hc), WithCredentials("u", "p"))
			require.NoError(t, err)

			body := `{"leadsByAccountId":{"18":[{"phone":"` + strings.Repeat("1", tt.bodyBytes) + `"}]}}`
			const requests = 3
			for range requests {
				require.NoError(t, c.PostLeadsBulkJSON(context.Background(), []byte(body)))
				assert.Equal(t, int64(len(body)), got.Load(), "the whole body arrived")
			}
			if tt.wantWrites > 0 {
				assert.Equal(t, tt.wantWrites*requests, writes.Load(), "writes for %d requests", requests)
			}
		})
	}
}

// TestCallInfoBodyReleased: BodyReleased says the transport has finished
// reading the request body of every attempt, so a caller may write over
// it; when that is not known it must be false.
func TestCallInfoBodyReleased(t *testing.T) {
	tests := []struct {
		name    string
		replies []reply
		opts    []Option
		call    func(ctx context.Context, c *Client) error
		want    bool
	}{
		{
			name:    "a bulk body read and answered",
			replies: []reply{{status: 200, body: `{"count":1}`}},
			call:    func(ctx context.Context, c *Client) error { return c.PostLeadsBulkJSON(ctx, []byte(`{}`)) },
			want:    true,
		},
		{
			name:    "every attempt's body read",
			replies: []reply{{status: 500}, {status: 200, body: `{"count":1}`}},
			opts:    []Option{WithRetry(RetryPolicy{MaxRetries: 1, Sleep: func(context.Context, time.Duration) error { return nil }})},
			call:    func(ctx context.Context, c *Client) error { return c.PostLeadsBulkJSON(ctx, []byte(`{}`)) },
			want:    true,
		},
		{
			name:    "no body",
			replies: []reply{{}},
			call:    func(ctx context.Context, c *Client) error { return c.PauseAccount(ctx, "18") },
			want:    false,
		},
		{
			name:    "a transport that reports no writes",
			replies: nil,
			opts:    []Option{WithHTTPClient(&http.Client{Transport: silentTransport{}})},
			call:    func(ctx context.Context, c *Client) error { return c.PostLeadsBulkJSON(ctx, []byte(`{}`)) },
			want:    false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.replies...)
			c := api.newClient(t, tt.opts...)
			var info CallInfo
			require.NoError(t, tt.call(WithCallInfo(t.Context(), &info), c))
			assert.Equal(t, tt.want, info.BodyReleased)
		})
	}
}

// silentTransport answers every request 200 itself, reading the body but
// calling none of net/http/httptrace's hooks.
type silentTransport struct{}

func (silentTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"count":1}`)), Request: r}, nil
}
