package client

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// The API is mounted under a path prefix so URL-joining bugs show up.
const (
	testPrefix   = "/api/external"
	testUser     = "importer"
	testPassword = "s3cr3t-P@ss"
	testVersion  = "1.2.3"
)

// reply is one scripted answer of the fake API.
type reply struct {
	status int
	header map[string]string
	body   string
	drop   bool // read the request, then close the connection: no response
	hang   bool // answer nothing until the client gives up
	cut    bool // send status, headers and body announcing 100 bytes more, then close the connection
	stall  bool // send status, headers and body, then nothing more until the client gives up
	// arrived, when set, is closed once the request has reached the server.
	arrived chan struct{}
}

// seen is one request as the fake API received it.
type seen struct {
	method string
	path   string // escaped, relative to testPrefix
	query  string // raw query
	header http.Header
	body   []byte
}

// fakeAPI is an httptest server that answers from a script, in order, and
// records every request. A request beyond the script fails the test, and so
// does a scripted reply still unused when the test ends: a test that scripts
// three 500s must see three attempts, not pass after one.
type fakeAPI struct {
	t   *testing.T
	url string // base URL including testPrefix

	mu       sync.Mutex
	replies  []reply
	requests []seen
}

func newFakeAPI(t *testing.T, replies ...reply) *fakeAPI {
	t.Helper()
	f := &fakeAPI{t: t, replies: replies}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if n := f.unusedReplies(); n > 0 {
			t.Errorf("%d scripted repl(ies) never requested: the client made fewer attempts than scripted", n)
		}
	})
	f.url = srv.URL + testPrefix
	return f
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		f.t.Errorf("reading request body: %v", err)
	}
	path := r.URL.EscapedPath()
	if !strings.HasPrefix(path, testPrefix+"/") {
		f.t.Errorf("request outside the prefix: %s %s", r.Method, path)
		w.WriteHeader(http.StatusTeapot)
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, seen{
		method: r.Method, path: strings.TrimPrefix(path, testPrefix), query: r.URL.RawQuery,
		header: r.Header.Clone(), body: body,
	})
	if len(f.replies) == 0 {
		f.mu.Unlock()
		f.t.Errorf("unexpected request beyond the script: %s %s", r.Method, path)
		w.WriteHeader(http.StatusTeapot)
		return
	}
	rep := f.replies[0]
	f.replies = f.replies[1:]
	f.mu.Unlock()
	if rep.arrived != nil {
		close(rep.arrived)
	}

	switch {
	case rep.drop:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			f.t.Errorf("hijack: %v", err)
			return
		}
		_ = conn.Close()
		return
	case rep.hang:
		<-r.Context().Done()
		return
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	status := rep.status
	if status == 0 {
		status = http.StatusOK
	}
	if rep.cut {
		w.Header().Set("Content-Length", strconv.Itoa(len(rep.body)+100))
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, rep.body)
	switch {
	case rep.cut:
		_ = http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler) // closes the connection mid-body, unlogged
	case rep.stall:
		_ = http.NewResponseController(w).Flush()
		<-r.Context().Done()
	}
}

// unusedReplies is how many scripted replies no request has taken yet.
func (f *fakeAPI) unusedReplies() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.replies)
}

// seenRequests returns a copy of what the server has received so far.
func (f *fakeAPI) seenRequests() []seen {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]seen(nil), f.requests...)
}

// newClient builds a client for the fake API with test credentials.
func (f *fakeAPI) newClient(t *testing.T, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithCredentials(testUser, testPassword), WithUserAgent(testVersion)}
	c, err := New(f.url, append(base, opts...)...)
	require.NoError(t, err)
	return c
}

// readFixture returns a file under testdata/.
func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}
