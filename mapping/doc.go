// Package mapping turns input rows into API leads: it reads the mapping file
// (YAML, see CONTRACT.md), binds its column names to an input header,
// transforms each cell (trim, phone to E.164, dates to the API's
// MM-dd-yyyy HH:mm:ss, state names to USPS codes, email and ZIP checks),
// validates the row as the API documents it, finds duplicates within a run,
// and guesses a first mapping for `mapping init`. Of the project's packages
// it imports only wire, whose Lead it fills.
//
// Decisions where the API documentation is silent:
//   - Account ids must be digits (the API creates them as numbers); leading
//     zeros are dropped so "018" and "18" batch together.
//   - A phone extension (x123, ext. 123, #123) is dropped with a warning: the
//     API has no place for it. Phones are checked as possible (length), not
//     as assigned. North American numbers take a hand-written fast path that
//     agrees with libphonenumber; everything else goes through it.
//   - Dates: only the listed formats are tried, in order, then the API's own;
//     day and month are never guessed. Pattern and excel values are wall
//     time in the mapping's timezone and are not shifted; iso8601 values
//     carry an offset and are converted into it. yy uses Go's pivot (69-99
//     are 1900s). Fractions of a second are dropped.
//   - An unknown state is a warning and is sent as given; a 4-digit ZIP is
//     padded with a warning; a bad ZIP or email is an error.
//   - Constants are transformed once at load time; a bad constant fails the
//     mapping, a warning about one is repeated on every row.
//   - Bind fails (rather than every row) when a field the kind requires is
//     not mapped at all, or a lead mapping sets no account.
//
// Mapper.Map is the hot path (about a microsecond a row): no regexp, no fmt,
// no maps on the happy path; dates use precompiled hand parsers.
package mapping
