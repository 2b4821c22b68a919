package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestGoalVerdict(t *testing.T) {
	runs := func(rss float64, secs ...float64) []sample {
		var out []sample
		for _, s := range secs {
			out = append(out, sample{dur: time.Duration(s * float64(time.Second)), rssMB: rss})
		}
		return out
	}
	tests := []struct {
		name    string
		g       goal
		r       result
		ceiling *result
		want    string
	}{
		{name: "met", g: goal{minRate: 800_000, maxRSS: 100},
			r: result{rows: 1_000_000, samples: runs(90, 1.2, 1.1, 1.25)}, want: "yes"},
		{name: "the median decides, not the best run", g: goal{minRate: 800_000},
			r: result{rows: 1_000_000, samples: runs(90, 1.0, 2.5, 2.0)}, want: "no: rows/s at 62 % of the goal"},
		{name: "too slow and too big", g: goal{minRate: 150_000, maxRSS: 150},
			r:    result{rows: 1_000_000, samples: runs(160, 10, 10, 10)},
			want: "no: rows/s at 67 % of the goal, RSS 160.0 MB over 150 MB"},
		{name: "a sandbox short of rows fails the goal", g: goal{minRate: 100},
			r: result{rows: 1000, samples: runs(50, 1), failed: true}, want: "no: a run's sandbox did not hold every row"},
		{name: "a goal above the ceiling says so", g: goal{minRate: 800_000},
			r: result{rows: 1_000_000, samples: runs(90, 2.5)}, ceiling: &result{rows: 1_000_000, samples: runs(10, 1.6, 1.5, 1.7)},
			want: "no: rows/s at 50 % of the goal, the goal is 128 % of the ceiling"},
		{name: "a goal met above the ceiling is met", g: goal{minRate: 800_000},
			r: result{rows: 1_000_000, samples: runs(90, 1.2)}, ceiling: &result{rows: 1_000_000, samples: runs(10, 1.6)},
			want: "yes"},
		{name: "a goal under the ceiling is judged alone", g: goal{minRate: 500_000},
			r: result{rows: 1_000_000, samples: runs(90, 1.9)}, ceiling: &result{rows: 1_000_000, samples: runs(10, 1.5)},
			want: "yes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.g.verdict(tt.r, tt.ceiling))
		})
	}
}

func TestRenderGoalsOnlyMeasuredRows(t *testing.T) {
	var w strings.Builder
	renderGoals(&w, []result{{name: "CSV dry run, 1M rows", rows: 1_000_000,
		samples: []sample{{dur: 2 * time.Second, rssMB: 90}}}}, issueGoals)
	out := w.String()
	assert.Contains(t, out, "| CSV dry run, 1M rows | ≥ 800000 rows/s, ≤ 100 MB | 500000 | 90.0 | – | no: rows/s at 62 % of the goal |")
	assert.NotContains(t, out, "XLSX", "a row that was not measured has no line")
	assert.NotContains(t, out, "The ceiling is", "no ceiling row, no word of it")

	w.Reset()
	renderGoals(&w, []result{
		{name: "CSV dry run, 1M rows", rows: 1_000_000, samples: []sample{{dur: 2 * time.Second, rssMB: 90}}},
		{name: csvCeilingRow + ", 1M rows", rows: 1_000_000, samples: []sample{{dur: 1250 * time.Millisecond, rssMB: 9}}},
	}, issueGoals)
	out = w.String()
	assert.Contains(t, out, "| CSV dry run, 1M rows | ≥ 800000 rows/s, ≤ 100 MB | 500000 | 90.0 | 800000 | no: rows/s at 62 % of the goal |",
		"a goal equal to the ceiling is not above it")
	assert.Contains(t, out, "The ceiling is the most")

	w.Reset()
	renderGoals(&w, nil, issueGoals)
	assert.Empty(t, w.String(), "a quick run without 1M rows prints no goals table")
}
