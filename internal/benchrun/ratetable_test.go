package main

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/xonvo/xonvo-import/sandbox"
)

// paced is n arrivals every gap from start, answered 200.
func paced(start time.Time, n int, gap time.Duration) sandbox.RequestLog {
	log := make(sandbox.RequestLog, n)
	for i := range log {
		log[i] = sandbox.RequestRecord{Time: start.Add(time.Duration(i) * gap), Status: 200, Leads: rateBatch}
	}
	return log
}

func TestAnalyseRate(t *testing.T) {
	t0 := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	c := rateCase{latency: 200 * time.Millisecond, rate: 20, requests: 201}
	const rows = 2010

	reversed := paced(t0, 201, 50*time.Millisecond)
	slices.Reverse(reversed) // the log is in answer order, not arrival order

	burst := append(sandbox.RequestLog{{Time: t0, Status: 200}}, paced(t0, 201, 50*time.Millisecond)...)

	stalled := paced(t0, 201, 50*time.Millisecond)
	for i := 100; i < 103; i++ { // a stall: three arrivals at once
		stalled[i].Time = stalled[102].Time
	}

	failed := paced(t0, 201, 50*time.Millisecond)
	failed[7].Status = 503

	for _, tc := range []struct {
		name    string
		log     sandbox.RequestLog
		held    int
		util    float64
		steady  time.Duration
		worst   int
		verdict string
	}{
		{"steady at the rate, any order", reversed, rows, 1, 9 * time.Second, 20, "yes"},
		{"the first second's burst is left out of utilisation", burst, rows, 1, 9 * time.Second, 21, "yes"},
		{"a stall bunches arrivals past rate + burst", stalled, rows, 1, 9 * time.Second, 22, "no: window"},
		{"three quarters of the rate", paced(t0, 151, 66666667*time.Nanosecond), rows, 0.75, 9 * time.Second, 15, "no: utilisation"},
		{"a request not answered 200", failed, rows, 1, 9 * time.Second, 20, "no: 1 requests not 200"},
		{"leads missing at the server", reversed, rows - 10, 1, 9 * time.Second, 20, "no: sandbox holds 2000 of 2010 leads"},
		{"no request at all", nil, 0, 0, 0, 0, "no: utilisation, sandbox holds 0 of 2010 leads"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := analyseRate(c, tc.log)
			r.rows, r.held = rows, tc.held
			assert.InDelta(t, tc.util, r.util, 0.001)
			assert.InDelta(t, tc.steady.Seconds(), r.steady.Seconds(), 0.001)
			assert.Equal(t, tc.worst, r.worst)
			assert.Equal(t, len(tc.log), r.seen)
			assert.Equal(t, tc.verdict, r.verdict())
		})
	}
}

func TestMedianAndRates(t *testing.T) {
	for _, tc := range []struct {
		name   string
		secs   []float64
		median float64 // of the rows/s
		min    float64
	}{
		{"three runs", []float64{2, 1, 4}, 500, 250},
		{"two runs: mean of the middle two", []float64{1, 4}, 625, 250},
		{"one run", []float64{2}, 500, 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := result{rows: 1000}
			for i, s := range tc.secs {
				r.samples = append(r.samples, sample{dur: time.Duration(s * float64(time.Second)), rssMB: float64(10 * (i + 1))})
			}
			rates := r.rates()
			assert.InDelta(t, tc.min, rates[0], 1e-9)
			assert.InDelta(t, tc.median, median(rates), 1e-9)
			assert.InDelta(t, float64(10*len(tc.secs)), r.maxRSS(), 1e-9)
		})
	}
	assert.Zero(t, median(nil))
}
