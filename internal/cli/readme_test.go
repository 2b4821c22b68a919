package cli

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// readmeSections are the README sections whose sh blocks are run, in order,
// as one script: install, connect to a local sandbox, then every command
// the README shows against it. Nightly loads and Monitoring name exports
// and servers a reader has and this machine has not; The sandbox repeats
// Connecting's command.
var readmeSections = map[string]bool{
	"Install": true, "Connecting": true, "Importing leads": true, "Agents": true,
	"Unsubscribe, stop and reset leads": true, "Accounts": true, "Statistics": true,
}

// readmeScript gathers those blocks from the README. The install step
// becomes a no-op (the test has put the binary where `make install` would)
// and the sandbox's port a free one; after the sandbox is started in the
// background the script waits until it accepts connections.
func readmeScript(t *testing.T, port string) string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	defer f.Close()
	var script strings.Builder
	script.WriteString("set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n")
	section, inBlock, run := "", false, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			section = strings.TrimPrefix(line, "## ")
		case strings.HasPrefix(line, "```"):
			inBlock = !inBlock
			run = inBlock && line == "```sh" && readmeSections[section]
		case run:
			if strings.HasPrefix(line, "make install") {
				line = "true # make install: the test put the binary in $(go env GOPATH)/bin"
			}
			line = strings.ReplaceAll(line, "127.0.0.1:8080", "127.0.0.1:"+port)
			fmt.Fprintf(&script, "echo %q >&2\n%s\n", "$ "+line, line)
			if strings.HasPrefix(line, "xonvo-import sandbox ") && strings.HasSuffix(line, "&") {
				fmt.Fprintf(&script, "until (exec 3<>/dev/tcp/127.0.0.1/%s) 2>/dev/null; do sleep 0.05; done\n", port)
			}
		}
	}
	require.NoError(t, sc.Err())
	return script.String()
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

func TestReadmeExamplesRunAsWritten(t *testing.T) {
	bin := buildBinary(t)
	gopath := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(gopath, "bin"), 0o755))
	require.NoError(t, os.Symlink(bin, filepath.Join(gopath, "bin", "xonvo-import")))

	work := t.TempDir() // the README's paths are the repository's: samples/ and out/
	require.NoError(t, os.CopyFS(filepath.Join(work, "samples"), os.DirFS(filepath.Join("..", "..", "samples"))))

	script := readmeScript(t, freePort(t))
	require.Contains(t, script, "xonvo-import import samples/leads.csv", "the script holds the README's examples")
	cmd := exec.Command("bash", "-c", script)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "GOPATH="+gopath, "XONVO_URL=", "XONVO_USERNAME=", "XONVO_PASSWORD=")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "a README example failed; the script's trace:\n%s", out)
	for _, f := range []string{"out/check.xlsx", "out/leads.report.csv", "out/agents.report.csv", "out/stop.csv", "out/stats.csv", "mapping.yaml"} {
		require.FileExists(t, filepath.Join(work, f))
	}
}
