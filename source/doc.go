// Package source turns inputs into streams of records: the header, then
// each data row with the row number a spreadsheet shows for it. It knows
// nothing of leads or of the API: the mapping decides what cells mean.
//
// # Inputs (input.go, open.go, spool.go, compress.go)
//
// Resolve turns command-line arguments into Inputs: paths, "-" and
// /dev/stdin (Options.Stdin), pipes such as /dev/fd/63 from <(zcat …),
// quoted globs (filepath.Glob, matches sorted, directories left out, no
// match is an error naming the pattern) and s3://, gs://, azblob:// URLs
// with globs in the key (package objstore). Arguments keep their order; an
// input named twice is read once; a path that exists is taken literally
// even if it holds glob characters.
//
// Compression is found from the first bytes, never trusted from the name:
// gzip (1F 8B) and zstd (28 B5 2F FD) are inflated with klauspost/compress
// (one module for both; the standard library has no zstd), so a gzip file
// named .csv works and a ".gz" a browser already inflated reads as text. The
// format is then a workbook if the content is a zip, else given by the
// extension under any .gz/.zst; no extension (stdin, pipes) means text; an
// Excel 97-2003 file is refused with advice.
//
// Stdin and pipes are spooled once, on first Open or Fingerprint, into a
// private temp file (os.CreateTemp, mode 0600, in Options.TempDir or
// os.TempDir, at most Options.MaxSpoolBytes) that Input.Close removes: a run
// fingerprints the content, may read it twice (a pre-scan for the
// truncated-export guard) and a workbook needs random access. Workbooks
// that are compressed or in a bucket are inflated or downloaded to a temp
// file of the same kind that the Source removes on Close. Text in a bucket
// is streamed, never stored.
//
// Fingerprints (fingerprint.go): a local file, stdin or a pipe is its size
// and the SHA-256 of its bytes as stored (compressed bytes for a compressed
// file); an object is its size, ETag (from its attributes, no download) and
// URL without the query. Move (move.go) files an input that is done:
// a hard link then an unlink locally (so an existing target is never
// replaced), copy+fsync+remove across devices, copy+delete for objects; it
// refuses to overwrite.
//
// # Rows (rows.go, table.go, header.go)
//
// A format yields raw rows with their spreadsheet numbers (rowReader); one
// generic layer (openTable) finds the header, shapes rows against it and
// marks footers, so CSV and XLSX behave alike.
//
// Row numbers: the header is where it is found (row 1 in the usual file);
// blank lines count, as a spreadsheet shows them; the line breaks inside a
// quoted cell do not (encoding/csv's FieldPos gives physical lines; the
// extra lines of multi-line records are taken back out). CR-only files are
// turned into LF lines outside quotes. Blank rows (nothing but spaces or
// delimiters) are not records.
//
// The header: Options.HeaderRow pins it. Else Options.HeaderColumns (the
// mapping's columns) pick the first of the first 50 non-empty rows holding
// them all, compared case-insensitively after trimming. Else, or when no row
// holds them, DetectHeaderRow: the first non-empty row, unless it is clearly
// a title — one non-empty cell, followed within 50 rows by a row of at least
// two distinct text cells (letters; no "@" or "://") that is itself followed
// by a row of several cells. Rows above the header are not data and not
// reported; a warning says where the header was found. The delimiter is
// counted on the first line holding any candidate (or on the pinned row).
//
// Footers: after a blank row, rows with exactly one non-empty cell up to the
// end of the file (a report's "Copyright (c) 2000-2026 salesforce.com…",
// "Confidential Information - Do Not Distribute") come back as records with
// Skip set; at most 20 are held back, and any other row first makes them
// ordinary rows. A one-column file has no footers.
//
// # Text (csv_source.go, delimiter.go, encoding*.go, utf8fix.go)
//
// Delimited text is parsed with encoding/csv, not gocsv: gocsv binds records
// to structs known at compile time, while these columns are only known at
// run time, and the hot path wants no reflection. The hot path is one
// bufio.Reader that encoding/csv reuses, over the file.
//
// Encodings: a BOM decides (UTF-8, UTF-16LE/BE), then the UTF-16 zero-byte
// pattern. Otherwise a quick validity pass over the whole content (a
// stream's first 4 MiB): valid UTF-8 is UTF-8. If not, a second pass counts
// valid multi-byte sequences and invalid bytes and scores each high byte
// under Windows-1252 and MacRoman by its neighbours (in MacRoman 0x80–0x9F
// are accented letters, in Windows-1252 mostly punctuation; 0xC0–0xFF are
// letters in Windows-1252, symbols and capitals in MacRoman: a letter inside
// a word scores, a sign inside a word or a capital after a lowercase letter
// costs). The file stays UTF-8 when its valid sequences outnumber its
// invalid bytes four to one; else MacRoman if it scores higher, else
// Windows-1252 (ties go to it), each with a warning. In UTF-8, invalid bytes
// become U+FFFD and the row holding them carries a Warning naming the byte
// and its offset. --encoding names any of them (macroman, mac, x-mac-roman).
//
// XLSX sheets are read by a purpose-built streaming scanner of the sheet XML
// over archive/zip (xlsx_*.go); excelize writes the test fixtures.
//
// Structural problems of one row (a short row, a stray quote) come back as
// the record's Problem and the file goes on; problems that make the rest of
// the file unreadable (an unclosed quote, a zip bomb, damaged gzip) are a
// *ReadError naming the file, row and column.
package source
