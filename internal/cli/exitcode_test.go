package cli

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/xonvo/xonvo-import/importer"
	"github.com/xonvo/xonvo-import/reports"
)

func TestRunExitCode(t *testing.T) {
	counts := func(kv ...any) map[reports.Status]int64 {
		m := map[reports.Status]int64{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(reports.Status)] = int64(kv[i+1].(int))
		}
		return m
	}
	tests := []struct {
		name    string
		summary reports.Summary
		err     error
		want    int
	}{
		{name: "all sent", summary: reports.Summary{Counts: counts(reports.StatusSent, 500)}, want: ExitOK},
		{name: "dry run all valid", summary: reports.Summary{Counts: counts(reports.StatusValid, 9)}, want: ExitOK},
		{name: "resumed: sent and already sent", summary: reports.Summary{Counts: counts(reports.StatusSent, 2, reports.StatusAlreadySent, 3)}, want: ExitOK},
		{name: "zero counts do not matter", summary: reports.Summary{Counts: counts(reports.StatusSent, 2, reports.StatusInvalid, 0)}, want: ExitOK},
		{name: "rejected rows", summary: reports.Summary{Counts: counts(reports.StatusSent, 97, reports.StatusRejected, 3)}, want: ExitRowsNotSent},
		{name: "invalid rows", summary: reports.Summary{Counts: counts(reports.StatusValid, 9, reports.StatusInvalid, 1)}, want: ExitRowsNotSent},
		{name: "failed rows", summary: reports.Summary{Counts: counts(reports.StatusFailed, 1)}, want: ExitRowsNotSent},
		{name: "auth refused", summary: reports.Summary{Stopped: reports.StopAuth, Counts: counts(reports.StatusNotSent, 50)}, err: importer.ErrAuthFailed, want: ExitFailed},
		{name: "unreachable", summary: reports.Summary{Stopped: reports.StopUnreachable}, err: importer.ErrUnreachable, want: ExitFailed},
		{name: "failed before reading", err: errors.New("mapping: no column Last Name"), want: ExitFailed},
		{name: "max errors", summary: reports.Summary{Stopped: reports.StopMaxErrors, Counts: counts(reports.StatusInvalid, 3, reports.StatusNotSent, 17)}, want: ExitMaxErrors},
		{name: "max error rate", summary: reports.Summary{Stopped: reports.StopMaxErrorRate, Counts: counts(reports.StatusInvalid, 100, reports.StatusValid, 900)}, want: ExitMaxErrors},
		{name: "server failing", summary: reports.Summary{Stopped: reports.StopServerFailing, Counts: counts(reports.StatusFailed, 30, reports.StatusNotSent, 100)}, err: importer.ErrServerFailing, want: ExitFailed},
		{name: "unchanged and skipped rows are done", summary: reports.Summary{Counts: counts(reports.StatusSent, 5, reports.StatusUnchanged, 900, reports.StatusSkipped, 2)}, want: ExitOK},
		{name: "a guard refused the run", summary: reports.Summary{Stopped: reports.StopGuard}, err: errors.New("guard: the input looks truncated"), want: ExitGuard},
		{name: "another run holds the lock", summary: reports.Summary{Stopped: reports.StopLock}, err: errors.New("held"), want: ExitFailed},
		{name: "interrupted wins over an error", summary: reports.Summary{Stopped: reports.StopInterrupted}, err: errors.New("x"), want: ExitInterrupted},
		{name: "interrupted", summary: reports.Summary{Stopped: reports.StopInterrupted, Counts: counts(reports.StatusSent, 30, reports.StatusNotSent, 270)}, want: ExitInterrupted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, runExitCode(tc.summary, tc.err))
		})
	}
}
