package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/adaptive"
)

// TestConcurrencyLimiterCapsAttemptsInFlight: however many goroutines
// call, the server never sees more attempts at once than the limiter's cap,
// retries included; and a 429 lowers the cap.
func TestConcurrencyLimiterCapsAttemptsInFlight(t *testing.T) {
	var (
		inFlight, high atomic.Int64
		calls          atomic.Int64
		release        = make(chan struct{})
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			h := high.Load()
			if n <= h || high.CompareAndSwap(h, n) {
				break
			}
		}
		if calls.Add(1)%5 == 0 {
			w.WriteHeader(http.StatusTooManyRequests) // every fifth attempt is shed, and retried
			return
		}
		<-release
	}))
	t.Cleanup(srv.Close)
	lim, err := adaptive.New(adaptive.Options{Min: 1, Max: 3, Initial: 3})
	require.NoError(t, err)
	c, err := New(srv.URL, WithConcurrencyLimiter(lim),
		WithRetry(RetryPolicy{MaxRetries: 3, Sleep: func(context.Context, time.Duration) error { return nil }}))
	require.NoError(t, err)

	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- c.ResetLead(context.Background(), "18", "E")
		}()
	}
	// Let the blocked attempts go one by one: the cap is the only thing
	// that keeps the rest from reaching the server meanwhile.
	done := make(chan struct{})
	go func() {
		for {
			select {
			case release <- struct{}{}:
			case <-done:
				return
			}
		}
	}()
	wg.Wait()
	close(done)
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.LessOrEqual(t, high.Load(), int64(3), "attempts in flight at the server")
	assert.Equal(t, 0, lim.InFlight(), "every slot was given back")
	assert.Positive(t, lim.Stats().Cuts, "the 429s lowered the cap")
}
