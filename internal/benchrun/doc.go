// Command benchrun is `make bench`: it runs the built binary as a user
// would and writes BENCHMARKS.md (and stdout).
//
//   - Throughput and memory: CSV and XLSX dry runs and an unpaced import
//     into a loopback sandbox process, at 100k and 1M generated rows
//     (internal/leadgen, in a child process so that this one stays small),
//     each repeated -runs times; rows/s min and median, peak RSS (the
//     child's rusage) the highest. Adding a row is one call (cases.go).
//   - The CSV ceiling (ceiling.go): the same input parsed by encoding/csv and
//     its cells written back, by this program in a child process: the most a
//     CSV run that parses on one goroutine can reach here; the goals table
//     sets each CSV goal against it.
//   - Rate use at server latency: imports paced by --rate against sandboxes
//     started with --latency, judged from the sandbox's request log with
//     sandbox.RequestLog: steady-state utilisation (the first second left
//     out, the bucket starts full) and the worst one-second window.
//   - The per-stage Go benchmarks.
package main
