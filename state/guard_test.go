package state

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/numfmt"
)

func TestGuard(t *testing.T) {
	def := func(in GuardInput) GuardInput {
		in.MinRowsRatio, in.MaxRemovedRatio = DefaultMinRowsRatio, DefaultMaxRemovedRatio
		return in
	}
	tests := []struct {
		name   string
		in     GuardInput
		failed []GuardCheck
		msg    string
	}{
		{"first run: no history, empty state", def(GuardInput{Rows: 10}), nil, ""},
		{"first run with an empty input", def(GuardInput{}), nil, ""},
		{"zero rows with leads in the state", def(GuardInput{StateLeads: 100_000, Removed: 100_000, HasLast: true, LastRows: 100_000}),
			[]GuardCheck{GuardEmpty}, "guard: the input has no data rows, and the state holds 100,000 leads from earlier runs"},
		{"zero rows, empty state, a last run with rows", def(GuardInput{HasLast: true, LastRows: 40}),
			[]GuardCheck{GuardEmpty}, "guard: the input has no data rows, and the last completed run had 40 rows"},
		{"zero rows after a zero-row run", def(GuardInput{HasLast: true}), nil, ""},
		{"truncated", def(GuardInput{Rows: 4_000, HasLast: true, LastRows: 40_000}),
			[]GuardCheck{GuardTruncated}, "guard: the input looks truncated: 4,000 rows, last completed run 40,000 (below --min-rows-ratio 0.5)"},
		{"exactly at the rows ratio passes", def(GuardInput{Rows: 20_000, HasLast: true, LastRows: 40_000}), nil, ""},
		{"one row under the ratio", def(GuardInput{Rows: 19_999, HasLast: true, LastRows: 40_000}),
			[]GuardCheck{GuardTruncated}, "19,999 rows, last completed run 40,000"},
		{"a decimal ratio exactly met (0.1 of 30)", GuardInput{Rows: 3, HasLast: true, LastRows: 30, MinRowsRatio: 0.1, MaxRemovedRatio: 1}, nil, ""},
		{"more rows than last time", def(GuardInput{Rows: 90_000, HasLast: true, LastRows: 40_000}), nil, ""},
		{"rows ratio 0 turns the check off", GuardInput{Rows: 1, HasLast: true, LastRows: 40_000, MaxRemovedRatio: 0.1}, nil, ""},
		{"too many removed", def(GuardInput{Rows: 88_000, StateLeads: 100_000, Removed: 12_000}),
			[]GuardCheck{GuardRemoved}, "guard: 12,000 of 100,000 leads in the state (12.0%) are absent from the input (above --max-removed 10%)"},
		{"exactly at the removed ratio passes", def(GuardInput{Rows: 90_000, StateLeads: 100_000, Removed: 10_000}), nil, ""},
		{"a share that rounds onto the limit shows more digits", def(GuardInput{Rows: 90_000, StateLeads: 100_000, Removed: 10_004}),
			[]GuardCheck{GuardRemoved}, "10,004 of 100,000 leads in the state (10.004%)"},
		{"removed ratio 1 turns the check off", GuardInput{Rows: 1, StateLeads: 100, Removed: 99, MaxRemovedRatio: 1}, nil, ""},
		{"removed ratio 0 allows no removal", GuardInput{Rows: 99, StateLeads: 100, Removed: 1},
			[]GuardCheck{GuardRemoved}, "1 of 100 leads in the state (1.0%) are absent from the input (above --max-removed 0%)"},
		{"removed check with an empty state", def(GuardInput{Rows: 5}), nil, ""},
		{"both at once", def(GuardInput{Rows: 4_000, HasLast: true, LastRows: 40_000, StateLeads: 40_000, Removed: 36_000}),
			[]GuardCheck{GuardTruncated, GuardRemoved},
			"guard: the input looks truncated: 4,000 rows, last completed run 40,000 (below --min-rows-ratio 0.5); " +
				"guard: 36,000 of 40,000 leads in the state (90.0%) are absent from the input (above --max-removed 10%)"},
		{"a big state", def(GuardInput{Rows: 1, StateLeads: 12_345_678, Removed: 12_345_677}),
			[]GuardCheck{GuardRemoved}, "12,345,677 of 12,345,678 leads"},
		{"a custom ratio in the message", GuardInput{Rows: 4, HasLast: true, LastRows: 10, MinRowsRatio: 0.75, MaxRemovedRatio: 0.125},
			[]GuardCheck{GuardTruncated}, "(below --min-rows-ratio 0.75)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Guard(tt.in)
			if tt.failed == nil {
				require.NoError(t, err)
				return
			}
			var ge *GuardError
			require.True(t, errors.As(err, &ge), "a *GuardError, got %v", err)
			assert.Equal(t, tt.failed, ge.Failed)
			assert.Equal(t, tt.in, ge.In)
			for _, c := range tt.failed {
				assert.True(t, ge.Has(c))
			}
			assert.Contains(t, err.Error(), tt.msg)
			assert.NotErrorIs(t, err, ErrGuardOption)
		})
	}
}

func TestGuardRejectsImpossibleOptions(t *testing.T) {
	tests := []struct {
		name string
		in   GuardInput
	}{
		{"negative rows ratio", GuardInput{MinRowsRatio: -0.1, MaxRemovedRatio: 0.1}},
		{"rows ratio above 1", GuardInput{MinRowsRatio: 1.5, MaxRemovedRatio: 0.1}},
		{"NaN", GuardInput{MinRowsRatio: 0.5, MaxRemovedRatio: math.NaN()}},
		{"removed above the state", GuardInput{StateLeads: 1, Removed: 2}},
		{"negative rows", GuardInput{Rows: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Guard(tt.in)
			require.ErrorIs(t, err, ErrGuardOption)
			var ge *GuardError
			assert.False(t, errors.As(err, &ge), "a usage error is not a refused run")
		})
	}
}

func TestGuardErrorHas(t *testing.T) {
	e := &GuardError{Failed: []GuardCheck{GuardRemoved}}
	assert.True(t, e.Has(GuardRemoved))
	assert.False(t, e.Has(GuardTruncated))
}

func TestGroupDigits(t *testing.T) {
	for in, want := range map[int64]string{0: "0", 12: "12", 999: "999", 1000: "1,000", 40000: "40,000",
		1234567: "1,234,567", -1234: "-1,234"} {
		assert.Equal(t, want, numfmt.Group(in))
	}
}
