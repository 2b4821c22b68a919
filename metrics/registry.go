package metrics

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// The metric names. All are gauges describing the latest run; see doc.go.
const (
	NameRows        = "xonvo_import_last_run_rows"
	NameRequests    = "xonvo_import_last_run_requests"
	NameRetries     = "xonvo_import_last_run_retries"
	NameDuration    = "xonvo_import_last_run_duration_seconds"
	NameExitCode    = "xonvo_import_last_run_exit_code"
	NameTimestamp   = "xonvo_import_last_run_timestamp_seconds"
	NameLastSuccess = "xonvo_import_last_success_timestamp_seconds"
	NameBytesRead   = "xonvo_import_last_run_bytes_read"
)

// gather builds the run's metrics in a registry of their own and returns them
// sorted by name, then labels. constLabels go on every metric (nil for a
// push, where the grouping key carries them). lastSuccess is the value of the
// last-success gauge, which is left out when nil.
func gather(r Run, constLabels map[string]string, lastSuccess *time.Time) ([]*dto.MetricFamily, error) {
	reg := prometheus.NewPedanticRegistry()
	labels := prometheus.Labels(constLabels)

	rows := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: NameRows, ConstLabels: labels,
		Help: "Rows of the last run by final status (sent, invalid, rejected, failed, ...); every status is present, 0 included."},
		[]string{"status"})
	statuses, counts := r.rowCounts()
	for _, s := range statuses {
		rows.WithLabelValues(s).Set(float64(counts[s]))
	}

	requests := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: NameRequests, ConstLabels: labels,
		Help: `HTTP requests of the last run by outcome: the exact status code below 500, "5xx" for server errors, "error" for no response.`},
		[]string{"code"})
	for code, n := range r.requestCounts() {
		requests.WithLabelValues(code).Set(float64(n))
	}

	collectors := []prometheus.Collector{rows, requests,
		gauge(NameRetries, "HTTP attempts of the last run that repeated an earlier attempt.", labels, float64(r.Retries)),
		gauge(NameDuration, "Wall-clock duration of the last run in seconds.", labels, r.DurationSeconds),
		gauge(NameExitCode, "Exit code of the last run: 0 ok, 1 failed, 3 rows not sent, 4 too many errors, 5 refused by a guard, 130 interrupted.",
			labels, float64(r.ExitCode)),
		gauge(NameTimestamp, "Unix time at which the last run ended.", labels, unixSeconds(r.Timestamp)),
		gauge(NameBytesRead, "Input bytes read by the last run.", labels, float64(r.BytesRead)),
	}
	if lastSuccess != nil {
		collectors = append(collectors, gauge(NameLastSuccess,
			"Unix time at which the last successful run (exit code 0) ended.", labels, unixSeconds(*lastSuccess)))
	}
	for _, c := range collectors {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register metrics: %w", err)
		}
	}
	mfs, err := reg.Gather()
	if err != nil {
		return nil, fmt.Errorf("gather metrics: %w", err)
	}
	return mfs, nil
}

// gauge is a gauge set to v.
func gauge(name, help string, labels prometheus.Labels, v float64) prometheus.Gauge {
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help, ConstLabels: labels})
	g.Set(v)
	return g
}

// unixSeconds is t as Unix seconds with millisecond precision, enough for a
// run's end and short enough to read.
func unixSeconds(t time.Time) float64 {
	return float64(t.UnixMilli()) / 1000
}
