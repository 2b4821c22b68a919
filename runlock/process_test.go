//go:build unix

package runlock

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// helperEnv carries the lock path to the child test binary.
const helperEnv = "RUNLOCK_HELPER_LOCK"

// TestHelperProcess is not a test: started by startHolder as a child
// process, it takes the lock, prints "locked" and holds the lock until its
// stdin closes (then it releases and exits 0) or it is killed.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		t.Skip("only runs as the child of a runlock test")
	}
	l, err := Acquire(t.Context(), path, Options{Program: "xonvo-import"})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(2)
	}
	fmt.Println("locked")
	_, _ = io.Copy(io.Discard, os.Stdin)
	if err := l.Release(); err != nil {
		fmt.Println("error:", err)
		os.Exit(3)
	}
	os.Exit(0)
}

// holder is a child process holding the lock.
type holder struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
}

// startHolder re-executes the test binary as a child that takes the lock at
// path, and returns once the child says it holds it.
func startHolder(t *testing.T, path string) *holder {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+path)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "locked", strings.TrimSpace(line), "child output")
	// Keep draining so the child never blocks on a full pipe.
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return &holder{cmd: cmd, stdin: stdin}
}

func TestTwoProcesses(t *testing.T) {
	tests := []struct {
		name string
		// end stops the child's hold; the parent must then get the lock.
		end func(t *testing.T, h *holder)
		// wait is the parent's Options.Wait for its second attempt, started
		// before end runs when non-zero.
		wait time.Duration
	}{
		{
			name: "kill -9 leaves a stale lock that is taken over",
			end: func(t *testing.T, h *holder) {
				require.NoError(t, h.cmd.Process.Kill()) // SIGKILL on unix
				err := h.cmd.Wait()
				var exit *exec.ExitError
				require.ErrorAs(t, err, &exit)
				assert.False(t, exit.Exited(), "killed by a signal, no chance to clean up")
			},
		},
		{
			name: "a waiting run gets the lock once the holder releases it",
			end: func(t *testing.T, h *holder) {
				require.NoError(t, h.stdin.Close())
				require.NoError(t, h.cmd.Wait(), "child released cleanly")
			},
			wait: time.Minute,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.csv.lock")
			h := startHolder(t, path)

			_, err := Acquire(t.Context(), path, Options{Program: "xonvo-import"})
			var held *HeldError
			require.ErrorAs(t, err, &held)
			assert.Equal(t, h.cmd.Process.Pid, held.Holder.PID)
			assert.Equal(t, "xonvo-import", held.Holder.Program)
			assert.Contains(t, err.Error(), fmt.Sprintf("(pid %d on host ", h.cmd.Process.Pid))

			type result struct {
				l   *Lock
				err error
			}
			got := make(chan result, 1)
			if tt.wait > 0 {
				go func() {
					l, err := Acquire(t.Context(), path, Options{Wait: tt.wait})
					got <- result{l, err}
				}()
			}
			tt.end(t, h)
			if tt.wait == 0 {
				l, err := Acquire(t.Context(), path, Options{})
				got <- result{l, err}
			}
			r := <-got
			require.NoError(t, r.err)
			assert.Equal(t, os.Getpid(), readLockFile(t, path).PID, "the lock file now names this process")
			require.NoError(t, r.l.Release())
		})
	}
}

// probeEnv makes the child test binary report what Acquire says about a
// lock file it cannot write.
const probeEnv = "RUNLOCK_HELPER_PROBE"

// TestHelperProbe is not a test: run by TestAnotherUsersLock as another
// user, it prints the pid of the holder Acquire names.
func TestHelperProbe(t *testing.T) {
	path := os.Getenv(probeEnv)
	if path == "" {
		t.Skip("only runs as the child of a runlock test")
	}
	_, err := Acquire(t.Context(), path, Options{})
	var held *HeldError
	if errors.As(err, &held) {
		fmt.Println("held by", held.Holder.PID)
	} else {
		fmt.Println("error:", err)
	}
	os.Exit(0)
}

// TestAnotherUsersLock: a lock file this user may not write still names
// its holder, since flock needs only read access. As root (who may write
// anything) the probe runs as nobody in a child process.
func TestAnotherUsersLock(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.csv.lock")
	l, err := Acquire(t.Context(), path, Options{Program: "xonvo-import"})
	require.NoError(t, err)
	defer l.Release()
	require.NoError(t, os.Chmod(path, 0o444))

	if os.Getuid() != 0 {
		_, err := Acquire(t.Context(), path, Options{})
		var held *HeldError
		require.ErrorAs(t, err, &held)
		assert.Equal(t, os.Getpid(), held.Holder.PID)
		return
	}
	// The child needs to reach the binary and the lock file.
	bin := filepath.Join(dir, "runlock.test")
	raw, err := os.ReadFile(os.Args[0])
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(bin, raw, 0o755))
	require.NoError(t, os.Chmod(dir, 0o755))
	require.NoError(t, os.Chmod(filepath.Dir(dir), 0o755)) // t.TempDir's own parent
	for d := filepath.Dir(filepath.Dir(dir)); d != "/" && d != "."; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		require.NoError(t, err)
		if fi.Mode().Perm()&0o001 == 0 {
			t.Skipf("%s is closed to other users; cannot run the probe as nobody", d)
		}
	}
	cmd := exec.CommandContext(t.Context(), bin, "-test.run=^TestHelperProbe$", "-test.count=1")
	cmd.Env = append(os.Environ(), probeEnv+"="+path)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.Output()
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("held by %d", os.Getpid()), strings.TrimSpace(string(out)))
}
