package reports

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xonvo/xonvo-import/internal/numfmt"
)

// WriteText writes the human summary printed at the end of a run: one
// "label  value" line per item, figures right-aligned. Lines, in order:
// inputs (or files), skipped files, columns added, columns removed, rows and
// a line per status (every status, zeros included), requests, retries,
// resends, splits, bytes sent, duration, rows/s, removed leads, stopped
// early, error, exit code. Lines with nothing to say are left out; a run
// that read no row shows rows and duration only among the figures.
func (s Summary) WriteText(w io.Writer) error {
	type line struct {
		label, value string
		figure       bool // right-aligned with the other figures
	}
	var lines []line
	text := func(label, value string) { lines = append(lines, line{label: label, value: value}) }
	figure := func(label, value string) { lines = append(lines, line{label, value, true}) }
	list := func(label string, values []string) {
		for i, v := range values {
			if i > 0 {
				label = ""
			}
			text(label, v)
		}
	}

	if len(s.Inputs) > 0 {
		list("inputs", s.inputLines())
	} else {
		list("files", s.Files)
	}
	list("skipped files", s.skippedLines())
	if len(s.ColumnsAdded) > 0 {
		text("columns added", quoteList(s.ColumnsAdded))
	}
	if len(s.ColumnsRemoved) > 0 {
		text("columns removed", quoteList(s.ColumnsRemoved))
	}
	figure("rows", numfmt.Group(s.Rows))
	// A run that read nothing (it failed first, or the input was empty)
	// gets no column of zeros.
	read := s.Rows != 0 || len(s.Counts) != 0 || s.Requests != 0
	if read {
		statuses, counts := s.statusCounts()
		for _, st := range statuses {
			figure("  "+string(st), numfmt.Group(counts[st]))
		}
		figure("requests", numfmt.Group(s.Requests))
		figure("retries", numfmt.Group(s.Retries))
		figure("resends", numfmt.Group(s.Resends))
		figure("splits", numfmt.Group(s.Splits))
		figure("bytes sent", humanBytes(s.Bytes))
	}
	figure("duration", s.Duration.Round(time.Millisecond).String())
	if read {
		figure("rows/s", groupFloat(s.RowsPerSecond()))
	}
	if r := s.removedText(); r != "" {
		text("removed leads", r)
	}
	if s.Stopped != StopNone {
		text("stopped early", s.Stopped.Sentence())
	}
	if s.StopDetail != "" {
		list("error", strings.Split(s.StopDetail, "\n")) // errors.Join makes several lines
	}
	text("exit code", strconv.Itoa(s.ExitCode))

	labelW, valueW := 0, 0
	for _, l := range lines {
		labelW = max(labelW, len(l.label))
		if l.figure {
			valueW = max(valueW, len(l.value))
		}
	}
	var b strings.Builder
	title := "xonvo-import summary"
	if s.DryRun {
		title += " (dry run: nothing was sent)"
	}
	b.WriteString(title + "\n")
	for _, l := range lines {
		if l.figure {
			fmt.Fprintf(&b, "  %-*s  %*s\n", labelW, l.label, valueW, l.value)
		} else {
			fmt.Fprintf(&b, "  %-*s  %s\n", labelW, l.label, l.value)
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// inputLines are the summary's inputs, one line each (inputText), for the
// text and XLSX summaries alike.
func (s *Summary) inputLines() []string {
	lines := make([]string, len(s.Inputs))
	for i, info := range s.Inputs {
		lines[i] = inputText(info)
	}
	return lines
}

// skippedLines are the inputs skipped as imported before, with why.
func (s *Summary) skippedLines() []string {
	lines := make([]string, len(s.FilesSkipped))
	for i, f := range s.FilesSkipped {
		lines[i] = f.File + ": " + f.Reason
	}
	return lines
}

// inputText is one input line: "leads.xlsx (sheet Leads, header row 3): 34 rows".
func inputText(in InputInfo) string {
	var details []string
	if in.Sheet != "" {
		details = append(details, "sheet "+in.Sheet)
	}
	if in.headerRow() != 1 {
		details = append(details, "header row "+strconv.Itoa(in.headerRow()))
	}
	t := in.File
	if len(details) > 0 {
		t += " (" + strings.Join(details, ", ") + ")"
	}
	unit := " rows"
	if in.Rows == 1 {
		unit = " row"
	}
	return t + ": " + numfmt.Group(in.Rows) + unit
}

// quoteList writes names quoted, so a name with a comma or a space at
// either end reads unambiguously.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// groupFloat writes f with one decimal and thousands separators.
func groupFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return s
	}
	return numfmt.Group(n) + "." + frac
}

// humanBytes writes a byte count in binary units: 1536 -> "1.5 KiB".
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return strconv.FormatFloat(float64(n)/float64(div), 'f', 1, 64) + " " + string("KMGTPE"[exp]) + "iB"
}
