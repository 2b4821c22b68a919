package pushgatewaytest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"golang.org/x/crypto/bcrypt"
)

// Binary is where the Debian package installs the Pushgateway.
const Binary = "/usr/bin/prometheus-pushgateway"

// readyTimeout bounds the wait for a started gateway to answer /-/ready.
const readyTimeout = 20 * time.Second

// Options configures Start.
type Options struct {
	// Username and Password, when Username is set, make the gateway require
	// HTTP Basic auth on every endpoint.
	Username, Password string
}

// Gateway is a running Pushgateway.
type Gateway struct {
	// URL is the gateway's base URL, http://127.0.0.1:PORT.
	URL string

	opts   Options
	client *http.Client
	output *syncBuffer
}

// Start runs a Pushgateway for the test and stops it when the test ends. It
// returns once the gateway answers /-/ready.
func Start(t testing.TB, o Options) *Gateway {
	t.Helper()
	bin := binary(t)
	dir := t.TempDir()
	args := []string{"--persistence.file=", "--log.level=warn"}
	if o.Username != "" {
		args = append(args, "--web.config.file="+webConfig(t, dir, o))
	}
	g := &Gateway{opts: o, client: &http.Client{Timeout: 5 * time.Second}}
	var lastErr error
	for range 3 { // another process may take the chosen port before the gateway binds it
		port, err := freePort()
		if err != nil {
			t.Fatalf("pushgatewaytest: pick a port: %v", err)
		}
		g.URL = "http://" + net.JoinHostPort("127.0.0.1", port)
		g.output = &syncBuffer{}
		cmd := exec.Command(bin, append(args, "--web.listen-address=127.0.0.1:"+port)...)
		cmd.Stdout, cmd.Stderr = g.output, g.output
		if err := cmd.Start(); err != nil {
			t.Fatalf("pushgatewaytest: start %s: %v", bin, err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		if lastErr = g.waitReady(exited); lastErr == nil {
			t.Cleanup(func() { g.stop(t, cmd, exited) })
			return g
		}
		_ = cmd.Process.Kill()
		<-exited
	}
	t.Fatalf("pushgatewaytest: the gateway did not become ready: %v\noutput:\n%s", lastErr, g.output)
	return nil
}

// binary finds the gateway, skipping the test when it is missing outside CI.
func binary(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(Binary); err == nil {
		return Binary
	}
	if p, err := exec.LookPath("prometheus-pushgateway"); err == nil {
		return p
	}
	const hint = "the Prometheus Pushgateway is not installed (apt-get install prometheus-pushgateway)"
	if os.Getenv("CI") != "" {
		t.Fatalf("pushgatewaytest: %s; CI installs it in .ci/run, so a missing binary is a CI failure", hint)
	}
	t.Skipf("pushgatewaytest: %s; skipped outside CI", hint)
	return ""
}

// webConfig writes a web config requiring Basic auth for o's user.
func webConfig(t testing.TB, dir string, o Options) string {
	t.Helper()
	// MinCost: the hash guards nothing real, and a test should not spend
	// a second hashing.
	hash, err := bcrypt.GenerateFromPassword([]byte(o.Password), bcrypt.MinCost)
	if err != nil {
		t.Fatalf("pushgatewaytest: bcrypt: %v", err)
	}
	path := filepath.Join(dir, "web.yml")
	cfg := fmt.Sprintf("basic_auth_users:\n  %q: %q\n", o.Username, hash)
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatalf("pushgatewaytest: write web config: %v", err)
	}
	return path
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}

// waitReady polls /-/ready until it answers 200, the process exits or the
// deadline passes.
func (g *Gateway) waitReady(exited <-chan error) error {
	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		status, err := g.get(ctx, "/-/ready", io.Discard)
		if err == nil && status == http.StatusOK {
			return nil
		}
		select {
		case err := <-exited:
			return fmt.Errorf("the gateway exited: %v", err)
		case <-ctx.Done():
			return fmt.Errorf("no 200 from /-/ready within %s (last: status %d, %v)", readyTimeout, status, err)
		case <-tick.C:
		}
	}
}

// stop interrupts the gateway, kills it if it lingers, and prints its output
// when the test failed.
func (g *Gateway) stop(t testing.TB, cmd *exec.Cmd, exited <-chan error) {
	_ = cmd.Process.Signal(os.Interrupt)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
	if t.Failed() {
		t.Logf("pushgatewaytest: gateway output:\n%s", g.output)
	}
}

// get fetches path with the gateway's credentials into w.
func (g *Gateway) get(ctx context.Context, path string, w io.Writer) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, g.URL+path, nil)
	if err != nil {
		return 0, err
	}
	if g.opts.Username != "" {
		req.SetBasicAuth(g.opts.Username, g.opts.Password)
	}
	resp, err := g.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(w, resp.Body)
	return resp.StatusCode, err
}

// Scrape reads the gateway's /metrics as Prometheus would, and returns the
// text and its parsed families by name.
func (g *Gateway) Scrape(t testing.TB) (string, map[string]*dto.MetricFamily) {
	t.Helper()
	var body bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	status, err := g.get(ctx, "/metrics", &body)
	if err != nil || status != http.StatusOK {
		t.Fatalf("pushgatewaytest: scrape %s/metrics: status %d, %v", g.URL, status, err)
	}
	parser := expfmt.NewTextParser(model.LegacyValidation)
	mfs, err := parser.TextToMetricFamilies(bytes.NewReader(body.Bytes()))
	if err != nil {
		t.Fatalf("pushgatewaytest: parse /metrics: %v", err)
	}
	return body.String(), mfs
}

// ErrNoSample is returned by Value when no sample has the labels asked for.
var ErrNoSample = errors.New("no such sample")

// Value is the gauge, counter or untyped value of the sample of family name
// whose labels include every pair in labels.
func Value(mfs map[string]*dto.MetricFamily, name string, labels map[string]string) (float64, error) {
	for _, m := range mfs[name].GetMetric() {
		if hasLabels(m, labels) {
			switch {
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue(), nil
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue(), nil
			case m.GetUntyped() != nil:
				return m.GetUntyped().GetValue(), nil
			}
		}
	}
	return 0, fmt.Errorf("%w: %s%v", ErrNoSample, name, labels)
}

// hasLabels reports whether m carries every pair in want.
func hasLabels(m *dto.Metric, want map[string]string) bool {
	got := make(map[string]string, len(m.GetLabel()))
	for _, p := range m.GetLabel() {
		got[p.GetName()] = p.GetValue()
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// Lines returns the lines of a scrape that belong to metrics whose name
// starts with prefix, for showing a pushed set in a log.
func Lines(scrape, prefix string) string {
	var b strings.Builder
	for _, line := range strings.Split(scrape, "\n") {
		name := strings.TrimPrefix(strings.TrimPrefix(line, "# HELP "), "# TYPE ")
		if strings.HasPrefix(name, prefix) {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// syncBuffer is a bytes.Buffer safe for the process's writes and the test's
// reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
