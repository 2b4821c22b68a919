package importer

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/xonvo/xonvo-import/mapping"
)

// FuzzReadAndMap feeds arbitrary bytes through reading, mapping and the
// report as a dry run. Whatever the input, nothing panics, and when the run
// reads the file, every row read is in the report exactly once.
func FuzzReadAndMap(f *testing.F) {
	for _, seed := range []string{
		"Account ID,External ID,First Name,Last Name,Phone,Lead Date,Zip\n18,E1,Ann,Lee,+1 206 555 0100,06-23-2021 22:55:23,02134\n",
		"Account ID;First Name;Last Name;Phone;Lead Date\n18;\"multi\nline\";Lee;2065550100;6/23/2021 22:55\n",
		"Account ID\tFirst Name\n18\t\"unclosed\n",
		"\xef\xbb\xbfAccount ID,First Name,Last Name,Phone,Lead Date\r\n18,Jos\xe9,M\xfcller,x,y\r\n\r\n,,,,\r\n",
		"Account ID|Phone\r18|+1333-111-8888\r19|\r",
	} {
		f.Add([]byte(seed))
	}
	cfg, err := mapping.Parse([]byte(`version: 1
account: {column: Account ID}
fields:
  firstName: First Name
  lastName: Last Name
  phone: Phone
  timestamp: {column: Lead Date, formats: ["MM-dd-yyyy HH:mm:ss", "M/d/yyyy H:mm", "excel", "iso8601"]}
`), "fuzz.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		input := filepath.Join(dir, "in.csv")
		if err := os.WriteFile(input, data, 0o600); err != nil {
			t.Fatal(err)
		}
		report := filepath.Join(dir, "report.jsonl")
		progress := &Progress{}
		sum, err := Run(context.Background(), Options{Files: []string{input}, Mapping: cfg, Action: BulkLeads{},
			DryRun: true, ReportPath: report, Progress: progress})
		if err != nil {
			return // unreadable input or a header the mapping does not fit: a clear error, no rows
		}
		if sum.Rows != progress.Read.Load() {
			t.Fatalf("summary says %d rows, %d were read", sum.Rows, progress.Read.Load())
		}
		fh, err := os.Open(report)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<26)
		var lines int64
		for sc.Scan() {
			lines++
		}
		if lines != sum.Rows {
			t.Fatalf("%d rows read, %d in the report", sum.Rows, lines)
		}
	})
}
