package state

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/xonvo/xonvo-import/internal/numfmt"
)

// Defaults of the guard's flags.
const (
	DefaultMinRowsRatio    = 0.5
	DefaultMaxRemovedRatio = 0.1
)

// ErrGuardOption means a ratio given to Guard is outside [0, 1] or a count
// is impossible; it is a usage error, not a refused run.
var ErrGuardOption = errors.New("guard: bad option")

// GuardInput is what the guard compares: this input against the state.
type GuardInput struct {
	// Rows is the number of data rows in this run's input.
	Rows int64
	// LastRows is Rows of the last completed run; HasLast says there is one.
	LastRows int64
	HasLast  bool
	// StateLeads is the number of leads in the state; Removed how many of
	// them are absent from this input.
	StateLeads int64
	Removed    int64
	// MinRowsRatio: refuse when Rows < MinRowsRatio × LastRows (0 turns the
	// check off). MaxRemovedRatio: refuse when Removed > MaxRemovedRatio ×
	// StateLeads (1 turns it off; 0 allows no removal at all).
	MinRowsRatio    float64
	MaxRemovedRatio float64
}

// GuardCheck names one check of the guard.
type GuardCheck int

const (
	// GuardEmpty: the input has no data rows while the state or the last
	// completed run had some.
	GuardEmpty GuardCheck = iota + 1
	// GuardTruncated: far fewer rows than the last completed run.
	GuardTruncated
	// GuardRemoved: too many of the state's leads are absent.
	GuardRemoved
)

// GuardError is the guard refusing a run (exit code 5; --force overrides).
type GuardError struct {
	// Failed lists the checks that refused, in the order above.
	Failed []GuardCheck
	// In is what was compared.
	In GuardInput
}

// Has reports whether check c refused the run.
func (e *GuardError) Has(c GuardCheck) bool {
	for _, f := range e.Failed {
		if f == c {
			return true
		}
	}
	return false
}

// Error says every refusal in words, with the figures and the flag to move.
func (e *GuardError) Error() string {
	in := e.In
	msgs := make([]string, 0, len(e.Failed))
	for _, c := range e.Failed {
		switch c {
		case GuardEmpty:
			if in.StateLeads > 0 {
				msgs = append(msgs, fmt.Sprintf("guard: the input has no data rows, and the state holds %s leads from earlier runs",
					numfmt.Group(in.StateLeads)))
			} else {
				msgs = append(msgs, fmt.Sprintf("guard: the input has no data rows, and the last completed run had %s rows",
					numfmt.Group(in.LastRows)))
			}
		case GuardTruncated:
			msgs = append(msgs, fmt.Sprintf("guard: the input looks truncated: %s rows, last completed run %s (below --min-rows-ratio %s)",
				numfmt.Group(in.Rows), numfmt.Group(in.LastRows), strconv.FormatFloat(in.MinRowsRatio, 'f', -1, 64)))
		case GuardRemoved:
			msgs = append(msgs, fmt.Sprintf("guard: %s of %s leads in the state (%s) are absent from the input (above --max-removed %s)",
				numfmt.Group(in.Removed), numfmt.Group(in.StateLeads),
				sharePercent(in.Removed, in.StateLeads, in.MaxRemovedRatio), ratioPercent(in.MaxRemovedRatio)))
		}
	}
	return strings.Join(msgs, "; ")
}

// Guard decides whether a run may go on, before anything is sent. It
// returns a *GuardError naming every check that refused, an error wrapping
// ErrGuardOption for impossible input, or nil. Boundaries pass: exactly
// MinRowsRatio × LastRows rows, or exactly MaxRemovedRatio of the leads
// removed. A first run (no completed run, empty state) always passes.
func Guard(in GuardInput) error {
	if err := checkGuardInput(in); err != nil {
		return err
	}
	var failed []GuardCheck
	switch {
	case in.Rows == 0 && (in.StateLeads > 0 || in.HasLast && in.LastRows > 0):
		// An empty input also fails the other two; one clear reason is enough.
		failed = append(failed, GuardEmpty)
	default:
		// Ratios compare as quotients: the quotient of two integers rounds
		// to the same float as a decimal ratio it equals exactly (20,000 of
		// 40,000 is 0.5), where a product such as 0.1×30 would not.
		if in.HasLast && in.LastRows > 0 && float64(in.Rows)/float64(in.LastRows) < in.MinRowsRatio {
			failed = append(failed, GuardTruncated)
		}
		if in.StateLeads > 0 && float64(in.Removed)/float64(in.StateLeads) > in.MaxRemovedRatio {
			failed = append(failed, GuardRemoved)
		}
	}
	if failed == nil {
		return nil
	}
	return &GuardError{Failed: failed, In: in}
}

// checkGuardInput rejects ratios outside [0, 1] (NaN included) and counts
// that cannot be.
func checkGuardInput(in GuardInput) error {
	for _, r := range []struct {
		flag string
		v    float64
	}{{"--min-rows-ratio", in.MinRowsRatio}, {"--max-removed", in.MaxRemovedRatio}} {
		if !(r.v >= 0 && r.v <= 1) {
			return fmt.Errorf("%w: %s %v is not between 0 and 1", ErrGuardOption, r.flag, r.v)
		}
	}
	if in.Rows < 0 || in.LastRows < 0 || in.StateLeads < 0 || in.Removed < 0 || in.Removed > in.StateLeads {
		return fmt.Errorf("%w: impossible counts (rows %d, last %d, state %d, removed %d)",
			ErrGuardOption, in.Rows, in.LastRows, in.StateLeads, in.Removed)
	}
	return nil
}

// ratioPercent writes a ratio as a percentage: 0.1 -> "10%", 0.125 -> "12.5%".
func ratioPercent(r float64) string {
	return strconv.FormatFloat(math.Round(r*1e6)/1e4, 'f', -1, 64) + "%"
}

// sharePercent writes part/whole as a percentage with one decimal, or more
// when one decimal would round a share above the limit onto it (10.04%
// above 10% reads "10.04%", not "10.0%").
func sharePercent(part, whole int64, limit float64) string {
	p, lim := 100*float64(part)/float64(whole), 100*limit
	for prec := 1; ; prec++ {
		s := strconv.FormatFloat(p, 'f', prec, 64)
		if v, _ := strconv.ParseFloat(s, 64); prec == 6 || p <= lim || v > lim+1e-9 {
			return s + "%"
		}
	}
}
