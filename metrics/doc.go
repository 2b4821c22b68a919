// Package metrics turns the outcome of one import run into Prometheus metrics
// for unattended runs (cron, Kubernetes, Airflow): written to a file for
// node_exporter's textfile collector (WriteFile, --metrics-file) or pushed to
// a Pushgateway (Push, --pushgateway). The CLI maps its summary to a Run and
// --metrics-label arguments through ParseLabels.
//
// All metrics are gauges about the latest run, each carrying the run's labels
// (--metrics-label, e.g. pipeline="crm-nightly"):
//
//	name                                          labels   meaning
//	xonvo_import_last_run_rows                    status   rows by final status; all 10 statuses, 0 included
//	xonvo_import_last_run_requests                code     HTTP requests: exact code below 500, "5xx", "error" (no response)
//	xonvo_import_last_run_retries                          HTTP attempts that repeated an earlier one
//	xonvo_import_last_run_duration_seconds                 wall-clock duration
//	xonvo_import_last_run_exit_code                        exit code (0 ok, 1 failed, 3 rows not sent, 4, 5, 130)
//	xonvo_import_last_run_timestamp_seconds                Unix time the run ended
//	xonvo_import_last_success_timestamp_seconds            Unix time the last run with exit code 0 ended
//	xonvo_import_last_run_bytes_read                       input bytes read
//
// Decisions:
//   - Each call builds its own prometheus.Registry; nothing is registered
//     globally, and the exposition is client_golang's, not hand-written.
//   - Every status, and the request buckets 200, 400, 401, 429, 5xx and
//     error, are exported even at 0: queries and alerts never meet a missing
//     series, and with push-add a bucket left over from an earlier run
//     cannot linger, since a pushed metric name replaces all its series.
//   - A failed run never moves the last-success timestamp. The Pushgateway
//     keeps it because the gauge is not pushed (push-add, HTTP POST); the
//     file keeps it by carrying the value over from the file it replaces.
//   - The file has no job label (the scrape of node_exporter sets job); on
//     the Pushgateway the job is PushOptions.Job, else Run.Job, else
//     "xonvo_import", and the run's labels are the grouping key.
//   - The file is written atomically (exclusive temporary file, fsync,
//     rename) with mode 0600, and a symlink at its path is replaced, not
//     followed.
//   - Credentials reach Push only through PushOptions, never the URL (a URL
//     with user info is refused), and a returned error never holds the
//     password, even when a gateway echoes it back.
package metrics
