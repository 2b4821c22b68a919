// Command benchrun is `make bench`: it generates deterministic CSV and XLSX
// inputs (internal/leadgen), runs the built binary on them as a user would,
// measures rows per second and peak RSS (the child's rusage), runs an
// end-to-end import into a loopback sandbox process with the rate limit off,
// checks rate adherence at --rate 20 from the sandbox's own request log, and
// writes one table to stdout and BENCHMARKS.md.
package main
