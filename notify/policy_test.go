package notify

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShouldNotify(t *testing.T) {
	exitCodes := []int{0, 1, 2, 3, 4, 5, 130}
	tests := []struct {
		on   string
		want map[int]bool // exit codes that notify; the others do not
	}{
		{on: "failure", want: map[int]bool{1: true, 4: true, 5: true, 130: true}},
		{on: "problems", want: map[int]bool{1: true, 3: true, 4: true, 5: true, 130: true}},
		{on: "always", want: map[int]bool{0: true, 1: true, 2: true, 3: true, 4: true, 5: true, 130: true}},
	}
	for _, tt := range tests {
		for _, code := range exitCodes {
			t.Run(fmt.Sprintf("%s/exit %d", tt.on, code), func(t *testing.T) {
				got, err := ShouldNotify(tt.on, code)
				require.NoError(t, err)
				assert.Equal(t, tt.want[code], got, "exit %d", code)
			})
		}
	}
	assert.Equal(t, OnFailure, DefaultOn)
}

func TestShouldNotifyRefusesOtherValues(t *testing.T) {
	for _, on := range []string{"", "Failure", "never", "errors", " always"} {
		t.Run("value "+on, func(t *testing.T) {
			got, err := ShouldNotify(on, 1)
			require.ErrorIs(t, err, ErrInvalidOn)
			assert.False(t, got)
			assert.Contains(t, err.Error(), `"`+on+`": want failure, problems or always`)
		})
	}
}
