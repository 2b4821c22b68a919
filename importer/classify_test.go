package importer

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/xonvo/xonvo-import/client"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name  string
		facts callFacts
		want  outcome
	}{
		{name: "success", facts: callFacts{ok: true, items: 10}, want: outSent},
		{name: "success after a stop still counts", facts: callFacts{ok: true, stopped: true, items: 3}, want: outSent},
		{name: "401 stops the run", facts: callFacts{auth: true, status: 401, items: 10}, want: outStopAuth},
		{name: "403 stops the run even mid-split", facts: callFacts{auth: true, status: 403, items: 1, reached: true}, want: outStopAuth},
		{name: "400 on a batch splits it", facts: callFacts{status: 400, items: 2}, want: outSplit},
		{name: "413 on a batch splits it", facts: callFacts{status: 413, items: 50}, want: outSplit},
		{name: "422 on a batch splits it", facts: callFacts{status: 422, items: 5}, want: outSplit},
		{name: "400 on one row rejects it", facts: callFacts{status: 400, items: 1}, want: outRejected},
		{name: "404 rejects the whole batch", facts: callFacts{status: 404, items: 30}, want: outRejected},
		{name: "409 rejects", facts: callFacts{status: 409, items: 2}, want: outRejected},
		{name: "429 after retries fails", facts: callFacts{status: 429, items: 2, reached: true}, want: outFailed},
		{name: "500 after retries fails", facts: callFacts{status: 500, items: 2}, want: outFailed},
		{name: "no response, nothing answered yet: unreachable", facts: callFacts{noResponse: true, items: 5}, want: outStopUnreachable},
		{name: "no response after the server answered: failed", facts: callFacts{noResponse: true, items: 5, reached: true}, want: outFailed},
		{name: "cut off by a stop while in flight", facts: callFacts{noResponse: true, stopped: true, items: 5}, want: outInFlight},
		{name: "a refusal is final even after a stop", facts: callFacts{status: 400, stopped: true, items: 1}, want: outRejected},
		{name: "not the API before any success: wrong --url", facts: callFacts{notAPI: true, items: 10, reached: true}, want: outStopWrongServer},
		{name: "not the API after successes: a hiccup", facts: callFacts{notAPI: true, items: 10, reached: true, succeeded: true}, want: outFailed},
		{name: "Retry-After past the limit stops", facts: callFacts{retryWait: true, status: 429, items: 10, succeeded: true}, want: outStopRetryWait},
		{name: "Retry-After past the limit on a lone row stops too", facts: callFacts{retryWait: true, status: 503, items: 1}, want: outStopRetryWait},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, classify(tc.facts))
		})
	}
}

func TestFactsOf(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		want     callFacts
		answered bool
	}{
		{name: "nil is success", err: nil, want: callFacts{ok: true, items: 1}, answered: true},
		{name: "API error keeps its status", err: &client.APIError{StatusCode: 400}, want: callFacts{status: 400, items: 1}, answered: true},
		{name: "wrapped 401 is auth", err: fmt.Errorf("send: %w", &client.APIError{StatusCode: 401}), want: callFacts{auth: true, status: 401, items: 1}, answered: true},
		{name: "another error answered nothing", err: errors.New("boom"), want: callFacts{items: 1}},
		{name: "not the API", err: &client.NotAPIError{StatusCode: 404}, want: callFacts{notAPI: true, items: 1}, answered: true},
		{name: "a Retry-After too long keeps its status", err: &client.RetryAfterError{Err: &client.APIError{StatusCode: 429}},
			want: callFacts{retryWait: true, status: 429, items: 1}, answered: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := factsOf(tc.err, 1, runSoFar{})
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.answered, got.answered())
		})
	}
}
