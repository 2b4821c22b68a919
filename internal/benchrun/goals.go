package main

import (
	"fmt"
	"strings"
)

// goal is a throughput target of issue 13 for one row of the run table: a
// median rows/s to reach and, where the issue sets one, a peak RSS not to
// pass. The table prints each against its measured row, so the verdict is
// part of every `make bench` and not a figure copied into a note by hand.
type goal struct {
	row     string  // the run table's row name; the first row of that name
	minRate float64 // median rows/s
	maxRSS  float64 // MB; 0 for no bound
}

// issueGoals are the targets of issue 13 (points 4 and 5), all at 1M rows.
var issueGoals = []goal{
	{row: "CSV dry run, 1M rows", minRate: 800_000, maxRSS: 100},
	{row: "Import into loopback sandbox, 1M rows", minRate: 150_000},
	{row: "XLSX dry run, 1M rows", minRate: 150_000, maxRSS: 150},
}

// verdict compares r with the goal: "yes", or what falls short.
func (g goal) verdict(r result) string {
	var short []string
	if rate := median(r.rates()); rate < g.minRate {
		short = append(short, fmt.Sprintf("rows/s at %.0f %% of the goal", 100*rate/g.minRate))
	}
	if g.maxRSS > 0 && r.maxRSS() > g.maxRSS {
		short = append(short, fmt.Sprintf("RSS %.1f MB over %.0f MB", r.maxRSS(), g.maxRSS))
	}
	if r.failed {
		short = append(short, "a run's sandbox did not hold every row")
	}
	if len(short) == 0 {
		return "yes"
	}
	return "no: " + strings.Join(short, ", ")
}

func (g goal) bound() string {
	if g.maxRSS == 0 {
		return fmt.Sprintf("≥ %.0f rows/s", g.minRate)
	}
	return fmt.Sprintf("≥ %.0f rows/s, ≤ %.0f MB", g.minRate, g.maxRSS)
}

// renderGoals writes the goals table for the goals whose row was measured.
func renderGoals(w *strings.Builder, results []result, goals []goal) {
	var lines []string
	for _, g := range goals {
		for _, r := range results {
			if r.name != g.row {
				continue
			}
			lines = append(lines, fmt.Sprintf("| %s | %s | %.0f | %.1f | %s |\n", g.row, g.bound(),
				median(r.rates()), r.maxRSS(), g.verdict(r)))
			break
		}
	}
	if len(lines) == 0 {
		return
	}
	w.WriteString("\n### Against the goals of issue 13\n\n")
	w.WriteString("| run | goal | rows/s, median | peak RSS MB, max | met |\n|---|---|---:|---:|---|\n")
	for _, l := range lines {
		w.WriteString(l)
	}
}
