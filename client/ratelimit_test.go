package client

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/xonvo/xonvo-import/wire"
)

// TestRateLimiterPerAttempt checks that every attempt, retries included,
// takes a token. The limiter refills once a day, so the tokens left count
// the Waits exactly; nothing depends on timing.
func TestRateLimiterPerAttempt(t *testing.T) {
	tests := []struct {
		name         string
		burst        int
		replies      []reply
		wantAttempts int
		wantErr      bool
		wantTokens   float64
	}{
		{"one attempt one token", 10, []reply{{status: 200}}, 1, false, 9},
		{"retries take tokens too", 10, []reply{{status: 500}, {status: 503}, {status: 200}}, 3, false, 7},
		{"no token left stops before sending", 2, []reply{{status: 500}, {status: 500}}, 2, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.replies...)
			lim := rate.NewLimiter(rate.Every(24*time.Hour), tt.burst)
			c := api.newClient(t, WithRateLimiter(lim), WithRetry(RetryPolicy{
				MaxRetries: 5, Sleep: (&sleepRecorder{}).sleep,
			}))
			// With a deadline, a Wait that would block for a day fails at once.
			ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
			defer cancel()
			var info CallInfo
			err := c.AddLead(WithCallInfo(ctx, &info), wire.Lead{})
			if tt.wantErr {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "rate limiter")
				assert.ErrorIs(t, err, ErrServer, "the last attempt's answer is kept")
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.wantAttempts, info.Attempts)
			assert.Len(t, api.seenRequests(), tt.wantAttempts)
			assert.InDelta(t, tt.wantTokens, lim.Tokens(), 0.01)
		})
	}
}

func TestRateLimiterOff(t *testing.T) {
	tests := []struct {
		name string
		lim  *rate.Limiter
	}{
		{"nil limiter", nil},
		{"infinite rate", rate.NewLimiter(rate.Inf, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			replies := make([]reply, 20)
			api := newFakeAPI(t, replies...)
			c := api.newClient(t, WithRateLimiter(tt.lim))
			for range 20 {
				require.NoError(t, c.PauseAccount(t.Context(), "18"))
			}
			assert.Len(t, api.seenRequests(), 20)
		})
	}
}

// TestRateLimiterCancelled: a cancelled context ends the limiter wait with
// the context's error.
func TestRateLimiterCancelled(t *testing.T) {
	api := newFakeAPI(t)
	lim := rate.NewLimiter(rate.Every(24*time.Hour), 1)
	require.True(t, lim.Allow()) // empty the bucket
	c := api.newClient(t, WithRateLimiter(lim))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := c.AddLead(ctx, wire.Lead{})
	require.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, api.seenRequests())
}
