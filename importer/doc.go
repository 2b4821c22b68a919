// Package importer is the pipeline: it opens the input files (source.go,
// csv_source.go, xlsx_*.go), maps and validates each row through the mapping
// package, groups valid rows by account into batches (batcher.go), sends them
// through the client with bounded concurrency (run.go, actions.go), isolates
// the rows a server refuses by splitting a refused batch in halves, and writes
// exactly one report row per input row, in input order (collector.go).
//
// A run that sends anything keeps an append-only journal beside its report
// (journal.go): a header naming each input's size and SHA-256, then one line
// per confirmed batch, fsynced (group commit) before the rows are reported
// sent. --resume reads it back and reports the confirmed rows as already_sent
// instead of sending them again; a changed input is refused unless the journal
// says its run completed, in which case a new run starts.
//
// Reading: delimited text goes through encoding/csv directly (gocsv binds
// records to structs, but the columns here are only known at run time from
// the mapping, and the hot path wants no reflection). XLSX is read by a
// streaming scanner of the sheet XML (xlsx_scanner.go) with the workbook,
// styles and date system parsed beside it; excelize writes the test fixtures
// and is the oracle the scanner's output is compared with. excelize's Rows()
// exposes no style ids (so no date or 00000 formats) and ran ~10k rows/s.
//
// Decisions the documentation leaves open:
//   - Batches close at --batch-size rows (default 100) or 1 MiB of body,
//     whichever comes first, and also when the oldest open batch is more than
//     a window of rows behind the reader (default 10,000). The window bounds
//     memory and the report's reorder buffer, whatever the account spread.
//   - A 400 (or 413) on a batch of several rows is split in halves until each
//     refused row is alone; a lone refused row is rejected with the server's
//     message. A 404 (unknown account) rejects every row of the batch.
//   - A request whose response never came may have been applied. It is sent
//     again (the API keys leads by externalId, so a resend updates the lead
//     instead of duplicating it) and counted as a resend in the summary.
//   - --max-errors counts invalid, duplicate, rejected and failed rows.
//   - A batch that fails with no response before any request of the run
//     succeeded means the server is unreachable: the run stops, exit 1.
package importer
