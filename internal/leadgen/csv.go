package leadgen

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"os"
)

// WriteCSV writes a header and n generated rows to path.
func WriteCSV(path string, n int, seed uint64, accounts int) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("leadgen: %w", err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	_ = w.Write(Header())
	g := New(seed, accounts)
	for range n {
		_ = w.Write(g.Next().Cells())
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("leadgen: %w", err)
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("leadgen: %w", err)
	}
	return f.Close()
}
