package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/xonvo/xonvo-import/sandbox"
)

// The sandbox's credentials: a loopback test server's, not a secret.
const (
	sandboxUser     = "bench"
	sandboxPassword = "bench-secret"
)

// sandboxProc is a sandbox started as its own process, as a user would, so
// that its memory and CPU are not the measured binary's.
type sandboxProc struct {
	cmd    *exec.Cmd
	url    string
	pwFile string
}

// startSandbox starts `xonvo-import sandbox` on a free loopback port with
// the eight accounts of the generated inputs, plus extra flags (--latency).
// Its password file goes in dir.
func (b *bench) startSandbox(ctx context.Context, dir string, extra ...string) (*sandboxProc, error) {
	pwFile := filepath.Join(dir, "sandbox-password")
	if err := os.WriteFile(pwFile, []byte(sandboxPassword+"\n"), 0o600); err != nil {
		return nil, err
	}
	args := append([]string{"sandbox", "--listen", "127.0.0.1:0", "--username", sandboxUser, "--password-file", pwFile,
		"--accounts", "18,19,20,21,22,23,24,25", "--quiet"}, extra...)
	cmd := exec.CommandContext(ctx, b.cfg.bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the sandbox: %w", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "listening on ") {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("sandbox did not start: %q %v", line, err)
	}
	return &sandboxProc{cmd: cmd, url: strings.TrimSpace(strings.TrimPrefix(line, "listening on ")), pwFile: pwFile}, nil
}

// connArgs are the import's flags that reach this sandbox.
func (s *sandboxProc) connArgs() []string {
	return []string{"--url", s.url, "--username", sandboxUser, "--password-file", s.pwFile}
}

// stop interrupts the sandbox and waits for it, killing it after 5 s.
func (s *sandboxProc) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// get decodes the JSON of an inspection endpoint into v.
func (s *sandboxProc) get(ctx context.Context, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+path, nil)
	if err != nil {
		return err
	}
	req.SetBasicAuth(sandboxUser, sandboxPassword)
	hc := &http.Client{Timeout: 60 * time.Second}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return nil
}

// leadsHeld is the sandbox's lead count over all accounts. It reads the
// account totals, not the lead list: decoding a million leads here would
// make this process large, and a child's peak RSS on Linux starts from its
// parent's (see generate).
func (s *sandboxProc) leadsHeld(ctx context.Context) (int, error) {
	var accounts []struct {
		LeadCount int `json:"leadCount"`
	}
	if err := s.get(ctx, "/_sandbox/accounts", &accounts); err != nil {
		return 0, err
	}
	held := 0
	for _, a := range accounts {
		held += a.LeadCount
	}
	return held, nil
}

// requests is the sandbox's request log (its last 100,000 API requests).
func (s *sandboxProc) requests(ctx context.Context) (sandbox.RequestLog, error) {
	var log sandbox.RequestLog
	err := s.get(ctx, "/_sandbox/requests", &log)
	return log, err
}
