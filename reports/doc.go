// Package reports writes the per-row report of a run (CSV, JSONL or XLSX,
// chosen by the target's extension) and formats the run summary.
//
// Every report is written to a temporary file beside the target,
// ".<name>.tmp-<16 hex digits>", created with O_EXCL|O_NOFOLLOW and mode 0600
// whatever the umask, then synced and renamed into place by Finish: a crash
// or an Abort never leaves a half-written file at the target path, an
// existing file's mode is not inherited, and a symlink planted at the target
// is replaced, never written through. CleanStale removes what a killed run
// left (the next run calls it while holding the run lock); excelize's
// scratch files go to a 0700 directory beside the temporary file for that
// reason. A missing directory is created 0755 before the umask, as mkdir -p
// would: the files are private whatever their directory's mode. Abort after Finish is a
// no-op, so callers can `defer w.Abort()`. A Writer is not safe for
// concurrent use: one goroutine writes the rows, in input order.
//
// Columns: FixedColumns() first, then the input's own columns. An input
// column whose name equals a fixed one case-insensitively after trimming,
// or already starts with InputPrefix, is written as "input.<name>"
// (ReportColumn): the report never repeats a name, a mapping's column never
// silently reads the report's own, and InputColumns undoes it exactly, so a
// report imports again with the original mapping and a report of a report
// holds input.file, input.row, ... Decisions where the contract is silent:
//
//   - CSV cells and headers starting with = + - @ tab or CR get a leading '
//     so a spreadsheet never runs them (E.164 phones too: "'+1333…"), and so
//     does a cell of ' characters followed by one of those, which makes
//     Unneutralise, the reading side's undo, exact. JSONL keeps raw values,
//     with input columns in a nested "original" object under their own
//     names (no renaming needed there).
//   - CSV is UTF-8, "\n" line ends, quoting by encoding/csv, and a byte order
//     mark only with Options.BOM (--report-bom): Excel needs it to read
//     accents right, while most other tools would read it as part of the
//     first header.
//   - XLSX text cells are inline string cells, which Excel and LibreOffice
//     never run as formulas: they hold the raw value, no '. row,
//     http_status and attempts are numbers; input cells stay text (zip
//     "02134" keeps its zero). A text longer than a cell's 32,767
//     characters (UTF-16 units, as Excel counts) is cut and the row's
//     message says so; excelize would cut it silently. Sheets: "Report",
//     "Problems" (rows whose Status.Problem) and "Summary". A sheet that
//     reaches Excel's row limit continues in "Report (2)", "Problems (2)",
//     … (added in the order they are needed) so nothing is dropped. Problem
//     rows are filled light red, done rows with a message light yellow.
//     Column widths come from the header and the first 1000 rows (held back
//     until then, as excelize streams need widths first), capped at 60
//     characters.
//   - XLSX memory stays flat (about 80 MB RSS for 100k or 1M rows): excelize
//     streams spill to temp files, and the zip goes straight to the report's
//     temporary file through excelize's zip-writer hook instead of the
//     in-memory buffer File.Write would build.
package reports
