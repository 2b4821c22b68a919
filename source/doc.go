// Package source turns an input file into a stream of records: the header,
// then each data row with the row number a spreadsheet shows for it. It
// knows nothing of leads or of the API: the mapping decides what cells mean.
//
// Delimited text (.csv, .tsv, .txt) is parsed with encoding/csv, not gocsv:
// gocsv binds records to structs whose shape is known at compile time, while
// these columns are only known at run time from the mapping, and the hot
// path wants no reflection. The encoding is found from a byte order mark,
// then by checking the bytes; the delimiter by counting candidates on the
// first line.
//
// XLSX sheets are read by a purpose-built streaming scanner of the sheet XML
// over archive/zip. excelize's Rows() exposes no style ids (so no date or
// 00000 formats) and ran about 10k rows/s; excelize writes the test fixtures
// and is the oracle the scanner's output is compared with.
//
// Structural problems of one row (a short row, a stray quote) come back as
// the record's Problem and the file goes on; problems that make the rest of
// the file unreadable (an unclosed quote, a zip bomb) are a *ReadError naming
// the file, row and column.
package source
