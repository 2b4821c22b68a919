package sandbox

import (
	"io"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCloseDropsConnectionsThatNeverSentARequest: a client's spare
// keep-alive connection used to hold Close for http.Server's 5 s grace.
func TestCloseDropsConnectionsThatNeverSentARequest(t *testing.T) {
	srv, err := NewServer(Options{})
	require.NoError(t, err)
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL(), "http://"))
	require.NoError(t, err)
	defer conn.Close()

	// Let the server see the connection before closing: one request on a
	// second connection is served only after the listener accepted both.
	c, err := srv.Client()
	require.NoError(t, err)
	_, _ = c.LeadStatistics(t.Context(), "1", "x")

	require.NoError(t, srv.Close())
	_, err = conn.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF, "the idle new connection was closed by the server")
}
