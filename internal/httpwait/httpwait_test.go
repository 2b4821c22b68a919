package httpwait

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		v    string
		want time.Duration
	}{
		{name: "absent", v: "", want: 0},
		{name: "seconds", v: " 120 ", want: 2 * time.Minute},
		{name: "zero", v: "0", want: 0},
		{name: "negative", v: "-5", want: 0},
		{name: "too large saturates", v: "99999999999999999", want: time.Duration(math.MaxInt64)},
		{name: "an HTTP date ahead", v: "Fri, 02 Jan 2026 03:05:05 GMT", want: time.Minute},
		{name: "an HTTP date past", v: "Fri, 02 Jan 2026 03:00:00 GMT", want: 0},
		{name: "garbage", v: "soon", want: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, RetryAfter(tc.v, now))
		})
	}
}

func TestSleepEndsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, Sleep(ctx, time.Hour), context.Canceled)
	assert.NoError(t, Sleep(context.Background(), 0))
}
