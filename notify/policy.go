package notify

import (
	"errors"
	"fmt"
)

// The values of --notify-on.
const (
	// OnFailure notifies when the run failed or stopped: exit 1 (failed),
	// 4 (too many errors), 5 (refused by a guard) and 130 (interrupted).
	OnFailure = "failure"
	// OnProblems adds exit 3: the run finished but some rows were not sent.
	OnProblems = "problems"
	// OnAlways notifies after every run, successful ones included.
	OnAlways = "always"
	// DefaultOn is --notify-on's default.
	DefaultOn = OnFailure
)

// ErrInvalidOn is wrapped by ShouldNotify's error for an unknown value.
var ErrInvalidOn = errors.New("invalid --notify-on value")

// ShouldNotify says whether a run that ends with exitCode is notified under
// --notify-on on. Exit 2 (usage error) is never a failure here: it happens
// before a run starts, to someone at a terminal.
func ShouldNotify(on string, exitCode int) (bool, error) {
	failure := exitCode == 1 || exitCode == 4 || exitCode == 5 || exitCode == 130
	switch on {
	case OnFailure:
		return failure, nil
	case OnProblems:
		return failure || exitCode == 3, nil
	case OnAlways:
		return true, nil
	}
	return false, fmt.Errorf("%w %q: want %s, %s or %s", ErrInvalidOn, on, OnFailure, OnProblems, OnAlways)
}
