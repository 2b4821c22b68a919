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
	// ceiling is the row of what this machine allows such a run at most
	// (see ceiling.go); "" for none.
	ceiling string
}

// csvCeilingRow names the CSV ceiling's rows (rowName adds the size).
const csvCeilingRow = "CSV ceiling: encoding/csv copy"

// issueGoals are the targets of issue 13 (points 4 and 5), all at 1M rows.
var issueGoals = []goal{
	{row: "CSV dry run, 1M rows", minRate: 800_000, maxRSS: 100, ceiling: csvCeilingRow + ", 1M rows"},
	{row: "Import into loopback sandbox, 1M rows", minRate: 150_000},
	{row: "XLSX dry run, 1M rows", minRate: 150_000, maxRSS: 150},
}

// verdict compares r with the goal: "yes", or what falls short. ceiling
// is the ceiling row's result, nil when there is none; a goal above it is
// said to be.
func (g goal) verdict(r result, ceiling *result) string {
	var short []string
	if rate := median(r.rates()); rate < g.minRate {
		short = append(short, fmt.Sprintf("rows/s at %.0f %% of the goal", 100*rate/g.minRate))
		// Only a shortfall is explained by the ceiling: a run that met its
		// goal met it, whatever the ceiling's runs made of the machine.
		if ceiling != nil {
			if c := median(ceiling.rates()); g.minRate > c {
				short = append(short, fmt.Sprintf("the goal is %.0f %% of the ceiling", 100*g.minRate/c))
			}
		}
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
	find := func(name string) *result {
		for i := range results {
			if name != "" && results[i].name == name {
				return &results[i]
			}
		}
		return nil
	}
	var lines []string
	anyCeiling := false
	for _, g := range goals {
		r := find(g.row)
		if r == nil {
			continue
		}
		ceiling := find(g.ceiling)
		anyCeiling = anyCeiling || ceiling != nil
		shown := "–"
		if ceiling != nil {
			shown = fmt.Sprintf("%.0f", median(ceiling.rates()))
		}
		lines = append(lines, fmt.Sprintf("| %s | %s | %.0f | %.1f | %s | %s |\n", g.row, g.bound(),
			median(r.rates()), r.maxRSS(), shown, g.verdict(*r, ceiling)))
	}
	if len(lines) == 0 {
		return
	}
	w.WriteString("\n### Against the goals of issue 13\n\n")
	w.WriteString("| run | goal | rows/s, median | peak RSS MB, max | ceiling rows/s, median | met |\n|---|---|---:|---:|---:|---|\n")
	for _, l := range lines {
		w.WriteString(l)
	}
	if anyCeiling {
		w.WriteString("\nThe ceiling is the most a run of its kind can reach on this machine while it parses on one goroutine,\n")
		w.WriteString("as the importer does: for CSV, the input parsed by encoding/csv and every cell written back and synced\n")
		w.WriteString("on a second goroutine, with nothing mapped, validated, deduplicated or quoted (the `" + csvCeilingRow + "`\n")
		w.WriteString("rows, internal/benchrun/ceiling.go).\n")
	}
}
