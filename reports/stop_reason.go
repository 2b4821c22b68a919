package reports

// StopReason says why a run ended before its end. The codes are what
// Summary.Stopped holds and what the summary JSON's "stopped" key carries;
// "" (StopNone) means the run was not stopped early.
type StopReason string

// The reasons a run can stop early. docs/report.md lists them with the exit
// code the CLI gives each.
const (
	// StopNone: the run was not stopped early.
	StopNone StopReason = ""
	// StopInterrupted: SIGINT or SIGTERM.
	StopInterrupted StopReason = "interrupted"
	// StopMaxErrors: --max-errors problem rows were reached.
	StopMaxErrors StopReason = "max-errors"
	// StopMaxErrorRate: the share of problem rows went over --max-error-rate.
	StopMaxErrorRate StopReason = "max-error-rate"
	// StopAuth: the server refused the credentials.
	StopAuth StopReason = "auth"
	// StopUnreachable: no request got through to the server.
	StopUnreachable StopReason = "unreachable"
	// StopWrongServer: the URL answers, but not like the XONVO API.
	StopWrongServer StopReason = "wrong-server"
	// StopRetryWait: the server asked to wait longer than --max-retry-wait.
	StopRetryWait StopReason = "retry-wait"
	// StopServerFailing: batches kept failing after their retries.
	StopServerFailing StopReason = "server-failing"
	// StopGuard: the truncated-export guard refused the run.
	StopGuard StopReason = "guard"
	// StopLock: another run holds the report's lock.
	StopLock StopReason = "lock"
	// StopFatal: any other error that ended the run.
	StopFatal StopReason = "fatal"
)

// StopReasons lists every reason a run can stop early, StopNone excluded.
func StopReasons() []StopReason {
	return []StopReason{StopInterrupted, StopMaxErrors, StopMaxErrorRate, StopAuth,
		StopUnreachable, StopWrongServer, StopRetryWait, StopServerFailing, StopGuard,
		StopLock, StopFatal}
}

// Sentence is the reason as a person reads it in the summary, e.g. "the run
// stopped after --max-errors was reached". It is "" for StopNone; an unknown
// code still reads as a sentence that names it.
func (r StopReason) Sentence() string {
	switch r {
	case StopNone:
		return ""
	case StopInterrupted:
		return "the run was interrupted (SIGINT or SIGTERM)"
	case StopMaxErrors:
		return "the run stopped after --max-errors was reached"
	case StopMaxErrorRate:
		return "the run stopped after the share of problem rows went over --max-error-rate"
	case StopAuth:
		return "the run stopped because the server refused the credentials"
	case StopUnreachable:
		return "the run stopped because the server could not be reached"
	case StopWrongServer:
		return "the run stopped because the URL does not answer like the XONVO API"
	case StopRetryWait:
		return "the run stopped because the server asked to wait longer than --max-retry-wait"
	case StopServerFailing:
		return "the run stopped because batches kept failing after their retries"
	case StopGuard:
		return "the truncated-export guard refused the run (--force overrides it)"
	case StopLock:
		return "the run did not start: another run holds the report's lock"
	case StopFatal:
		return "the run stopped on an error"
	}
	return "the run stopped early (" + string(r) + ")"
}
