// Package golden compares test output with golden files under a package's
// testdata/golden, and rewrites them when the test binary runs with -update
// (go test ./pkg -run TestX -update). It is imported by tests only; the
// -update flag is registered once, here, for every package that uses it.
package golden
