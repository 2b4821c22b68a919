package importer

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/xonvo/xonvo-import/internal/leadgen"
	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/sandbox"
)

// BenchmarkDryRunCSV is the whole dry run: read, map, validate, dedupe,
// report. It reports rows/s; make bench measures the binary's peak RSS.
func BenchmarkDryRunCSV(b *testing.B) {
	const n = 100_000
	dir, input, cfg := benchInput(b, n)
	b.ResetTimer()
	for range b.N {
		sum, err := Run(context.Background(), Options{Files: []string{input}, Mapping: cfg, Action: BulkLeads{},
			DryRun: true, ReportPath: filepath.Join(dir, "report.csv")})
		if err != nil || sum.Counts[reports.StatusValid] != n {
			b.Fatalf("%v %v", err, sum.Counts)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkImportSandbox sends generated rows into an in-process sandbox
// with no rate limit: the sending path end to end.
func BenchmarkImportSandbox(b *testing.B) {
	const n = 50_000
	dir, input, cfg := benchInput(b, n)
	b.ResetTimer()
	for range b.N {
		srv, err := sandbox.NewServer(sandbox.Options{Accounts: []string{"18", "19", "20", "21", "22", "23", "24", "25"}})
		if err != nil {
			b.Fatal(err)
		}
		c, err := srv.Client()
		if err != nil {
			b.Fatal(err)
		}
		sum, err := Run(context.Background(), Options{Files: []string{input}, Mapping: cfg, Action: BulkLeads{Client: c},
			ReportPath: filepath.Join(dir, "report.csv")})
		_ = srv.Close()
		if err != nil || sum.Counts[reports.StatusSent] != n {
			b.Fatalf("%v %v", err, sum.Counts)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// benchInput writes n generated leads into a temp dir and loads the mapping.
func benchInput(b *testing.B, n int) (string, string, *mapping.Config) {
	b.Helper()
	dir := b.TempDir()
	input := filepath.Join(dir, "leads.csv")
	if err := leadgen.WriteCSV(input, n, 42, 8); err != nil {
		b.Fatal(err)
	}
	return dir, input, benchMapping(b)
}
