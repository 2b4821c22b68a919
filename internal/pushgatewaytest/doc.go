// Package pushgatewaytest runs a real Prometheus Pushgateway for tests: the
// Debian package prometheus-pushgateway (/usr/bin/prometheus-pushgateway),
// started per test on a free 127.0.0.1 port with persistence off, optionally
// behind HTTP Basic auth (a --web.config.file with a bcrypt hash made in the
// test), and stopped by t.Cleanup.
//
// Decisions:
//   - Readiness is polled on /-/ready with a bounded deadline, never slept.
//   - A port taken between choosing and binding is retried with another.
//   - When the binary is missing the test is skipped with a message saying
//     how to install it, except when the environment variable CI is set
//     (CI sets CI=true and installs the package in .ci/run): there a missing
//     gateway fails the test, so CI can never pass by skipping.
package pushgatewaytest
