package metrics

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/xonvo/xonvo-import/reports"
)

// FilePerm is the mode of the metrics file.
const FilePerm os.FileMode = 0o600

// maxPreviousFile bounds how much of an existing metrics file is read back
// for its last-success timestamp; a real one is under 4 KiB.
const maxPreviousFile = 1 << 20

// WriteFile writes r's metrics to path in the Prometheus text format, for
// node_exporter's textfile collector (name the file *.prom in the collector's
// directory). Every metric carries r.Labels; there is no job label, since the
// scrape sets it.
//
// The file is replaced atomically: a temporary file in the same directory,
// created exclusively (O_EXCL) with mode 0600 and named so the collector
// ignores it, is written, synced and renamed over path. A symlink planted at
// path is replaced, never written through. On error path is left as it was.
//
// A failed run keeps the last-success timestamp of the file it replaces (when
// that file has one with the same labels), so the file, like the Pushgateway,
// always tells when the last successful run ended.
func WriteFile(path string, r Run) error {
	if path == "" {
		return errors.New("metrics file: the path is empty")
	}
	if err := r.validate(); err != nil {
		return fmt.Errorf("metrics file %s: %w", path, err)
	}
	lastSuccess := &r.Timestamp
	if !r.Success {
		lastSuccess = previousSuccess(path, r.Labels)
	}
	mfs, err := gather(r, r.Labels, lastSuccess)
	if err != nil {
		return fmt.Errorf("metrics file %s: %w", path, err)
	}
	var buf bytes.Buffer
	for _, mf := range mfs {
		if _, err := expfmt.MetricFamilyToText(&buf, mf); err != nil {
			return fmt.Errorf("metrics file %s: encode %s: %w", path, mf.GetName(), err)
		}
	}
	// A temporary file beside path (O_EXCL|O_NOFOLLOW, 0600, a name that
	// does not end in .prom, so the collector skips it), fsynced and renamed
	// onto path: the collector never reads half a file, and a link planted
	// at path is replaced, never written through.
	if err := reports.WriteFileAtomic(path, buf.Bytes(), FilePerm); err != nil {
		return fmt.Errorf("metrics file %s: %w", path, err)
	}
	return nil
}

// previousSuccess reads the last-success timestamp with exactly these labels
// from the metrics file at path. Any problem (no file, a symlink or other
// non-regular file, a file that does not parse) means there is none: the
// file is ours to overwrite, not something to fail the run over.
func previousSuccess(path string, labels map[string]string) *time.Time {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	// The name may have been swapped between Lstat and Open: read only the
	// regular file that Lstat saw.
	if opened, err := f.Stat(); err != nil || !os.SameFile(fi, opened) {
		return nil
	}
	parser := expfmt.NewTextParser(model.LegacyValidation)
	mfs, err := parser.TextToMetricFamilies(io.LimitReader(f, maxPreviousFile))
	if err != nil {
		return nil
	}
	mf := mfs[NameLastSuccess]
	for _, m := range mf.GetMetric() {
		v := m.GetGauge().GetValue()
		if m.GetGauge() == nil || !sameLabels(m.GetLabel(), labels) || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
			continue
		}
		t := time.UnixMilli(int64(math.Round(v * 1000))).UTC()
		return &t
	}
	return nil
}

// sameLabels reports whether pairs are exactly the labels in want.
func sameLabels(pairs []*dto.LabelPair, want map[string]string) bool {
	if len(pairs) != len(want) {
		return false
	}
	for _, p := range pairs {
		if v, ok := want[p.GetName()]; !ok || v != p.GetValue() {
			return false
		}
	}
	return true
}
