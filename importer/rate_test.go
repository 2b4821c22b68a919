package importer

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/sandbox"
)

// TestRunKeepsToTheRate measures the request rate from the sandbox's own log.
// Only the upper bound is asserted: a slow machine sends fewer requests,
// never more, so the test cannot fail for being slow. (make bench measures
// how close to the allowed rate a long run gets.)
func TestRunKeepsToTheRate(t *testing.T) {
	const (
		perSecond = 50
		burst     = 2
		rows      = 60
	)
	srv := newSandbox(t, sandbox.Options{})
	c := newTestClient(t, srv, newFakeClock(), client.WithRateLimiter(rate.NewLimiter(perSecond, burst)))
	opts := baseOptions(t, []string{genCSV(t, rows, 3)}, BulkLeads{Client: c})
	opts.BatchRows, opts.Concurrency = 1, 8
	sum, err := Run(context.Background(), opts)
	require.NoError(t, err)
	require.Equal(t, int64(rows), sum.Counts["sent"])

	var times []time.Time
	for _, r := range srv.Requests() {
		times = append(times, r.Time)
	}
	require.Len(t, times, rows)
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	// A token bucket allows at most burst + rate*Δt requests in any span Δt;
	// one more is tolerated for the scheduling jitter between the limiter's
	// clock and the server's.
	for i := range times {
		for j := i + 1; j < len(times); j++ {
			span := times[j].Sub(times[i]).Seconds()
			allowed := float64(burst) + perSecond*span + 1
			assert.LessOrEqual(t, float64(j-i+1), allowed, "requests %d..%d within %.3fs", i, j, span)
		}
	}
}
