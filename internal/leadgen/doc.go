// Package leadgen writes deterministic lead files for benchmarks and tests:
// the same seed gives the same bytes. CSV rows look like a nightly export;
// XLSX workbooks are written the way Excel writes them (every text cell in the
// shared-strings table, dates as serial numbers with a date format, ZIP codes
// as numbers shown through 00000), so the XLSX reader is measured on the
// structure real files have rather than on excelize's inline strings.
package leadgen
