package reports

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// benchRow is a typical 20-column report row: 9 fixed and 11 input columns.
func benchRow(i int) RowResult {
	return RowResult{
		File: "leads-2025-03.csv", Row: i + 2, Status: StatusSent, Message: "",
		AccountID: "18", ExternalID: "EXT-" + strconv.Itoa(i), Phone: "+13335550101",
		HTTPStatus: 201, Attempts: 1,
		Original: []string{"Ann", "Smith", "(333) 555-0101", "ann@example.com", "MA", "Boston", "02134",
			"03-04-2025 05:06:07", "203.0.113.7", "jornaya-0123456789", "https://example.com/cart?id=42"},
	}
}

var benchHeaders = []string{"First Name", "Last Name", "Phone", "Email", "State", "City", "Zip",
	"Lead Date", "IP", "Jornaya", "Cart URL"}

func benchmarkWrite(b *testing.B, ext string) {
	// Rows are built once: the benchmark measures the writer, not the fixture.
	rows := make([]RowResult, 1024)
	for i := range rows {
		rows[i] = benchRow(i)
	}
	dir := b.TempDir()
	w, err := Create(filepath.Join(dir, "bench"+ext), benchHeaders)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := w.Write(rows[i%len(rows)]); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Finish(Summary{}); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkWriteCSV(b *testing.B)   { benchmarkWrite(b, ".csv") }
func BenchmarkWriteJSONL(b *testing.B) { benchmarkWrite(b, ".jsonl") }
func BenchmarkWriteXLSX(b *testing.B)  { benchmarkWrite(b, ".xlsx") }

func BenchmarkWriteRemoved(b *testing.B) {
	sent := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	w, err := CreateRemoved(filepath.Join(b.TempDir(), "r.removed.csv"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		l := RemovedLead{AccountID: "18", ExternalID: "EXT-" + strconv.Itoa(i), Phone: "+13335550101", LastSent: sent}
		if err := w.Write(l); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Finish(); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
