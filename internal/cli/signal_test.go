package cli

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/leadgen"
	"github.com/xonvo/xonvo-import/sandbox"
)

// journalConfirmed reads the rows a journal confirms, as --resume reads
// them: the header line first, then one line per confirmed batch ({"f":
// input index, "r": rows}); a torn line was never confirmed.
func journalConfirmed(t *testing.T, path string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	require.True(t, sc.Scan(), "the journal has a header")
	rows := map[string]bool{}
	for sc.Scan() {
		var e struct {
			File int   `json:"f"`
			Rows []int `json:"r"`
		}
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		require.Zero(t, e.File, "one input")
		for _, r := range e.Rows {
			rows[strconv.Itoa(r)] = true
		}
	}
	require.NoError(t, sc.Err())
	return rows
}

// TestSIGTERMReportsJournalConfirmedRowsSent: SIGTERM mid-import ends the
// run like Ctrl-C (exit 130, report and journal written), and the report
// agrees with the journal: every row it confirms is sent, never not_sent,
// and no other row is sent. The sandbox's latency keeps requests in flight
// when the signal comes, which is when a confirmed row could be missed.
func TestSIGTERMReportsJournalConfirmedRowsSent(t *testing.T) {
	const rows = 3000
	tests := []struct {
		name    string
		latency time.Duration
		batches int // confirmed batches in the journal before the signal
	}{
		{name: "short latency, early", latency: 20 * time.Millisecond, batches: 3},
		{name: "long latency, requests in flight", latency: 300 * time.Millisecond, batches: 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bin := buildBinary(t)
			dir := t.TempDir()
			f := procFixture{bin: bin, input: filepath.Join(dir, "leads.csv"), report: filepath.Join(dir, "report.csv"),
				tg: newTarget(t, sandbox.Options{Accounts: genAccounts, Latency: tc.latency})}
			require.NoError(t, leadgen.WriteCSV(f.input, rows, 5, len(genAccounts)))
			cmd, exited := f.start(t)
			waitForJournal(t, f.report+".journal", tc.batches, exited)
			require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
			<-exited
			require.Equal(t, ExitInterrupted, cmd.ProcessState.ExitCode())

			confirmed := journalConfirmed(t, f.report+".journal")
			require.NotEmpty(t, confirmed)
			report := readCSVReport(t, f.report)
			requireEveryRowOnce(t, report, rows)
			sent := map[string]bool{}
			for _, r := range report {
				switch r["status"] {
				case "sent":
					sent[r["row"]] = true
				case "not_sent":
					assert.False(t, confirmed[r["row"]], "row %s is confirmed by the journal but reported not_sent", r["row"])
				default:
					t.Errorf("row %s: status %q after an interrupt of an all-valid input", r["row"], r["status"])
				}
			}
			assert.Equal(t, confirmed, sent, "the rows reported sent are exactly the rows the journal confirms")
			held := map[string]bool{}
			for _, l := range f.tg.srv.Leads() {
				held[l.ExternalID] = true
			}
			for _, r := range report {
				if sent[r["row"]] {
					assert.True(t, held[r["external_id"]], "row %s is reported sent and is on the server", r["row"])
				}
			}
			assert.Less(t, len(sent), rows, "the run was stopped before the end")
		})
	}
}
