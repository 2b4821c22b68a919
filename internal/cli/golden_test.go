package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/golden"
)

// TestValidateGoldenReports pins what a person sees for the sample file with
// a few of each kind of mistake: one row per input row, the reasons in
// words, warnings on rows that stay valid, original columns appended.
func TestValidateGoldenReports(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		golden string
		extra  []string
	}{
		{name: "csv report", input: "testdata/leads-with-errors.csv", golden: "validate-errors.csv"},
		{name: "jsonl report", input: "testdata/leads-with-errors.csv", golden: "validate-errors.jsonl"},
		{name: "payloads", input: "testdata/leads.csv", golden: "payloads.jsonl", extra: []string{"--batch-size", "15"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, tc.golden)
			args := []string{"validate", tc.input, "--mapping", "testdata/mapping.yaml", "--quiet"}
			if tc.golden == "payloads.jsonl" {
				args = append(args, "--report", filepath.Join(dir, "r.csv"), "--payloads", out)
			} else {
				args = append(args, "--report", out)
			}
			runCLI(t, nil, append(args, tc.extra...)...)
			got, err := os.ReadFile(out)
			require.NoError(t, err)
			golden.Assert(t, tc.golden, got)
		})
	}
}
