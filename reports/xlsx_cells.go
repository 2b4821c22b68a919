package reports

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// maxCellChars is the most characters (UTF-16 code units, as Excel counts
// them) an XLSX cell holds. excelize would cut a longer value silently; the
// writer cuts it first and says so in the row's message.
const maxCellChars = excelize.TotalCellChars

// fillXLSX lays r out as one XLSX row in vals: text as string cells (which
// a spreadsheet never runs as a formula, so nothing is neutralised), row,
// http_status and attempts as numbers, the original cells as text. A text
// longer than a cell holds is cut, with a warning added to the message; the
// message as written is returned.
func fillXLSX(vals []any, r *RowResult, header []string) string {
	var cut []string // headers of the columns cut, message excluded
	text := func(i int, s string) {
		c, was := cutCell(s)
		if was {
			cut = append(cut, header[i])
		}
		vals[i] = c
	}
	text(0, r.File)
	vals[1] = r.Row
	text(2, string(r.Status))
	text(4, r.AccountID)
	text(5, r.ExternalID)
	text(6, r.Phone)
	vals[7] = r.HTTPStatus
	vals[8] = r.Attempts
	for i := nFixed; i < len(vals); i++ {
		s := ""
		if j := i - nFixed; j < len(r.Original) {
			s = r.Original[j]
		}
		text(i, s)
	}
	msg := r.Message
	if cut != nil {
		msg = cutMessage(msg, header[3], cut)
	} else if len(msg) > maxCellChars {
		msg = cutMessage(msg, header[3], nil)
	}
	vals[3] = msg
	return msg
}

// cutCell returns s cut to maxCellChars, and whether it was cut. A UTF-8
// string has no more UTF-16 units than bytes, so short strings are only
// measured by length.
func cutCell(s string) (string, bool) {
	if len(s) <= maxCellChars || utf16Len(s) <= maxCellChars {
		return s, false
	}
	return cutUTF16(s, maxCellChars), true
}

// cutWarning is the message part that tells a column was cut.
func cutWarning(column string) string {
	return "column " + column + " was cut to 32,767 characters in the XLSX report"
}

// cutMessage appends a warning per cut column to msg and, if the message
// itself no longer fits, cuts its own text to leave room for the warnings
// and one about the message column.
func cutMessage(msg, msgColumn string, cut []string) string {
	var tail strings.Builder
	for _, c := range cut {
		tail.WriteString("; ")
		tail.WriteString(cutWarning(c))
	}
	if msg == "" && tail.Len() > 0 {
		s, _ := cutCell(tail.String()[2:])
		return s
	}
	if utf16Len(msg)+utf16Len(tail.String()) <= maxCellChars {
		return msg + tail.String()
	}
	tail.WriteString("; ")
	tail.WriteString(cutWarning(msgColumn))
	room := max(maxCellChars-utf16Len(tail.String()), 0)
	s, _ := cutCell(cutUTF16(msg, room) + tail.String())
	return s
}

// utf16Len counts s in UTF-16 code units, as Excel does.
func utf16Len(s string) int {
	n := 0
	for _, r := range s { // ranging yields U+FFFD for invalid bytes: one unit
		n += utf16.RuneLen(r)
	}
	return n
}

// cutUTF16 keeps the longest prefix of s of at most n UTF-16 code units,
// never splitting a character.
func cutUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		l := utf16.RuneLen(r)
		if units+l > n {
			return s[:i]
		}
		units += l
	}
	return s
}

// valueWidth is the width a cell value needs, in characters.
func valueWidth(v any) int {
	switch v := v.(type) {
	case string:
		return cellWidth(v)
	case int:
		return len(strconv.Itoa(v))
	}
	return 0
}

// cellWidth is the longest line of s in characters.
func cellWidth(s string) int {
	longest := 0
	for line := range strings.SplitSeq(s, "\n") {
		longest = max(longest, utf8.RuneCountInString(line))
	}
	return longest
}
