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
