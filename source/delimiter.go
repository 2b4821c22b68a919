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
