// Package mapping turns input rows into API leads: it reads the mapping file
// (YAML, documented for users in docs/mapping.md), binds its column names to
// an input header, transforms each cell (trim, phone to E.164, dates to the
// API's MM-dd-yyyy HH:mm:ss, state names to USPS codes, email, ZIP and IP
// checks), validates the row as the API documents it, finds duplicates
// within a run, and guesses a first mapping for `mapping init`. Of the
// project's packages it imports only wire, whose Lead it fills.
//
// Decisions where the API documentation is silent:
//   - Account ids must be digits (the API creates them as numbers); leading
//     zeros are dropped so "018" and "18" batch together.
//   - Values as exporters write them: a float showing an integer
//     (2065550100.0, or within 1e-6 of one) reads as that integer in phone,
//     zip, account and external ids. Scientific notation with at most six
//     significant digits and implied zeros (4.42079E+11) is what a
//     spreadsheet's General format leaves of a long number, so it is
//     refused as lost; with more digits (2.0655501E+9, as Java prints an
//     exact double) or every digit written, it is read, with a warning.
//   - Spreadsheet error values (#N/A, #REF!, Err:502...) are empty cells
//     with a warning; a typed "N/A" is data.
//   - An invalid optional value is dropped with a warning, unless its field
//     says invalid: reject, or a rule at level error needs it (then the row
//     is rejected). Required fields, agents' fields and the keys of lead
//     commands always reject: a bad key must not become no key.
//   - A phone extension (x123, ext. 123, #123) is dropped with a warning: the
//     API has no place for it. Phones are checked as possible (length), not
//     as assigned. North American numbers take a hand-written fast path that
//     agrees with libphonenumber; everything else goes through it.
//   - Dates: only the listed formats are tried, in order, then the API's own,
//     then the XLSX reader's yyyy-MM-ddTHH:mm:ss; day and month are never
//     guessed. Pattern, excel and reader values are wall time in the
//     mapping's timezone and are not shifted; iso8601 values carry an offset
//     and are converted into it. yy uses Go's pivot (69-99 are 1900s).
//     Fractions of a second are dropped.
//   - An unknown state name is sent as given with a warning (the API takes
//     names); a state or city without letters, a street without letters or
//     digits, an IP that does not parse are invalid. 4-digit ZIPs, and
//     3-digit ones from 501 (the lowest ZIP) up, are padded with a warning.
//   - A field may read fallback columns where its column is empty.
//   - Messages name the field, the value and the column.
//   - Constants are transformed once at load time; a bad constant fails the
//     mapping, a warning about one is repeated on every row.
//   - Bind fails (rather than every row) when a field the kind requires is
//     not mapped at all, or a lead mapping sets no account.
//   - A mapping file over 1 MiB is refused before it is decoded.
//   - mapping init trusts a header it knows over the values, but notes when
//     the values disagree; a generic header (Date, ID, Region) needs the
//     values' agreement; a column with an unknown header is mapped from its
//     values only when they are distinctive, and otherwise suggested in a
//     comment.
//
// Mapper.Map is the hot path (under a microsecond a row): no regexp, no fmt,
// no maps on the happy path, and nothing that moves the Result to the heap;
// dates use precompiled hand parsers.
package mapping
