// Package xlsx streams the rows of one worksheet of an XLSX workbook as text, the
// way a spreadsheet shows them. It knows nothing of leads or of any API.
//
//	wb, err := xlsx.Open(ctx, path, xlsx.Options{})
//	name, err := wb.DefaultSheet()        // the first visible worksheet
//	sr, err := wb.OpenSheet(ctx, name)    // exact name, then case-insensitive
//	for { row, err := sr.Next(ctx) ... }  // io.EOF at the end
//
// # What a cell becomes
//
//   - Shared and inline strings: their text, as excelize reads it (the oracle of
//     FuzzXLSXMatchesExcelize): the item's own <t> then its rich-text runs' <t>, without
//     phonetic runs (<rPh>); _xHHHH_ escapes decoded over the whole item; entities and
//     character references resolved; CR LF and lone CR read as LF, as XML requires
//     (a CR written &#13; or _x000D_ stays). Whitespace is kept whatever xml:space says.
//   - Numbers: the shortest decimal that is the stored double, without exponent
//     (1.5E+20 -> 150000000000000000000); integers of up to 15 digits exactly as stored.
//     A format of digit placeholders (00000, 000-00-0000, "ID"000000) is applied to an
//     integer, so ZIP codes and account numbers keep their zeros. Other formats
//     (thousands separators, decimals, percent, currency) are not applied.
//   - Dates and times (a number in a date or time format, or a t="d" cell): ISO 8601
//     without zone, 2006-01-02T15:04:05, rounded to the nearest second, in the 1900 or
//     1904 system. A time of day (a value under 1 in a time format, or any value under
//     1 in the 1900 system) is on 1899-12-30, day 0 of the 1900 system, whichever the
//     system, so a time reads the same from any workbook.
//   - Booleans: TRUE or FALSE. Error values (#N/A, #DIV/0!...) and formula results
//     (t="str"): their text as stored; what an error value means is the caller's call.
//
// # Sheets and rows
//
// DefaultSheet is the first visible worksheet: hidden ("hidden", "veryHidden") and
// chart sheets are skipped, as they are not what a person sees on opening the file.
// A hidden sheet can still be opened by name. Rows keep the sheet's row numbers; rows
// with no value are skipped; Cells runs to the row's last non-empty cell.
//
// A vertically merged range's value (its top-left cell's) is delivered in every row
// the range spans, in the range's first column, so rows under a merged "Account" cell
// are not read as having none. The ranges are listed after the rows in the sheet's XML;
// a first pass inflates the sheet and searches it for them while the shared strings
// are read (on the million-row benchmark it costs about 2 s of CPU, run beside the
// shared strings). Horizontal merges are not filled: the value of a title merged
// across columns belongs to its first column; copying it would put one field's value
// into its neighbours (a name into the phone column). A row that is empty apart from a
// merged range stays out: it holds no record of its own.
//
// # Limits
//
// A hostile workbook must not take the reader's memory with it. The zip's declared
// sizes are checked against MaxUnzipBytes (2 GiB; 1 GiB for one part), and each part is
// cut off if it inflates past its size. Every part, the small ones too, is read by one
// scanner (not encoding/xml) that bounds element nesting (256), the length of one tag
// (1 MiB) and the text it keeps: a cell over MaxCellBytes (1 MiB) is dropped and its
// row gets a Problem ("cell C7 is 3.1 MiB, over the 1 MiB limit"), and a row keeps at
// most 16 cells' worth of text. A shared string over the limit is not kept: every cell
// using it is its row's Problem, so only those rows suffer. Lists are capped (4,096
// sheets, 65,536 cell formats, 1,048,576 vertical merges): past them the workbook is
// refused. A DOCTYPE is refused, as Excel does.
//
// Shared strings are held in chunks of 256 strings (one allocation each, 4 bytes of
// overhead per string); past SharedStringsInMemory (32 MiB) they go to a temporary file
// read back through small caches, so a workbook's size does not set the memory used.
//
// # How it reads
//
// A purpose-built scanner, not encoding/xml (which allocates per token) nor excelize's
// Rows() (about 10k rows/s, and no style ids for dates or 00000 formats). Parts inflate
// with klauspost/compress's flate. A sheet is read in three stages on their own
// goroutines: inflating, tokenizing into batches of raw rows, and resolving them in Next;
// the caller's goroutine does only the last. The million-row benchmark sheet (576 MB of
// XML, 5M shared strings) takes about 13 s of CPU in all and 60-75 MB of peak RSS.
//
// # Where this differs from excelize
//
//   - Dates are ISO 8601 rather than laid out by the cell's format code; numbers past
//     15 significant digits keep their digits rather than being rounded to 15
//     (excelize gives 1.23456789012346E+15).
//   - A shared-string index that does not exist, or a cell reference that is not a
//     cell, is the row's Problem; excelize reads an empty cell.
//   - Text with characters XML forbids, or invalid UTF-8, is read as is; excelize
//     (encoding/xml) refuses the sheet.
//   - A cell whose column goes backwards in its row overwrites that column; excelize
//     appends it at the end.
//   - Merged ranges are filled down (above); excelize leaves the cells empty.
package xlsx
