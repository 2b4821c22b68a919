package notify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xonvo/xonvo-import/internal/numfmt"
)

// Message is what a notification says about one run: counts, outcome and
// where to look. It has no field for credentials or row data, so neither can
// reach a webhook.
type Message struct {
	// Job is the --metrics-job of the run, shown when set.
	Job string
	// Labels are the --metrics-label pairs (pipeline=...), shown when set.
	Labels map[string]string
	// ExitCode is the run's exit code; it decides the headline.
	ExitCode int
	// Duration is the run's wall-clock time.
	Duration time.Duration
	// Rows counts rows by status ("sent", "invalid", ...).
	Rows map[string]int64
	// Files are the inputs as given. A URL loses its user info and query,
	// which may hold credentials.
	Files []string
	// Report is the path of the per-row report, "" when none was written.
	Report string
	// Stopped says why the run ended early ("unreachable", "max-errors",
	// "interrupted", ...), "" when it did not.
	Stopped string
}

// payload is the JSON body: text for people (Slack and Teams show it),
// summary for programs.
type payload struct {
	Text    string     `json:"text"`
	Summary runSummary `json:"summary"`
}

// runSummary is the machine-readable part of a notification.
type runSummary struct {
	Outcome         string            `json:"outcome"`
	ExitCode        int               `json:"exit_code"`
	DurationSeconds float64           `json:"duration_seconds"`
	Rows            int64             `json:"rows"`
	Counts          map[string]int64  `json:"counts"`
	Files           []string          `json:"files"`
	Report          string            `json:"report"`
	Stopped         string            `json:"stopped"`
	Job             string            `json:"job,omitempty"`
	Labels          map[string]string `json:"labels,omitempty"`
}

// statuses lists the row statuses in the order the text lists them; each is
// present in counts, 0 included, so a program meets a stable shape.
func statuses() []string {
	return []string{"sent", "valid", "invalid", "duplicate", "rejected", "failed",
		"not_sent", "already_sent", "unchanged", "skipped"}
}

// outcome is the headline word and the machine token for an exit code.
func outcome(exitCode int) (headline, token string) {
	switch exitCode {
	case 0:
		return "OK", "ok"
	case 1:
		return "FAILED", "failed"
	case 2:
		return "USAGE ERROR", "usage"
	case 3:
		return "FINISHED WITH UNSENT ROWS", "partial"
	case 4:
		return "STOPPED: TOO MANY ERRORS", "max_errors"
	case 5:
		return "REFUSED BY A GUARD", "refused"
	case 130:
		return "INTERRUPTED", "interrupted"
	}
	return "ENDED", "unknown"
}

// Payload returns the JSON body Send posts for m.
func Payload(m Message) ([]byte, error) {
	p := build(m)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Slack's own escaping of & < > is done in the text; JSON's HTML
	// escaping on top would only make the body unreadable.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("encode notification: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// build lays out the payload for m.
func build(m Message) payload {
	headline, token := outcome(m.ExitCode)
	order, counts, total := rowCounts(m.Rows)
	files := make([]string, 0, len(m.Files))
	for _, f := range m.Files {
		files = append(files, scrubLocation(f))
	}
	report := scrubLocation(m.Report)

	subject := "xonvo-import"
	if tags := tagList(m.Job, m.Labels); tags != "" {
		subject += " [" + tags + "]"
	}
	subject += fmt.Sprintf(" %s (exit %d)", headline, m.ExitCode)

	var text strings.Builder
	fmt.Fprintf(&text, "%s after %s: %s rows", subject, formatDuration(m.Duration), numfmt.Group(total))
	sep := ": "
	for _, s := range order {
		if counts[s] != 0 {
			fmt.Fprintf(&text, "%s%s %s", sep, numfmt.Group(counts[s]), s)
			sep = ", "
		}
	}
	if len(files) > 0 {
		text.WriteString(" — input " + fileList(files))
	}
	if report != "" {
		text.WriteString(" — report " + report)
	}
	if m.Stopped != "" {
		text.WriteString(" — stopped: " + m.Stopped)
	}

	var labels map[string]string
	if len(m.Labels) > 0 {
		labels = m.Labels
	}
	return payload{
		Text: slackEscape(oneLine(text.String())),
		Summary: runSummary{
			Outcome:         token,
			ExitCode:        m.ExitCode,
			DurationSeconds: math.Round(m.Duration.Seconds()*1000) / 1000,
			Rows:            total,
			Counts:          counts,
			Files:           files,
			Report:          report,
			Stopped:         m.Stopped,
			Job:             m.Job,
			Labels:          labels,
		},
	}
}

// rowCounts returns the statuses to list (known ones, then unknown ones
// sorted), every count (known statuses at 0 included) and their total.
func rowCounts(rows map[string]int64) ([]string, map[string]int64, int64) {
	order := statuses()
	counts := make(map[string]int64, len(order)+len(rows))
	for _, s := range order {
		counts[s] = 0
	}
	var extra []string
	var total int64
	for s, n := range rows {
		if _, known := counts[s]; !known {
			extra = append(extra, s)
		}
		counts[s] = n
		total += n
	}
	sort.Strings(extra)
	return append(order, extra...), counts, total
}

// tagList is "job=J k=v ..." with labels in name order, "" when none.
func tagList(job string, labels map[string]string) string {
	var tags []string
	if job != "" {
		tags = append(tags, "job="+job)
	}
	names := make([]string, 0, len(labels))
	for n := range labels {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		tags = append(tags, n+"="+labels[n])
	}
	return strings.Join(tags, " ")
}

// fileList names up to three inputs and counts the rest, so a run over a
// glob of hundreds of files still gives a short message.
func fileList(files []string) string {
	const shown = 3
	if len(files) <= shown {
		return strings.Join(files, ", ")
	}
	return fmt.Sprintf("%s (+%d more)", strings.Join(files[:shown], ", "), len(files)-shown)
}

// scrubLocation drops user info, query and fragment from a URL (s3://,
// gs://, azblob://, https://), where access keys and SAS tokens live; a plain
// path is returned as it is.
func scrubLocation(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil {
		// Unparsable: keep only what precedes anything secret-looking.
		if i := strings.IndexAny(s, "?#@"); i >= 0 {
			return s[:i]
		}
		return s
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}

// formatDuration is "12.3s" under a minute, else whole seconds ("4m5s").
func formatDuration(d time.Duration) string {
	if d < time.Minute {
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
	}
	return d.Round(time.Second).String()
}

// slackEscape escapes the three characters Slack reads as markup, so a file
// name like "<!channel>.csv" cannot ping a channel.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// oneLine replaces control characters (a newline in a file name) by spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}
