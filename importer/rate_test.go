package importer

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/sandbox"
)

// TestRunTakesATokenPerRequest checks that every request of a run, retries
// and split halves included, is let through by the token bucket: so the rate
// can never be exceeded, whatever the concurrency. The bucket never refills
// (limit 0), so the tokens it lost count the requests exactly; nothing here
// depends on time. How close a long run gets to the allowed rate is measured
// by make bench, from the sandbox's own request log.
func TestRunTakesATokenPerRequest(t *testing.T) {
	const tokens = 10_000
	clock := newFakeClock()
	srv := newSandbox(t, sandbox.Options{FailRate: 0.2, DropRate: 0.1, RejectExternalIDs: []string{extID(7)}, Seed: 3, Now: clock.Now})
	limiter := rate.NewLimiter(0, tokens)
	c := newTestClient(t, srv, clock, client.WithRateLimiter(limiter))
	opts := baseOptions(t, []string{genCSV(t, 300, 3)}, BulkLeads{Client: c})
	opts.BatchRows, opts.Concurrency = 10, 8
	sum, err := Run(context.Background(), opts)
	require.NoError(t, err)
	require.Equal(t, int64(299), sum.Counts["sent"])
	require.Positive(t, sum.Retries, "the faults made the client retry")
	require.Positive(t, sum.Splits, "the rejected row split its batch")

	taken := tokens - int64(limiter.Tokens())
	assert.Equal(t, int64(len(srv.Requests())), taken, "one token per request the server saw")
	assert.Equal(t, sum.Requests, taken, "one token per attempt the run counted")
}
