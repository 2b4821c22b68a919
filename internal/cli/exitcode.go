package cli

import (
	"errors"
	"fmt"

	"github.com/xonvo/xonvo-import/reports"
)

// Exit codes: the outside contract (docs/exit-codes.md). Scripts and
// schedulers branch on them.
const (
	ExitOK          = 0   // every data row was sent (or, in a dry run, is valid)
	ExitFailed      = 1   // the run failed: config, input, credentials, server
	ExitUsage       = 2   // unknown flag, missing argument, bad flag value
	ExitRowsNotSent = 3   // the run finished and some rows were not sent
	ExitMaxErrors   = 4   // stopped early at --max-errors or --max-error-rate
	ExitGuard       = 5   // a --state guard refused the run before anything was sent
	ExitInterrupted = 130 // SIGINT/SIGTERM, after the report and journal
)

// runExitCode is the exit code of a file-driven run: its summary and error.
func runExitCode(s reports.Summary, err error) int {
	switch {
	case s.Stopped == reports.StopInterrupted:
		return ExitInterrupted
	case s.Stopped == reports.StopGuard:
		return ExitGuard
	case err != nil:
		return ExitFailed
	case s.Stopped == reports.StopMaxErrors || s.Stopped == reports.StopMaxErrorRate:
		return ExitMaxErrors
	}
	for st, n := range s.Counts {
		if n > 0 && st.Problem() {
			return ExitRowsNotSent
		}
	}
	return ExitOK
}

// exitError carries a command's exit code; err, when set, is printed.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// fail makes err a run failure (exit 1).
func fail(err error) error { return &exitError{code: ExitFailed, err: err} }

// exitCodeOf is the process exit code for a command's error: an exitError's
// own, else a usage error (anything cobra returns itself: unknown flag or
// command, wrong number of arguments, or a flag value a command refused).
func exitCodeOf(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return ExitUsage
}
