package reports

import "strings"

// InputPrefix is put before an input column's name when the name would
// collide with one of the report's own columns (see ReportColumn).
const InputPrefix = "input."

// ReportColumn returns the header under which an input column appears in a
// report. A name equal to a fixed column case-insensitively after trimming
// spaces ("status", " Phone ", "File") gets InputPrefix, and so does a name
// that already starts with the prefix (case-insensitively, after trimming
// leading spaces), which gets one more. Every other name is kept as it is.
//
// The mapping is a bijection undone by InputColumn, and a renamed header
// never equals a fixed column or another renamed header, even
// case-insensitively: a report of a report holds "input.file", "input.row",
// …, "input.input.phone", and one more level adds one more prefix.
func ReportColumn(input string) string {
	if needsPrefix(input) {
		return InputPrefix + input
	}
	return input
}

// InputColumn undoes ReportColumn: it removes one InputPrefix from a report's
// header. The prefix is matched in any letter case, which is exact: a name
// ReportColumn keeps as it is never starts with the prefix in any case.
func InputColumn(report string) string {
	if hasPrefixFold(report, InputPrefix) {
		return report[len(InputPrefix):]
	}
	return report
}

func needsPrefix(name string) bool {
	t := strings.TrimSpace(name)
	if hasPrefixFold(t, InputPrefix) {
		return true
	}
	for _, f := range FixedColumns() {
		if strings.EqualFold(t, f) {
			return true
		}
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// Header returns the report's header row: the fixed columns, then each
// original column under ReportColumn's name.
func Header(original []string) []string {
	h := make([]string, 0, nFixed+len(original))
	h = append(h, FixedColumns()...)
	for _, o := range original {
		h = append(h, ReportColumn(o))
	}
	return h
}

// IsReportHeader tells whether header is a report's: it starts with the
// fixed columns, in order. Names are compared case-insensitively after
// trimming spaces, and a byte order mark before the first is ignored, so a
// report saved again by a spreadsheet is still recognised.
func IsReportHeader(header []string) bool {
	if len(header) < nFixed {
		return false
	}
	for i, f := range FixedColumns() {
		h := header[i]
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		if !strings.EqualFold(strings.TrimSpace(h), f) {
			return false
		}
	}
	return true
}

// InputColumns reads a report's header back: when header IsReportHeader, it
// returns the input column names of the columns after the fixed ones
// (names[i] belongs to header[len(FixedColumns())+i]) with InputColumn
// applied, and true. A mapping written for the original input binds to these
// names, so a report, or its failed rows, imports again with the same
// mapping. Otherwise it returns nil and false.
//
// A CSV report's headers and cells must first go through Unneutralise;
// XLSX reports need no such step.
func InputColumns(header []string) (names []string, ok bool) {
	if !IsReportHeader(header) {
		return nil, false
	}
	rest := header[nFixed:]
	names = make([]string, len(rest))
	for i, h := range rest {
		names[i] = InputColumn(h)
	}
	return names, true
}

// neutralise makes a CSV cell that a spreadsheet would run as a formula
// (starting with = + - @ tab or CR) inert by putting ' before it. A cell
// made of one or more ' and then such a character gets one more ', so the
// change is reversible: Unneutralise removes exactly what neutralise added.
func neutralise(s string) string {
	if neutralisePrefix(s) {
		return "'" + s
	}
	return s
}

// Unneutralise undoes the ' a CSV report (or removed-leads list) puts before
// a formula-like cell: a cell made of one or more ' followed by = + - @ tab
// or CR loses its first '. Any other cell is returned as it is. Apply it to
// CSV cells only: XLSX and JSONL reports keep raw values.
func Unneutralise(s string) string {
	if len(s) < 2 || s[0] != '\'' {
		return s
	}
	i := 1
	for i < len(s) && s[i] == '\'' {
		i++
	}
	if i == len(s) {
		return s
	}
	switch s[i] {
	case '=', '+', '-', '@', '\t', '\r':
		return s[1:]
	}
	return s
}
