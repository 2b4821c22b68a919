package xlsxtest

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/flate"
)

// Stream is a part's content written piece by piece: Head, then Body
// repeated up to N bytes (whole bodies only, so the part stays well-formed),
// then Tail. A hostile part inflating to ~1 GB stays a few MB on disk.
type Stream struct {
	Head, Body, Tail string
	N                int
}

// WriteTo writes the stream to w.
func (s Stream) WriteTo(w io.Writer) (int64, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	var n int64
	put := func(p string) {
		k, _ := bw.WriteString(p)
		n += int64(k)
	}
	put(s.Head)
	chunk := strings.Repeat(s.Body, max(1, (64<<10)/len(s.Body)))
	for left := s.N - s.N%len(s.Body); left > 0; left -= len(chunk) {
		put(chunk[:min(len(chunk), left)])
	}
	put(s.Tail)
	return n, bw.Flush()
}

// WriteStreamed writes b to path with its part named part replaced by s.
func WriteStreamed(path string, b Book, part string, s Stream) error {
	base := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".base.xlsx")
	if err := Write(base, b); err != nil {
		return err
	}
	defer os.Remove(base)
	zr, err := zip.OpenReader(base)
	if err != nil {
		return fmt.Errorf("xlsxtest: %w", err)
	}
	defer zr.Close()
	out, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("xlsxtest: %w", err)
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, f := range zr.File {
		if f.Name != part {
			if err := zw.Copy(f); err != nil {
				return fmt.Errorf("xlsxtest: %w", err)
			}
		}
	}
	w, err := zw.Create(part)
	if err != nil {
		return fmt.Errorf("xlsxtest: %w", err)
	}
	if _, err := s.WriteTo(w); err != nil {
		return fmt.Errorf("xlsxtest: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("xlsxtest: %w", err)
	}
	return out.Close()
}
