// Package reports writes what a run leaves behind: the per-row report (CSV,
// JSONL or XLSX, chosen by the target's extension), the run summary (text
// and JSON) and the removed-leads list; and it reads reports and lists back.
// docs/report.md is the user's description; this is the why.
//
// Files. Every file is written to a temporary file beside its target,
// ".<name>.tmp-<16 hex digits>", created with O_EXCL|O_NOFOLLOW and mode
// 0600 whatever the umask, then synced and renamed into place: a crash never
// leaves a half-written file at the target, an existing file's wider mode is
// not inherited, and a symlink planted at the target is replaced, its target
// never written. A kill -9 leaves the temporary file (personal data) behind;
// CleanStale, called by the next run on that path while it holds the run
// lock, removes it. excelize's scratch files go to a 0700 directory beside
// the temporary file (same name plus ".d") instead of the system temp
// directory, so CleanStale finds them too. A missing directory is created
// 0755 (before the umask), as `mkdir -p out` would: the files are private
// whatever their directory's mode, and a private out/ would only surprise.
//
// Columns: FixedColumns() first, then the input's own columns. An input
// column whose name equals a fixed one case-insensitively after trimming,
// or already starts with InputPrefix, is written as "input.<name>"
// (ReportColumn): the report never repeats a name, a mapping's column never
// silently reads the report's own, and InputColumns undoes it exactly, so a
// report imports again with the original mapping and a report of a report
// holds input.file, input.row, ... A Writer is not safe for concurrent use:
// one goroutine writes the rows, in input order. Abort after Finish is a
// no-op, so callers can `defer w.Abort()`.
//
// Cells:
//   - CSV cells and headers starting with = + - @ tab or CR get a leading '
//     (E.164 phones too: "'+1333…"), and so does a cell of ' characters
//     followed by one of those, which makes Unneutralise exact. CSV is the
//     format a spreadsheet would run formulas from, and ' is its only
//     defence. UTF-8, "\n" line ends, quoting by encoding/csv, a byte order
//     mark only with Options.BOM.
//   - XLSX text cells are inline string cells, which Excel and LibreOffice
//     never run as formulas, so they hold the raw value with no '. row,
//     http_status and attempts are numbers; input cells stay text (zip
//     "02134" and long digit strings survive). A text longer than a cell's
//     32,767 characters (UTF-16 units, as Excel counts) is cut, and the
//     row's message says so: excelize would cut it silently.
//   - JSONL keeps raw values; input columns sit in a nested "original"
//     object under their own names (a repeated name gets " (2)"), so they
//     need no renaming.
//
// XLSX layout: sheets "Report", "Problems" (rows whose Status.Problem) and
// "Summary"; a sheet that reaches Excel's row limit continues in
// "Report (2)", … so nothing is dropped. Problem rows are filled light red,
// done rows with a message light yellow. Column widths come from the header
// and the first 1000 rows (held back until then, as excelize streams need
// widths first), capped at 60 characters. Memory stays flat (about 80 MB
// RSS for 100k or 1M rows): the streams spill to disk and the zip goes
// straight to the temporary file through excelize's zip-writer hook.
//
// The removed-leads list is a fixed-schema CSV written and read with gocsv
// (struct tags; the channel API, so a long list is never held whole),
// neutralised like the CSV report.
package reports
