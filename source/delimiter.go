package source

import (
	"fmt"
	"strings"
)

// DelimiterFromName reads a delimiter as a person writes it: one character,
// or the words tab, comma, semicolon, pipe (and \t).
func DelimiterFromName(s string) (rune, error) {
	switch strings.ToLower(s) {
	case "tab", `\t`, "\t":
		return '\t', nil
	case "comma":
		return ',', nil
	case "semicolon":
		return ';', nil
	case "pipe":
		return '|', nil
	}
	rs := []rune(s)
	if len(rs) != 1 || rs[0] == '"' || rs[0] == '\n' || rs[0] == '\r' {
		return 0, fmt.Errorf("delimiter %q: want one character such as , ; | or the word tab", s)
	}
	return rs[0], nil
}

// delimiterCandidates are the delimiters detection chooses from, in tie-break order.
const delimiterCandidates = ",;\t|"

// detectDelimiter picks the candidate seen most often, outside quotes, on
// the first line that holds any (so a title line such as "Leads report" above
// the header does not count), or on line headerRow when it is pinned. Ties go
// to the earlier candidate; with none seen the file has one column.
func detectDelimiter(head []byte, preferTab bool, headerRow int) rune {
	var counts [len(delimiterCandidates)]int
	inQuote, line, seen := false, 1, 0
scan:
	for i, c := range head {
		switch {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '\n' || c == '\r':
			if c == '\r' && i+1 < len(head) && head[i+1] == '\n' {
				continue // the \n ends the line
			}
			if headerRow > 0 && line >= headerRow || headerRow <= 0 && seen > 0 {
				break scan
			}
			line++
		case headerRow > 0 && line != headerRow:
		default:
			if i := strings.IndexByte(delimiterCandidates, c); i >= 0 {
				counts[i]++
				seen++
			}
		}
	}
	tab := strings.IndexByte(delimiterCandidates, '\t')
	if preferTab && counts[tab] > 0 {
		return '\t'
	}
	best := -1
	for i, n := range counts {
		if n > 0 && (best < 0 || n > counts[best]) {
			best = i
		}
	}
	switch {
	case best >= 0:
		return rune(delimiterCandidates[best])
	case preferTab:
		return '\t'
	default:
		return ','
	}
}

// crOnlyLineEnds reports whether the first line ending outside quotes is a lone CR (old Mac
// files); atEOF says head is the whole file.
func crOnlyLineEnds(head []byte, atEOF bool) bool {
	inQuote := false
	for i, c := range head {
		switch {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '\n':
			return false
		case c == '\r':
			if i+1 < len(head) {
				return head[i+1] != '\n'
			}
			return atEOF
		}
	}
	return false
}
