package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/sandbox"
)

const (
	cliUser = "cli-user"
	cliPass = "cli-s3cr3t-Pa55"
)

// result is what one in-process run of the command line printed.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command line in-process with the given environment.
func runCLI(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), Env{Args: args, Stdin: bytes.NewReader(nil), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] }, Version: "test",
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	return result{code: code, stdout: out.String(), stderr: errOut.String()}
}

// apiTarget is a sandbox and the flags that reach it.
type apiTarget struct {
	srv  *sandbox.Server
	args []string
}

func newTarget(t *testing.T, opts sandbox.Options) apiTarget {
	t.Helper()
	opts.Username, opts.Password = cliUser, cliPass
	if opts.Accounts == nil {
		opts.Accounts = []string{"18", "21"}
	}
	srv, err := sandbox.NewServer(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	pw := filepath.Join(t.TempDir(), "password")
	require.NoError(t, os.WriteFile(pw, []byte(cliPass+"\n"), 0o600))
	return apiTarget{srv: srv, args: []string{"--url", srv.URL(), "--username", cliUser, "--password-file", pw, "--rate", "0", "--quiet"}}
}

// with returns args followed by the target's connection flags.
func (a apiTarget) with(args ...string) []string {
	return append(append([]string{}, args...), a.args...)
}

func tempPath(t *testing.T, name string) string { return filepath.Join(t.TempDir(), name) }
