package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Summary is the account of one run.
type Summary struct {
	Files    []string
	DryRun   bool
	Counts   map[Status]int64
	Rows     int64
	Requests int64
	Retries  int64
	Resends  int64 // requests sent again after no response came (may have been applied)
	Splits   int64
	Bytes    int64 // request body bytes sent
	Duration time.Duration
	Stopped  StopReason // why the run ended early, StopNone if it did not
}

// RowsPerSecond is Rows over Duration, 0 when no time was measured.
func (s Summary) RowsPerSecond() float64 {
	if s.Duration <= 0 {
		return 0
	}
	return float64(s.Rows) / s.Duration.Seconds()
}

// statusCounts returns every known status (zero counts too, so the output has
// a stable shape) followed by any unknown status found in Counts, sorted.
func (s Summary) statusCounts() ([]Status, map[Status]int64) {
	order := Statuses()
	var extra []Status
	for st := range s.Counts {
		if !st.Known() {
			extra = append(extra, st)
		}
	}
	sort.Slice(extra, func(i, j int) bool { return extra[i] < extra[j] })
	return append(order, extra...), s.Counts
}

// WriteText writes the human summary printed at the end of a run: one
// "label  value" line per figure, values right-aligned, every status listed.
func (s Summary) WriteText(w io.Writer) error {
	type line struct{ label, value string }
	var lines []line
	add := func(label, value string) { lines = append(lines, line{label, value}) }

	add("rows", groupDigits(s.Rows))
	statuses, counts := s.statusCounts()
	for _, st := range statuses {
		add("  "+string(st), groupDigits(counts[st]))
	}
	add("requests", groupDigits(s.Requests))
	add("retries", groupDigits(s.Retries))
	add("resends", groupDigits(s.Resends))
	add("splits", groupDigits(s.Splits))
	add("bytes sent", humanBytes(s.Bytes))
	add("duration", s.Duration.Round(time.Millisecond).String())
	add("rows/s", groupFloat(s.RowsPerSecond()))

	labelW, valueW := 0, 0
	for _, l := range lines {
		labelW = max(labelW, len(l.label))
		valueW = max(valueW, len(l.value))
	}
	var b strings.Builder
	title := "xonvo-import summary"
	if s.DryRun {
		title += " (dry run: nothing was sent)"
	}
	b.WriteString(title + "\n")
	for i, f := range s.Files {
		label := "files"
		if i > 0 {
			label = ""
		}
		fmt.Fprintf(&b, "  %-*s  %s\n", labelW, label, f)
	}
	for _, l := range lines {
		fmt.Fprintf(&b, "  %-*s  %*s\n", labelW, l.label, valueW, l.value)
	}
	if s.Stopped != "" {
		fmt.Fprintf(&b, "  %-*s  %s\n", labelW, "stopped early", s.Stopped.Sentence())
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// summaryJSON fixes the JSON shape and key order of a Summary.
type summaryJSON struct {
	Counts          map[string]int64 `json:"counts"`
	Rows            int64            `json:"rows"`
	Requests        int64            `json:"requests"`
	Retries         int64            `json:"retries"`
	Resends         int64            `json:"resends"`
	Splits          int64            `json:"splits"`
	Bytes           int64            `json:"bytes"`
	DurationSeconds float64          `json:"duration_seconds"`
	RowsPerSecond   float64          `json:"rows_per_second"`
	DryRun          bool             `json:"dry_run"`
	Files           []string         `json:"files"`
	Stopped         StopReason       `json:"stopped"`
}

// MarshalJSON encodes the summary with snake_case keys: counts (every status,
// zeros included), rows, requests, retries, resends, splits, bytes,
// duration_seconds, rows_per_second, dry_run, files (never null) and stopped
// ("" when the run was not stopped early).
func (s Summary) MarshalJSON() ([]byte, error) {
	statuses, counts := s.statusCounts()
	j := summaryJSON{
		Counts:          make(map[string]int64, len(statuses)),
		Rows:            s.Rows,
		Requests:        s.Requests,
		Retries:         s.Retries,
		Resends:         s.Resends,
		Splits:          s.Splits,
		Bytes:           s.Bytes,
		DurationSeconds: round3(s.Duration.Seconds()),
		RowsPerSecond:   round3(s.RowsPerSecond()),
		DryRun:          s.DryRun,
		Files:           s.Files,
		Stopped:         s.Stopped,
	}
	for _, st := range statuses {
		j.Counts[string(st)] = counts[st]
	}
	if j.Files == nil {
		j.Files = []string{}
	}
	return json.Marshal(j)
}

// round3 keeps three decimals: milliseconds, and rates without float noise.
func round3(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 3, 64), 64)
	return v
}

// groupDigits writes n with thousands separators: 1234567 -> "1,234,567".
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// groupFloat writes f with one decimal and thousands separators.
func groupFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return s
	}
	return groupDigits(n) + "." + frac
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
