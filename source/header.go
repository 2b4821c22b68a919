package source

import (
	"strings"
	"unicode"
)

// headerSearchRows is how many non-empty rows the header is looked for in.
const headerSearchRows = 50

// DetectHeaderRow returns the index in rows of the row that looks like the
// header, or -1 when every row is empty. It is the first non-empty row,
// unless that row is clearly a title: one non-empty cell, followed within 50
// rows (more one-cell title lines and blank rows allowed) by a row that looks
// like a header — at least two non-empty cells, each holding a letter and no
// "@" or "://" (text, not numbers, dates, e-mails or links), no two alike —
// which is itself followed by a row of several cells (data) or by nothing.
// A one-column file therefore keeps its first row.
func DetectHeaderRow(rows [][]string) int {
	first := -1
	for i, r := range rows {
		if nonEmpty(r) > 0 {
			first = i
			break
		}
	}
	if first < 0 || nonEmpty(rows[first]) >= 2 {
		return first
	}
	seen := 0
	for j := first + 1; j < len(rows) && seen < headerSearchRows; j++ {
		n := nonEmpty(rows[j])
		if n == 0 {
			continue
		}
		seen++
		if n == 1 {
			continue // another title line ("Filtered by: …")
		}
		if looksLikeHeader(rows[j]) && followedByData(rows[j+1:]) {
			return j
		}
		return first
	}
	return first
}

// FindHeaderRow returns the index of the first of the first 50 non-empty rows
// holding every one of columns (compared case-insensitively after trimming
// spaces), or -1.
func FindHeaderRow(rows [][]string, columns []string) int {
	if len(columns) == 0 {
		return -1
	}
	seen := 0
	for i, r := range rows {
		if nonEmpty(r) == 0 {
			continue
		}
		if seen++; seen > headerSearchRows {
			break
		}
		if holdsAll(r, columns) {
			return i
		}
	}
	return -1
}

func holdsAll(cells, columns []string) bool {
	for _, want := range columns {
		want = strings.TrimSpace(want)
		if want == "" {
			continue
		}
		found := false
		for _, c := range cells {
			if strings.EqualFold(strings.TrimSpace(c), want) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// looksLikeHeader: several cells of text, none alike.
func looksLikeHeader(cells []string) bool {
	seen := make(map[string]bool, len(cells))
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if !strings.ContainsFunc(c, unicode.IsLetter) || strings.Contains(c, "@") || strings.Contains(c, "://") {
			return false
		}
		k := strings.ToLower(c)
		if seen[k] {
			return false
		}
		seen[k] = true
	}
	return len(seen) >= 2
}

// followedByData: the next non-empty row has several cells, or there is none.
func followedByData(rows [][]string) bool {
	for _, r := range rows {
		if n := nonEmpty(r); n > 0 {
			return n >= 2
		}
	}
	return true
}
