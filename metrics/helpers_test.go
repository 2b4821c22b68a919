package metrics

import (
	"bytes"
	"sort"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"
)

// endOfRun is a fixed run end, with milliseconds, in a zone other than UTC.
var endOfRun = time.Date(2025, 3, 14, 2, 30, 12, 345_000_000, time.FixedZone("CET", 3600))

// testRun is a successful run with every kind of figure set.
func testRun() Run {
	return Run{
		Job:    "nightly",
		Labels: map[string]string{"pipeline": "crm-nightly", "env": "prod"},
		Rows: map[string]int64{"sent": 1100, "invalid": 100, "duplicate": 4, "unchanged": 7,
			"skipped": 1},
		Requests:        map[string]int64{"200": 23, "429": 2, "503": 1, "502": 2, "error": 1},
		Retries:         5,
		DurationSeconds: 12.345,
		ExitCode:        0,
		Timestamp:       endOfRun,
		Success:         true,
		BytesRead:       1 << 20,
	}
}

// failedRun is a run that failed later than testRun.
func failedRun() Run {
	r := testRun()
	r.Rows = map[string]int64{"sent": 10, "failed": 90}
	r.Requests = map[string]int64{"error": 3}
	r.ExitCode, r.Success = 1, false
	r.Timestamp = endOfRun.Add(24 * time.Hour)
	r.DurationSeconds = 3.5
	r.Retries = 9
	r.BytesRead = 2048
	return r
}

// parseText parses the text exposition format as Prometheus would.
func parseText(t *testing.T, data []byte) map[string]*dto.MetricFamily {
	t.Helper()
	parser := expfmt.NewTextParser(model.LegacyValidation)
	mfs, err := parser.TextToMetricFamilies(bytes.NewReader(data))
	require.NoError(t, err)
	return mfs
}

// key names one sample: the metric name and its "name=value" labels sorted.
func key(name string, labels ...string) string {
	sorted := append([]string(nil), labels...)
	sort.Strings(sorted)
	return strings.Join(append([]string{name}, sorted...), ",")
}

// gauges flattens families into gauge values keyed by name and labels, and
// fails the test on a metric that is not a gauge.
func gauges(t *testing.T, mfs map[string]*dto.MetricFamily) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	for name, mf := range mfs {
		for _, m := range mf.GetMetric() {
			require.Equal(t, dto.MetricType_GAUGE, mf.GetType(), name)
			var pairs []string
			for _, l := range m.GetLabel() {
				pairs = append(pairs, l.GetName()+"="+l.GetValue())
			}
			out[key(name, pairs...)] = m.GetGauge().GetValue()
		}
	}
	return out
}
