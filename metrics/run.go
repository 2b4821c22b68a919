package metrics

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// DefaultJob is the Pushgateway job used when neither PushOptions.Job nor
// Run.Job is set.
const DefaultJob = "xonvo_import"

// Request code buckets besides exact HTTP status codes.
const (
	// CodeServerError counts requests answered with any 5xx status.
	CodeServerError = "5xx"
	// CodeNoResponse counts requests that got no HTTP answer at all
	// (connection refused, reset, timeout, TLS failure).
	CodeNoResponse = "error"
)

// ErrInvalidRun is wrapped by every error about a Run that cannot be turned
// into metrics (a programming error in the caller, not a data problem).
var ErrInvalidRun = errors.New("invalid run")

// Run is the outcome of one import run, as the metrics report it.
type Run struct {
	// Job names the Pushgateway job; PushOptions.Job overrides it and
	// DefaultJob replaces it when empty. The metrics file has no job label:
	// the scrape of node_exporter sets job itself.
	Job string
	// Labels are added to every metric (the file) or used as the grouping
	// key (the Pushgateway): from --metrics-label, see ParseLabels.
	Labels map[string]string
	// Rows counts rows by status ("sent", "invalid", ...). Statuses missing
	// here are exported as 0; unknown ones are exported as given.
	Rows map[string]int64
	// Requests counts HTTP requests by code bucket: see RequestCode. A key
	// may also be an exact 5xx code, which is folded into "5xx".
	Requests map[string]int64
	// Retries is the number of HTTP attempts that repeated an earlier one.
	Retries int64
	// DurationSeconds is the run's wall-clock duration.
	DurationSeconds float64
	// ExitCode is the process exit code of the run.
	ExitCode int
	// Timestamp is when the run ended; it must be set.
	Timestamp time.Time
	// Success is true for a run that exits 0; it must agree with ExitCode.
	// Only a successful run moves the last-success timestamp.
	Success bool
	// BytesRead is the number of input bytes read (before decompression).
	BytesRead int64
}

// Statuses lists every row status the importer knows, in the order the
// metrics and summaries list them. Each is exported even when its count is 0,
// so a query or an alert never meets a missing series.
func Statuses() []string {
	return []string{"sent", "valid", "invalid", "duplicate", "rejected", "failed",
		"not_sent", "already_sent", "unchanged", "skipped"}
}

// requestCodes are the code buckets always exported, 0 when nothing was
// counted: the API's success code, the answers an operator alerts on, and
// the two catch-all buckets. Other exact codes appear when counted.
func requestCodes() []string {
	return []string{"200", "400", "401", "429", CodeServerError, CodeNoResponse}
}

// RequestCode is the bucket a request is counted under: the exact status code
// for any answer below 500 ("200", "400", "429"), "5xx" for a server error,
// and "error" when no answer came (statusCode 0).
func RequestCode(statusCode int) string {
	switch {
	case statusCode <= 0:
		return CodeNoResponse
	case statusCode >= 500:
		return CodeServerError
	default:
		return strconv.Itoa(statusCode)
	}
}

// validate checks what the metrics need from r: a timestamp, Success that
// agrees with ExitCode, valid labels and known request buckets.
func (r Run) validate() error {
	if r.Timestamp.IsZero() {
		return fmt.Errorf("%w: Timestamp is not set", ErrInvalidRun)
	}
	if r.Success != (r.ExitCode == 0) {
		return fmt.Errorf("%w: Success is %t but ExitCode is %d", ErrInvalidRun, r.Success, r.ExitCode)
	}
	if err := checkLabels(r.Labels); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidRun, err)
	}
	for status := range r.Rows {
		if status == "" {
			return fmt.Errorf("%w: a row count has an empty status", ErrInvalidRun)
		}
	}
	for code := range r.Requests {
		if _, err := normaliseCode(code); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidRun, err)
		}
	}
	return nil
}

// rowCounts returns every known status with its count, then unknown statuses
// found in r.Rows, sorted.
func (r Run) rowCounts() ([]string, map[string]int64) {
	order := Statuses()
	counts := make(map[string]int64, len(order)+len(r.Rows))
	for _, s := range order {
		counts[s] = 0
	}
	var extra []string
	for s, n := range r.Rows {
		if _, known := counts[s]; !known {
			extra = append(extra, s)
		}
		counts[s] = n
	}
	sort.Strings(extra)
	return append(order, extra...), counts
}

// requestCounts returns the always-exported buckets and every counted one,
// exact 5xx codes folded into "5xx". r must have passed validate.
func (r Run) requestCounts() map[string]int64 {
	counts := make(map[string]int64, len(r.Requests)+len(requestCodes()))
	for _, c := range requestCodes() {
		counts[c] = 0
	}
	for code, n := range r.Requests {
		bucket, _ := normaliseCode(code)
		counts[bucket] += n
	}
	return counts
}

// normaliseCode maps a Requests key to its bucket: "5xx" and "error" as they
// are, an HTTP status code (100-599) through RequestCode.
func normaliseCode(code string) (string, error) {
	if code == CodeServerError || code == CodeNoResponse {
		return code, nil
	}
	n, err := strconv.Atoi(code)
	if err != nil || n < 100 || n > 599 || len(code) != 3 {
		return "", fmt.Errorf("request code %q is not an HTTP status code, %q or %q", code, CodeServerError, CodeNoResponse)
	}
	return RequestCode(n), nil
}
