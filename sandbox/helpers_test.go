package sandbox

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// testClock is a settable clock for Options.Now.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock(t time.Time) *testClock { return &testClock{t: t} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// startServer starts a sandbox with accounts 18 and 21 unless opts names
// others, and closes it when the test ends.
func startServer(t *testing.T, opts Options) *Server {
	t.Helper()
	if opts.Accounts == nil {
		opts.Accounts = []string{"18", "21"}
	}
	srv, err := NewServer(opts)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	return srv
}

// answer is a raw HTTP answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// message is the {"message": ...} of an error answer.
func (a answer) message(t *testing.T) string {
	t.Helper()
	var eb errorBody
	require.NoError(t, json.Unmarshal(a.body, &eb), "error body %q is not JSON {message}", a.body)
	return eb.Message
}

type reqMod func(*http.Request)

func withAuth(user, pass string) reqMod { return func(r *http.Request) { r.SetBasicAuth(user, pass) } }

func noAuth() reqMod { return func(r *http.Request) { r.Header.Del("Authorization") } }

func withHeader(k, v string) reqMod { return func(r *http.Request) { r.Header.Set(k, v) } }

// chunked hides the body's length so that it is sent chunked.
func chunked() reqMod {
	return func(r *http.Request) {
		r.Body = io.NopCloser(struct{ io.Reader }{r.Body})
		r.ContentLength = -1
	}
}

// rawClient is a plain HTTP client with no keep-alives, so that a dropped
// connection is never retried on a reused one.
func rawClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

// send makes one request with the server's credentials; mods may change it.
func send(t *testing.T, srv *Server, method, path, body string, mods ...reqMod) answer {
	t.Helper()
	a, err := trySend(context.Background(), srv, method, path, body, mods...)
	require.NoError(t, err)
	return a
}

func trySend(ctx context.Context, srv *Server, method, path, body string, mods ...reqMod) (answer, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, srv.URL()+path, rd)
	if err != nil {
		return answer{}, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.SetBasicAuth(srv.opts.Username, srv.opts.Password)
	for _, m := range mods {
		m(req)
	}
	resp, err := rawClient().Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, err
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// lead is a valid POST /lead body as a map, changed by edits.
func lead(edits ...func(map[string]any)) map[string]any {
	l := map[string]any{
		"firstName":     "John",
		"lastName":      "Smith",
		"phone":         "+1333-111-8888",
		"externalId":    "2",
		"timestamp":     "06-23-2021 22:55:23",
		"state":         "WA",
		"zip":           "98121",
		"jornayaLeadId": "095796C6-4D33-A73C-7BCE-D5563F59E778",
	}
	for _, e := range edits {
		e(l)
	}
	return l
}

func set(k string, v any) func(map[string]any) { return func(l map[string]any) { l[k] = v } }

func del(keys ...string) func(map[string]any) {
	return func(l map[string]any) {
		for _, k := range keys {
			delete(l, k)
		}
	}
}

// bulkLead is a valid bulk lead: like the collection's, no location pair or
// consent id.
func bulkLead(ext string, edits ...func(map[string]any)) map[string]any {
	l := map[string]any{
		"firstName":  "John",
		"lastName":   "Smith",
		"phone":      "+1333-111-8888",
		"timestamp":  "06-23-2021 22:55:23",
		"state":      "WA",
		"attributes": map[string]string{"DISCOUNT_CODE": "TR44"},
		"externalId": ext,
	}
	for _, e := range edits {
		e(l)
	}
	return l
}

func bulk(byAccount map[string][]map[string]any) string {
	return mustJSON(map[string]any{"leadsByAccountId": byAccount})
}

func mustJSON(v any) string {
	// Fixtures are maps of strings and numbers: they always encode.
	b, _ := json.Marshal(v)
	return string(b)
}
