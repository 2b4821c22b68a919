// Package importer is the pipeline, a line of stages that data flows through
// one way:
//
//	inputs.go   open every input (package source), bind the mapping to its
//	            header, lay out the report's columns (the union of headers)
//	resume.go   the journal policy: start afresh, or go on from an
//	            interrupted run of the same action on the same inputs
//	read.go     read records on their own goroutine, in chunks that a few
//	            workers map (mapping a row depends on nothing but its cells)
//	map.go      mapped record → item for the sink, or a final result
//	            (invalid, duplicate, already sent, not sent after a stop),
//	            in input order
//	sink.go     the API sink (batch.go groups items by account, send.go
//	            sends a batch and classify.go decides what its answer means),
//	            or the dry-run sink, which reports items valid and writes the
//	            requests it would have made
//	collect.go  write every row's result to the report in input order
//
// results.go is the one place a row's report row is built; stop.go holds the
// run's stop state; journal.go the journal's file format; actions_*.go what
// a run does with its rows (bulk or single leads, agents, lead operations,
// lead statistics).
//
// A run that sends anything keeps an append-only journal beside its report:
// a header naming the action (a stable key such as leads.bulk.add) and each
// input's size and SHA-256, then one line per confirmed batch, fsynced (group
// commit) before the rows are reported sent. --resume reads it back and
// reports the confirmed rows as already_sent instead of sending them again.
// A journal of another action or mode is refused; a changed input is refused
// unless the journal says its run completed, in which case a new run starts.
//
// Decisions the documentation leaves open:
//   - Batches close at --batch-size rows (default 100) or 1 MiB of body,
//     whichever comes first, and also when the oldest open batch is more than
//     a window of rows behind the reader (default 10,000). The window bounds
//     memory and the report's reorder buffer, whatever the account spread.
//   - A 400 (or 413, 422) on a batch of several rows is split in halves until
//     each refused row is alone; a lone refused row is rejected with the
//     server's message. A 404 (unknown account) rejects every row of the
//     batch.
//   - A request whose response never came may have been applied. It is sent
//     again (the API keys leads by externalId, so a resend updates the lead
//     instead of duplicating it) and counted as a resend in the summary.
//   - --max-errors counts invalid, duplicate, rejected and failed rows.
//   - A batch that fails with no response before the server answered any
//     request of the run means the server is unreachable: the run stops.
package importer
