package metrics

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/pushgatewaytest"
)

// The tests below the httptest ones push to a real Pushgateway
// (internal/pushgatewaytest): skipped outside CI when it is not installed.

func TestPushToGateway(t *testing.T) {
	gw := pushgatewaytest.Start(t, pushgatewaytest.Options{})
	ctx := context.Background()
	group := map[string]string{"job": DefaultJob, "pipeline": "crm-nightly", "env": "prod"}
	value := func(mfs map[string]*dto.MetricFamily, name string, extra ...string) float64 {
		t.Helper()
		labels := map[string]string{}
		for k, v := range group {
			labels[k] = v
		}
		for _, kv := range extra {
			k, v, _ := strings.Cut(kv, "=")
			labels[k] = v
		}
		v, err := pushgatewaytest.Value(mfs, name, labels)
		require.NoError(t, err)
		return v
	}

	success := testRun()
	success.Job = "" // the default job
	require.NoError(t, Push(ctx, gw.URL, success, PushOptions{}))
	text, mfs := gw.Scrape(t)
	t.Logf("after a successful run, the gateway serves:\n%s", pushgatewaytest.Lines(text, "xonvo_import_"))

	assert.Equal(t, 1100.0, value(mfs, NameRows, "status=sent"))
	assert.Equal(t, 100.0, value(mfs, NameRows, "status=invalid"))
	assert.Equal(t, 0.0, value(mfs, NameRows, "status=failed"), "zero statuses are pushed")
	assert.Equal(t, 23.0, value(mfs, NameRequests, "code=200"))
	assert.Equal(t, 3.0, value(mfs, NameRequests, "code=5xx"))
	assert.Equal(t, 5.0, value(mfs, NameRetries))
	assert.Equal(t, 12.345, value(mfs, NameDuration))
	assert.Equal(t, 0.0, value(mfs, NameExitCode))
	assert.Equal(t, 1741915812.345, value(mfs, NameTimestamp))
	assert.Equal(t, 1741915812.345, value(mfs, NameLastSuccess))
	assert.Equal(t, float64(1<<20), value(mfs, NameBytesRead))

	failed := failedRun()
	failed.Job = ""
	require.NoError(t, Push(ctx, gw.URL, failed, PushOptions{}))
	text, mfs = gw.Scrape(t)
	t.Logf("after a failed run, the gateway serves:\n%s", pushgatewaytest.Lines(text, "xonvo_import_"))

	assert.Equal(t, 1741915812.345, value(mfs, NameLastSuccess), "the earlier success is kept")
	assert.Equal(t, 1742002212.345, value(mfs, NameTimestamp))
	assert.Equal(t, 1.0, value(mfs, NameExitCode))
	assert.Equal(t, 10.0, value(mfs, NameRows, "status=sent"))
	assert.Equal(t, 90.0, value(mfs, NameRows, "status=failed"))
	assert.Equal(t, 0.0, value(mfs, NameRows, "status=invalid"), "the whole rows family is replaced")
	assert.Equal(t, 0.0, value(mfs, NameRequests, "code=200"))
	assert.Equal(t, 3.0, value(mfs, NameRequests, "code=error"))
	assert.Equal(t, 3.5, value(mfs, NameDuration))
	assert.Equal(t, 9.0, value(mfs, NameRetries))
	assert.Equal(t, 2048.0, value(mfs, NameBytesRead))
}

func TestPushJobAndGrouping(t *testing.T) {
	gw := pushgatewaytest.Start(t, pushgatewaytest.Options{})
	tests := []struct {
		name    string
		runJob  string
		optJob  string
		labels  map[string]string
		wantJob string
	}{
		{name: "default job", wantJob: DefaultJob, labels: map[string]string{"pipeline": "a"}},
		{name: "job from the run", runJob: "from_run", wantJob: "from_run", labels: map[string]string{"pipeline": "b"}},
		{name: "options override the run", runJob: "from_run", optJob: "from_opts", wantJob: "from_opts",
			labels: map[string]string{"pipeline": "c"}},
		{name: "no grouping labels", optJob: "bare", wantJob: "bare"},
		{name: "label value with a slash", wantJob: DefaultJob, labels: map[string]string{"pipeline": "s3://bucket/leads"}},
		{name: "job with a slash and spaces", optJob: "crm/nightly run", wantJob: "crm/nightly run",
			labels: map[string]string{"pipeline": "d"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testRun()
			r.Job, r.Labels = tt.runJob, tt.labels
			require.NoError(t, Push(context.Background(), gw.URL, r, PushOptions{Job: tt.optJob}))
			_, mfs := gw.Scrape(t)
			want := map[string]string{"job": tt.wantJob, "status": "sent"}
			for k, v := range tt.labels {
				want[k] = v
			}
			v, err := pushgatewaytest.Value(mfs, NameRows, want)
			require.NoError(t, err)
			assert.Equal(t, 1100.0, v)
		})
	}
}

func TestPushBasicAuth(t *testing.T) {
	const user, password = "importer", "s3cr3t-P4ss!word"
	gw := pushgatewaytest.Start(t, pushgatewaytest.Options{Username: user, Password: password})
	tests := []struct {
		name     string
		opts     PushOptions
		wantCode string // "" for success
	}{
		{name: "right credentials", opts: PushOptions{Username: user, Password: password}},
		{name: "wrong password", opts: PushOptions{Username: user, Password: "wrong-" + password}, wantCode: "401"},
		{name: "wrong user", opts: PushOptions{Username: "nobody", Password: password}, wantCode: "401"},
		{name: "no credentials", opts: PushOptions{}, wantCode: "401"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Push(context.Background(), gw.URL, testRun(), tt.opts)
			if tt.wantCode == "" {
				require.NoError(t, err)
				_, mfs := gw.Scrape(t)
				_, err := pushgatewaytest.Value(mfs, NameLastSuccess, map[string]string{"pipeline": "crm-nightly"})
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "unexpected status code "+tt.wantCode)
			assertNoSecret(t, err, tt.opts.Username, password, tt.opts.Password)
		})
	}
}

func TestPushToGatewayThatIsDown(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	const password = "pa55-w0rd-down"
	err = Push(context.Background(), "http://"+addr, testRun(), PushOptions{Username: "u", Password: password})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "push metrics to http://"+addr)
	assert.Contains(t, err.Error(), "connection refused")
	assertNoSecret(t, err, "u", password)
}

// pushRecorder is a fake gateway that records what it was sent.
type pushRecorder struct {
	mu       sync.Mutex
	requests []recorded
	status   int
	body     func(r *http.Request) string
}

type recorded struct {
	method, path, contentType, authorization string
	families                                 map[string]*dto.MetricFamily
}

func (p *pushRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := recorded{method: r.Method, path: r.URL.EscapedPath(), contentType: r.Header.Get("Content-Type"),
		authorization: r.Header.Get("Authorization"), families: map[string]*dto.MetricFamily{}}
	dec := expfmt.NewDecoder(r.Body, expfmt.ResponseFormat(r.Header))
	for {
		mf := &dto.MetricFamily{}
		if err := dec.Decode(mf); err != nil {
			break
		}
		rec.families[mf.GetName()] = mf
	}
	p.mu.Lock()
	p.requests = append(p.requests, rec)
	p.mu.Unlock()
	if p.status != 0 {
		w.WriteHeader(p.status)
	}
	if p.body != nil {
		_, _ = io.WriteString(w, p.body(r))
	}
}

func (p *pushRecorder) only(t *testing.T) recorded {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	require.Len(t, p.requests, 1)
	return p.requests[0]
}

func TestPushRequest(t *testing.T) {
	tests := []struct {
		name        string
		run         Run
		prefix      string
		wantPath    string
		wantSuccess bool
	}{
		{name: "successful run", run: testRun(), wantSuccess: true,
			wantPath: "/metrics/job/nightly/env/prod/pipeline/crm-nightly"},
		{name: "failed run leaves last success out", run: failedRun(), wantSuccess: false,
			wantPath: "/metrics/job/nightly/env/prod/pipeline/crm-nightly"},
		{name: "gateway under a path prefix", run: testRun(), prefix: "/pgw/", wantSuccess: true,
			wantPath: "/pgw/metrics/job/nightly/env/prod/pipeline/crm-nightly"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &pushRecorder{}
			srv := httptest.NewServer(rec)
			t.Cleanup(srv.Close)
			require.NoError(t, Push(context.Background(), srv.URL+tt.prefix, tt.run,
				PushOptions{HTTPClient: srv.Client(), Username: "u", Password: "p"}))
			got := rec.only(t)
			assert.Equal(t, http.MethodPost, got.method, "push-add, not a replacing PUT")
			assert.Equal(t, tt.wantPath, sortedPath(got.path))
			assert.Contains(t, got.contentType, "application/vnd.google.protobuf")
			assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte("u:p")), got.authorization)
			assert.Contains(t, got.families, NameRows)
			if tt.wantSuccess {
				assert.Contains(t, got.families, NameLastSuccess)
			} else {
				assert.NotContains(t, got.families, NameLastSuccess)
			}
			for name, mf := range got.families {
				for _, m := range mf.GetMetric() {
					for _, l := range m.GetLabel() {
						assert.NotContains(t, []string{"job", "pipeline", "env"}, l.GetName(),
							"%s: grouping labels travel in the URL, not on the metrics", name)
					}
				}
			}
		})
	}
}

// sortedPath puts the grouping pairs after /metrics/job/J in name order: the
// client writes them in map order.
func sortedPath(path string) string {
	head, rest, ok := strings.Cut(path, "/metrics/")
	if !ok {
		return path
	}
	parts := strings.Split(rest, "/")
	if len(parts) < 2 {
		return path
	}
	var pairs []string
	for i := 2; i+1 < len(parts); i += 2 {
		pairs = append(pairs, parts[i]+"/"+parts[i+1])
	}
	for i := range pairs {
		for j := i + 1; j < len(pairs); j++ {
			if pairs[j] < pairs[i] {
				pairs[i], pairs[j] = pairs[j], pairs[i]
			}
		}
	}
	return strings.Join(append([]string{head + "/metrics/" + parts[0] + "/" + parts[1]}, pairs...), "/")
}

func TestPushNeverLeaksThePassword(t *testing.T) {
	const user, password = "importer", "hunter2-Very-Secret"
	tests := []struct {
		name string
		body func(r *http.Request) string
	}{
		{name: "gateway echoes the Authorization header", body: func(r *http.Request) string {
			return "denied: " + r.Header.Get("Authorization")
		}},
		{name: "gateway echoes the decoded credentials", body: func(r *http.Request) string {
			u, p, _ := r.BasicAuth()
			return fmt.Sprintf("user %s with password %s is not allowed", u, p)
		}},
		{name: "gateway answers a huge body", body: func(*http.Request) string {
			return strings.Repeat(password, 10_000)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(&pushRecorder{status: http.StatusForbidden, body: tt.body})
			t.Cleanup(srv.Close)
			err := Push(context.Background(), srv.URL, testRun(),
				PushOptions{HTTPClient: srv.Client(), Username: user, Password: password})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "unexpected status code 403")
			assert.Contains(t, err.Error(), "***", "the secret is masked, not silently dropped")
			assert.Less(t, len(err.Error()), 6000, "the answer read into the error is bounded")
			assertNoSecret(t, err, user, password)
		})
	}
}

func TestPushRefusesBadURL(t *testing.T) {
	const password = "url-pa55word"
	tests := []struct {
		name    string
		url     string
		wantErr string
	}{
		{name: "empty", url: " ", wantErr: "the URL is empty"},
		{name: "user info", url: "https://bob:" + password + "@gateway.example:9091", wantErr: "it carries user info"},
		{name: "user info without scheme", url: "bob:" + password + "@gateway.example:9091", wantErr: "it carries user info"},
		{name: "query", url: "http://gateway.example:9091/?token=" + password, wantErr: "no query or fragment"},
		{name: "fragment", url: "http://gateway.example:9091/#" + password, wantErr: "no query or fragment"},
		{name: "other scheme", url: "ftp://gateway.example", wantErr: "the scheme must be http or https"},
		{name: "no host", url: "http:///metrics", wantErr: "no host"},
		{name: "does not parse", url: "http://bob:" + password + "@[::1", wantErr: "does not parse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Push(context.Background(), tt.url, testRun(), PushOptions{})
			require.ErrorIs(t, err, ErrInvalidPushURL)
			assert.Contains(t, err.Error(), tt.wantErr)
			assertNoSecret(t, err, "", password)
		})
	}
}

func TestPushHonoursContext(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body so the server notices the client going away.
		_, _ = io.Copy(io.Discard, r.Body)
		close(started)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	err := Push(ctx, srv.URL, testRun(), PushOptions{HTTPClient: srv.Client(), Username: "u", Password: "p"})
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestPushInvalidRun(t *testing.T) {
	err := Push(context.Background(), "http://127.0.0.1:1", Run{}, PushOptions{})
	require.ErrorIs(t, err, ErrInvalidRun)
}

func TestRedact(t *testing.T) {
	const password = "p4ss"
	basic := base64.StdEncoding.EncodeToString([]byte("u:" + password))
	tests := []struct {
		name     string
		err      error
		want     string
		wantIs   error
		sameErr  bool
		password string
	}{
		{name: "no password set", err: errors.New("boom p4ss"), want: "boom p4ss", sameErr: true},
		{name: "password absent from the message", err: errors.New("boom"), password: password, want: "boom", sameErr: true},
		{name: "password masked", err: errors.New("got p4ss back"), password: password, want: "got *** back"},
		{name: "header value masked", err: errors.New("Basic " + basic), password: password, want: "Basic ***"},
		{name: "cancellation kept", err: fmt.Errorf("p4ss: %w", context.Canceled), password: password,
			want: "***: context canceled", wantIs: context.Canceled},
		{name: "deadline kept", err: fmt.Errorf("p4ss: %w", context.DeadlineExceeded), password: password,
			want: "***: context deadline exceeded", wantIs: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := redact(tt.err, "u", tt.password)
			assert.Equal(t, tt.want, got.Error())
			if tt.sameErr {
				assert.Same(t, tt.err, got)
			} else {
				assert.Nil(t, errors.Unwrap(errors.Unwrap(got)), "the original is not reachable by unwrapping")
			}
			if tt.wantIs != nil {
				assert.ErrorIs(t, got, tt.wantIs)
			}
		})
	}
}

// assertNoSecret fails when err's message, or any error it wraps, holds a
// password or the Basic auth value made from one.
func assertNoSecret(t *testing.T, err error, user string, passwords ...string) {
	t.Helper()
	for e := err; e != nil; e = errors.Unwrap(e) {
		for _, p := range passwords {
			if p == "" {
				continue
			}
			assert.NotContains(t, e.Error(), p)
			assert.NotContains(t, e.Error(), base64.StdEncoding.EncodeToString([]byte(user+":"+p)))
		}
	}
}
