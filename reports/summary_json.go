package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// summaryJSON fixes the JSON shape and key order of a Summary; docs/report.md
// documents every key.
type summaryJSON struct {
	ExitCode        int           `json:"exit_code"`
	Stopped         StopReason    `json:"stopped"`
	StopDetail      string        `json:"stop_detail"`
	DryRun          bool          `json:"dry_run"`
	Files           []string      `json:"files"`
	Inputs          []inputJSON   `json:"inputs"`
	FilesSkipped    []skippedJSON `json:"files_skipped"`
	ColumnsAdded    []string      `json:"columns_added"`
	ColumnsRemoved  []string      `json:"columns_removed"`
	Rows            int64         `json:"rows"`
	Counts          orderedCounts `json:"counts"`
	Requests        int64         `json:"requests"`
	Retries         int64         `json:"retries"`
	Resends         int64         `json:"resends"`
	Splits          int64         `json:"splits"`
	Bytes           int64         `json:"bytes"`
	DurationSeconds float64       `json:"duration_seconds"`
	RowsPerSecond   float64       `json:"rows_per_second"`
	Removed         int64         `json:"removed"`
	RemovedList     string        `json:"removed_list"`
	RemovedAction   RemovedAction `json:"removed_action"`
	RemovedActed    int64         `json:"removed_acted"`
}

type inputJSON struct {
	File      string `json:"file"`
	Sheet     string `json:"sheet"`
	HeaderRow int    `json:"header_row"`
	Rows      int64  `json:"rows"`
}

type skippedJSON struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// orderedCounts encodes the per-status counts in Statuses order (then any
// unknown status, sorted), not in Go's alphabetical map order.
type orderedCounts struct {
	order  []Status
	counts map[Status]int64
}

func (c orderedCounts) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, st := range c.order {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, string(st))
		b = append(b, ':')
		b = strconv.AppendInt(b, c.counts[st], 10)
	}
	return append(b, '}'), nil
}

// MarshalJSON encodes the summary with snake_case keys in this order:
// exit_code, stopped ("" when not stopped early), stop_detail, dry_run,
// files, inputs ([{file, sheet, header_row, rows}]), files_skipped
// ([{file, reason}]), columns_added, columns_removed, rows, counts (every
// status, zeros included, in Statuses order), requests, retries, resends,
// splits, bytes, duration_seconds, rows_per_second, removed, removed_list,
// removed_action, removed_acted. Every key is always present; arrays are
// never null.
func (s Summary) MarshalJSON() ([]byte, error) {
	statuses, counts := s.statusCounts()
	j := summaryJSON{
		ExitCode:        s.ExitCode,
		Stopped:         s.Stopped,
		StopDetail:      s.StopDetail,
		DryRun:          s.DryRun,
		Files:           nonNil(s.Files),
		Inputs:          make([]inputJSON, len(s.Inputs)),
		FilesSkipped:    make([]skippedJSON, len(s.FilesSkipped)),
		ColumnsAdded:    nonNil(s.ColumnsAdded),
		ColumnsRemoved:  nonNil(s.ColumnsRemoved),
		Rows:            s.Rows,
		Counts:          orderedCounts{order: statuses, counts: counts},
		Requests:        s.Requests,
		Retries:         s.Retries,
		Resends:         s.Resends,
		Splits:          s.Splits,
		Bytes:           s.Bytes,
		DurationSeconds: round3(s.Duration.Seconds()),
		RowsPerSecond:   round3(s.RowsPerSecond()),
		Removed:         s.Removed,
		RemovedList:     s.RemovedList,
		RemovedAction:   s.RemovedAction,
		RemovedActed:    s.RemovedActed,
	}
	for i, in := range s.Inputs {
		j.Inputs[i] = inputJSON{File: in.File, Sheet: in.Sheet, HeaderRow: in.headerRow(), Rows: in.Rows}
	}
	for i, f := range s.FilesSkipped {
		j.FilesSkipped[i] = skippedJSON(f)
	}
	return json.Marshal(j)
}

// WriteJSONFile writes the summary as indented JSON (see MarshalJSON) to
// path, atomically and with mode 0600, creating a missing directory.
func (s Summary) WriteJSONFile(path string) error {
	data, err := s.MarshalJSON()
	if err != nil {
		return fmt.Errorf("summary %s: %w", path, err)
	}
	var b bytes.Buffer
	if err := json.Indent(&b, data, "", "  "); err != nil {
		return fmt.Errorf("summary %s: %w", path, err)
	}
	b.WriteByte('\n')
	return WriteFileAtomic(path, b.Bytes(), reportPerm)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// round3 keeps three decimals: milliseconds, and rates without float noise.
func round3(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 3, 64), 64)
	return v
}
