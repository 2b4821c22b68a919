package state

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// The crash test runs this test binary again as a child process that
// confirms batches until it is killed. These variables carry its orders.
const (
	crashPathEnv  = "XONVO_STATE_CRASH_PATH"
	crashStartEnv = "XONVO_STATE_CRASH_START"
	crashBatch    = 100  // leads per Confirm, as the importer's groups
	crashMaxBatch = 5000 // the child gives up if nobody kills it
)

// crashLeads is batch b: 100 leads of its own, half keyed by externalId and
// half by phone, plus the shared lead "S" re-confirmed with b's hash, so
// that the shared lead's hash tells which batch committed last.
func crashLeads(b int) []Confirmed {
	leads := make([]Confirmed, 0, crashBatch+1)
	for j := 0; j < crashBatch; j++ {
		k := Key{AccountID: "18", ExternalID: fmt.Sprintf("B%d-%d", b, j), Phone: "2065550100"}
		if j%2 == 1 {
			k = Key{AccountID: "21", Phone: fmt.Sprintf("B%d-%d", b, j)}
		}
		leads = append(leads, Confirmed{Key: k, Hash: PayloadHash([]byte(k.ExternalID + k.Phone)), SentAt: time.Unix(int64(b), 0)})
	}
	return append(leads, Confirmed{Key: Key{AccountID: "18", ExternalID: "S"}, Hash: PayloadHash([]byte(strconv.Itoa(b)))})
}

// TestCrashChild is the child side of TestCrashSafety; run alone it skips.
// It prints "committed N" only after Confirm of batch N returned.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashPathEnv)
	if path == "" {
		t.Skip("the child process of TestCrashSafety")
	}
	start, err := strconv.Atoi(os.Getenv(crashStartEnv))
	require.NoError(t, err)
	s, err := Open(context.Background(), path, Options{})
	require.NoError(t, err)
	for b := start; b < start+crashMaxBatch; b++ {
		require.NoError(t, s.Confirm(crashLeads(b)))
		fmt.Printf("committed %d\n", b)
	}
	t.Fatal("the parent never killed the child")
}

// TestCrashSafety kills a separate process with SIGKILL at random points
// while it confirms batches, then checks that the file opens cleanly, passes
// bbolt's consistency check, holds every batch the child reported, and
// holds every batch whole or not at all, in commit order.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	path := filepath.Join(t.TempDir(), "job.state")

	reported := map[int]bool{}
	next := 0
	for round := 0; round < 8; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashPathEnv+"="+path, crashStartEnv+"="+strconv.Itoa(next))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())

		killAfter := 1 + rng.IntN(30)
		read := 0
		sc := bufio.NewScanner(stdout)
		for read < killAfter && sc.Scan() {
			n, ok := strings.CutPrefix(sc.Text(), "committed ")
			if !ok {
				continue
			}
			b, err := strconv.Atoi(n)
			require.NoError(t, err)
			reported[b] = true
			read++
			if round == 0 && read == 1 {
				_, err := Open(context.Background(), path, Options{LockTimeout: 100 * time.Millisecond})
				require.ErrorIs(t, err, ErrLocked, "another process holds the file")
				assert.Contains(t, err.Error(), path)
			}
		}
		// Land the kill anywhere in the next commits, not only right after
		// a print.
		time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
		require.NoError(t, cmd.Process.Kill()) // SIGKILL on Unix
		err = cmd.Wait()
		var exit *exec.ExitError
		require.True(t, errors.As(err, &exit), "the child should die by the signal: %v\n%s", err, stderr.String())
		require.Equal(t, killAfter, read, "the child stopped early:\n%s", stderr.String())

		next = verifyCrashedFile(t, path, reported) + 1
	}
}

// verifyCrashedFile checks the file after a kill and returns the highest
// batch it holds.
func verifyCrashedFile(t *testing.T, path string, reported map[int]bool) int {
	t.Helper()
	s, err := Open(context.Background(), path, Options{})
	require.NoError(t, err, "the file opens cleanly after SIGKILL")
	defer s.Close()
	require.NoError(t, s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	}), "bbolt's consistency check")

	perBatch := map[int]int{}
	var shared Entry
	var total int64
	require.NoError(t, s.ForEach(context.Background(), func(k Key, e Entry) error {
		total++
		if k.ExternalID == "S" {
			shared = e
			return nil
		}
		b, _, ok := strings.Cut(strings.TrimPrefix(k.ExternalID+k.Phone, "B"), "-")
		require.True(t, ok, "%+v", k)
		n, err := strconv.Atoi(b)
		require.NoError(t, err)
		assert.Equal(t, PayloadHash([]byte(k.ExternalID+k.Phone)), e.Hash)
		perBatch[n]++
		return nil
	}))
	count, err := s.Len()
	require.NoError(t, err)
	assert.Equal(t, total, count, "the lead count moves with the leads")

	last := -1
	for b := range reported {
		last = max(last, b)
	}
	for b := range perBatch {
		last = max(last, b)
	}
	for b := 0; b <= last; b++ {
		// Batches commit in order, so every batch up to the last present
		// one is there, whole; reported ones are among them by definition.
		require.Equal(t, crashBatch, perBatch[b], "batch %d (reported committed: %v)", b, reported[b])
	}
	assert.Equal(t, PayloadHash([]byte(strconv.Itoa(last))), shared.Hash,
		"the shared lead holds the hash of the last batch committed, in the same transaction")
	return last
}
