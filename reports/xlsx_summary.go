package reports

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// writeSummary fills the Summary sheet: a label in column A (bold), a value
// in B. Figures are numbers so they can be summed; texts are string cells,
// cut to what a cell holds. The exit code is not known yet when the report
// is finished, so it is not there.
func (w *xlsxWriter) writeSummary(s Summary) error {
	if _, err := w.f.NewSheet(SheetSummary); err != nil {
		return fmt.Errorf("xlsx report %s: add summary: %w", w.af.target, err)
	}
	var rows [][]any // nil leaves a blank line
	add := func(label string, v any) { rows = append(rows, []any{label, v}) }
	list := func(label string, values []string) {
		for i, v := range values {
			if i > 0 {
				label = ""
			}
			add(label, v)
		}
	}

	add("Generated at", w.now().UTC().Format(time.RFC3339))
	add("Dry run", yesNo(s.DryRun))
	stopped := "no"
	if s.Stopped != StopNone {
		stopped = s.Stopped.Sentence()
	}
	add("Stopped early", stopped)
	if s.StopDetail != "" {
		add("Error", s.StopDetail)
	}
	if len(s.Inputs) > 0 {
		list("Inputs", s.inputLines())
	} else {
		list("Files", s.Files)
	}
	list("Skipped files", s.skippedLines())
	if len(s.ColumnsAdded) > 0 {
		add("Columns added", quoteList(s.ColumnsAdded))
	}
	if len(s.ColumnsRemoved) > 0 {
		add("Columns removed", quoteList(s.ColumnsRemoved))
	}
	rows = append(rows, nil, []any{"Status", "Rows"})
	statuses, counts := s.statusCounts()
	for _, st := range statuses {
		add(string(st), counts[st])
	}
	add("Total", s.Rows)
	rows = append(rows, nil)
	add("Requests", s.Requests)
	add("Retries", s.Retries)
	add("Resends", s.Resends)
	add("Splits", s.Splits)
	add("Bytes sent", s.Bytes)
	add("Duration (s)", round3(s.Duration.Seconds()))
	add("Rows per second", round3(s.RowsPerSecond()))
	if r := s.removedText(); r != "" {
		add("Removed leads", r)
	}

	var errs []error
	for i, row := range rows {
		if row == nil {
			continue
		}
		if v, ok := row[1].(string); ok {
			row[1], _ = cutCell(v)
		}
		cell := "A" + strconv.Itoa(i+1)
		errs = append(errs, w.f.SetSheetRow(SheetSummary, cell, &row), w.f.SetCellStyle(SheetSummary, cell, cell, w.bold))
	}
	errs = append(errs, w.f.SetColWidth(SheetSummary, "A", "A", 18), w.f.SetColWidth(SheetSummary, "B", "B", 40))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("xlsx report %s: summary sheet: %w", w.af.target, err)
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
