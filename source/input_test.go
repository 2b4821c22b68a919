package source

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

const leadsCSV = "Name,Phone\nAnn,5551234\n\nBob,5555678\n"

func wantLeads() []Record { return []Record{rec(2, "Ann", "5551234"), rec(4, "Bob", "5555678")} }

func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, err := w.Write(b)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

func zstded(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := zstd.NewWriter(&buf)
	require.NoError(t, err)
	_, err = w.Write(b)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// xlsxBytes is leadsCSV as a workbook made with excelize.
func xlsxBytes(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for cell, v := range map[string]any{"A1": "Name", "B1": "Phone", "A2": "Ann", "B2": "5551234", "A4": "Bob", "B4": "5555678"} {
		require.NoError(t, f.SetCellValue("Sheet1", cell, v))
	}
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	return buf.Bytes()
}

// openAll resolves args and reads every input, returning the records by input name.
func openAll(t *testing.T, args []string, o Options) ([]*Input, map[string][]Record) {
	t.Helper()
	ctx := context.Background()
	ins, err := Resolve(ctx, args, o)
	require.NoError(t, err)
	t.Cleanup(func() { _ = CloseAll(ins) })
	got := map[string][]Record{}
	for _, in := range ins {
		src, err := in.Open(ctx, o)
		require.NoError(t, err, in.Name())
		recs, err := drain(t, src)
		require.NoError(t, err, in.Name())
		require.NoError(t, src.Close())
		got[in.Name()] = recs
	}
	return ins, got
}

func TestCompressedInputs(t *testing.T) {
	plain := []byte(leadsCSV)
	tests := []struct {
		name    string
		file    string
		content []byte
	}{
		{name: "gzip by extension", file: "leads.csv.gz", content: gzipped(t, plain)},
		{name: "gzip by magic, named .csv", file: "leads.csv", content: gzipped(t, plain)},
		{name: "gzip, no extension", file: "leads", content: gzipped(t, plain)},
		{name: "zstd by extension", file: "leads.csv.zst", content: zstded(t, plain)},
		{name: "zstd by magic, named .csv", file: "leads.csv", content: zstded(t, plain)},
		{name: "named .gz but already inflated (a browser did it)", file: "leads.csv.gz", content: plain},
		{name: "concatenated gzip members", file: "leads.csv.gz", content: append(gzipped(t, []byte("Name,Phone\nAnn,5551234\n\n")), gzipped(t, []byte("Bob,5555678\n"))...)},
		{name: "tsv inside gzip keeps preferring tabs", file: "leads.tsv.gz", content: gzipped(t, []byte("Name\tPhone\nAnn\t5551234\n\nBob\t5555678\n"))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, tc.file, tc.content)
			src, recs, err := readAll(t, path, Options{})
			require.NoError(t, err)
			assert.Equal(t, wantLeads(), recs)
			assert.Equal(t, path, src.Name())
			done, total := src.Progress()
			assert.Equal(t, int64(len(tc.content)), total, "progress counts stored bytes")
			assert.Equal(t, total, done)
		})
	}
}

func TestCompressedEncodingDetection(t *testing.T) {
	// Detection reads the inflated bytes, not the compressed ones.
	path := writeFile(t, "a.csv.gz", gzipped(t, []byte("Name\nJos\xE9 M\xFCller\n")))
	src, recs, err := readAll(t, path, Options{})
	require.NoError(t, err)
	assert.Equal(t, []Record{rec(2, "José Müller")}, recs)
	assert.Contains(t, strings.Join(src.Warnings(), ""), "read as Windows-1252")
}

func TestTruncatedGzip(t *testing.T) {
	var b strings.Builder
	b.WriteString("Name,Phone\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "Lead %d,555%07d\n", i, i)
	}
	gz := gzipped(t, []byte(b.String()))
	path := writeFile(t, "cut.csv.gz", gz[:len(gz)/2])
	for _, tc := range []struct {
		encoding string
		rows     bool
	}{
		{encoding: "auto", rows: false}, // the encoding scan reads to the end first: it fails before any row
		{encoding: "utf-8", rows: true},
	} {
		t.Run(tc.encoding, func(t *testing.T) {
			_, recs, err := readAll(t, path, Options{Encoding: tc.encoding})
			require.Error(t, err)
			assert.Equal(t, tc.rows, len(recs) > 0, "rows before the cut: %d", len(recs))
			assert.Contains(t, err.Error(), "the gzip data is damaged or cut short")
			var re *ReadError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, path, re.File)
		})
	}
}

func TestCompressedXLSX(t *testing.T) {
	book := xlsxBytes(t)
	for _, tc := range []struct {
		name, file string
		content    []byte
	}{
		{name: "xlsx.gz", file: "leads.xlsx.gz", content: gzipped(t, book)},
		{name: "xlsx.zst", file: "leads.xlsx.zst", content: zstded(t, book)},
		{name: "a workbook named .csv", file: "leads.csv", content: book},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			path := writeFile(t, tc.file, tc.content)
			src, err := Open(context.Background(), path, Options{TempDir: tmp})
			require.NoError(t, err)
			assert.Equal(t, path, src.Name())
			if strings.Contains(tc.file, ".xlsx.") {
				spools, _ := filepath.Glob(filepath.Join(tmp, "*"))
				require.Len(t, spools, 1, "inflated to a temp file")
				st, err := os.Stat(spools[0])
				require.NoError(t, err)
				assert.Equal(t, fs.FileMode(0o600), st.Mode().Perm())
			}
			recs, err := drain(t, src)
			require.NoError(t, err)
			assert.Equal(t, []string{"Name", "Phone"}, src.Header())
			assert.Equal(t, wantLeads(), recs)
			require.NoError(t, src.Close())
			left, _ := filepath.Glob(filepath.Join(tmp, "*"))
			assert.Empty(t, left, "temp file removed on Close")
		})
	}
	t.Run("inflated size is bounded", func(t *testing.T) {
		tmp := t.TempDir()
		path := writeFile(t, "big.xlsx.gz", gzipped(t, book))
		_, err := Open(context.Background(), path, Options{TempDir: tmp, MaxSpoolBytes: 100})
		require.ErrorIs(t, err, ErrSpoolTooLarge)
		left, _ := filepath.Glob(filepath.Join(tmp, "*"))
		assert.Empty(t, left)
	})
}

func TestStdin(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"-", "/dev/stdin"} {
		t.Run(name, func(t *testing.T) {
			tmp := t.TempDir()
			o := Options{Stdin: strings.NewReader(leadsCSV), TempDir: tmp}
			ins, err := Resolve(ctx, []string{name}, o)
			require.NoError(t, err)
			require.Len(t, ins, 1)
			in := ins[0]
			assert.Equal(t, KindStdin, in.Kind())
			assert.Equal(t, name, in.Name())
			for pass := range 2 { // a pre-scan, then the run: the spool is read twice
				src, err := in.Open(ctx, o)
				require.NoError(t, err, "pass %d", pass)
				assert.Equal(t, name, src.Name())
				recs, err := drain(t, src)
				require.NoError(t, err)
				assert.Equal(t, wantLeads(), recs, "pass %d", pass)
				require.NoError(t, src.Close())
			}
			spools, _ := filepath.Glob(filepath.Join(tmp, "*"))
			require.Len(t, spools, 1)
			st, err := os.Stat(spools[0])
			require.NoError(t, err)
			assert.Equal(t, fs.FileMode(0o600), st.Mode().Perm())
			fp, err := in.Fingerprint(ctx)
			require.NoError(t, err)
			sum := sha256.Sum256([]byte(leadsCSV))
			assert.Equal(t, Fingerprint{Size: int64(len(leadsCSV)), SHA256: hex.EncodeToString(sum[:])}, fp)
			require.NoError(t, in.Close())
			spools, _ = filepath.Glob(filepath.Join(tmp, "*"))
			assert.Empty(t, spools, "spool removed on Close")
			_, err = in.Open(ctx, o)
			assert.Error(t, err, "closed")
		})
	}
	t.Run("a compressed workbook on stdin", func(t *testing.T) {
		o := Options{Stdin: bytes.NewReader(gzipped(t, xlsxBytes(t))), TempDir: t.TempDir()}
		_, got := openAll(t, []string{"-"}, o)
		assert.Equal(t, wantLeads(), got["-"])
	})
	t.Run("zstd text on stdin", func(t *testing.T) {
		o := Options{Stdin: bytes.NewReader(zstded(t, []byte(leadsCSV))), TempDir: t.TempDir()}
		_, got := openAll(t, []string{"-"}, o)
		assert.Equal(t, wantLeads(), got["-"])
	})
	t.Run("named twice", func(t *testing.T) {
		_, err := Resolve(ctx, []string{"-", "/dev/stdin"}, Options{Stdin: strings.NewReader("")})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "can be read once")
	})
	t.Run("bounded", func(t *testing.T) {
		tmp := t.TempDir()
		o := Options{Stdin: strings.NewReader(leadsCSV), TempDir: tmp, MaxSpoolBytes: 10}
		ins, err := Resolve(ctx, []string{"-"}, o)
		require.NoError(t, err)
		defer CloseAll(ins)
		_, err = ins[0].Open(ctx, o)
		require.ErrorIs(t, err, ErrSpoolTooLarge)
		assert.Contains(t, err.Error(), "-: ")
		left, _ := filepath.Glob(filepath.Join(tmp, "*"))
		assert.Empty(t, left)
	})
	t.Run("Open owns what it resolves", func(t *testing.T) {
		tmp := t.TempDir()
		src, err := Open(ctx, "-", Options{Stdin: strings.NewReader(leadsCSV), TempDir: tmp})
		require.NoError(t, err)
		require.NoError(t, src.Close())
		left, _ := filepath.Glob(filepath.Join(tmp, "*"))
		assert.Empty(t, left)
	})
}

// Process substitution, <(zcat leads.csv.gz), hands over /dev/fd/N: a pipe.
func TestPipeByPath(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("/dev/fd is a Unix thing")
	}
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	go func() {
		_, _ = w.Write(gzipped(t, []byte(leadsCSV)))
		_ = w.Close()
	}()
	name := fmt.Sprintf("/dev/fd/%d", r.Fd())
	ins, got := openAll(t, []string{name}, Options{TempDir: t.TempDir()})
	require.Len(t, ins, 1)
	assert.Equal(t, KindPipe, ins[0].Kind())
	assert.Equal(t, wantLeads(), got[name])
}

func TestGlobs(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string][]byte{
		"b.csv": []byte(leadsCSV), "a.csv": []byte(leadsCSV), "c.csv.gz": gzipped(t, []byte(leadsCSV)),
		"notes.txt": []byte("x\n"), "[weird].csv": []byte(leadsCSV),
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), content, 0o600))
	}
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub.csv"), 0o700))
	ctx := context.Background()
	names := func(ins []*Input) []string {
		var out []string
		for _, in := range ins {
			out = append(out, in.Name())
		}
		return out
	}
	j := func(n string) string { return filepath.Join(dir, n) }

	t.Run("sorted matches, directories left out", func(t *testing.T) {
		ins, got := openAll(t, []string{j("*.csv*")}, Options{})
		assert.Equal(t, []string{j("[weird].csv"), j("a.csv"), j("b.csv"), j("c.csv.gz")}, names(ins))
		for _, n := range names(ins) {
			assert.Equal(t, wantLeads(), got[n], n)
		}
	})
	t.Run("several arguments keep their order; a file named twice is read once", func(t *testing.T) {
		ins, err := Resolve(ctx, []string{j("b.csv"), j("?.csv"), j("notes.txt")}, Options{})
		require.NoError(t, err)
		defer CloseAll(ins)
		assert.Equal(t, []string{j("b.csv"), j("a.csv"), j("notes.txt")}, names(ins))
	})
	t.Run("an existing name with glob characters is taken literally", func(t *testing.T) {
		ins, err := Resolve(ctx, []string{j("[weird].csv")}, Options{})
		require.NoError(t, err)
		defer CloseAll(ins)
		assert.Equal(t, []string{j("[weird].csv")}, names(ins))
	})
	t.Run("no match names the pattern", func(t *testing.T) {
		_, err := Resolve(ctx, []string{j("a.csv"), j("*.json")}, Options{})
		require.ErrorIs(t, err, ErrNoMatch)
		assert.Contains(t, err.Error(), j("*.json"))
	})
	t.Run("a bad pattern", func(t *testing.T) {
		_, err := Resolve(ctx, []string{j("[.csv")}, Options{})
		require.ErrorIs(t, err, filepath.ErrBadPattern)
	})
	t.Run("a directory", func(t *testing.T) {
		_, err := Resolve(ctx, []string{dir}, Options{})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "is a directory")
	})
	t.Run("a missing file", func(t *testing.T) {
		_, err := Resolve(ctx, []string{j("missing.csv")}, Options{})
		require.ErrorIs(t, err, fs.ErrNotExist)
	})
	t.Run("Open wants exactly one", func(t *testing.T) {
		_, err := Open(ctx, j("*.csv"), Options{})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "matches 3 files, want one")
	})
	t.Run("nothing", func(t *testing.T) {
		_, err := Resolve(ctx, nil, Options{})
		require.Error(t, err)
	})
}

func TestUnsupportedInputs(t *testing.T) {
	ctx := context.Background()
	t.Run("http URL, credentials not shown", func(t *testing.T) {
		_, err := Resolve(ctx, []string{"https://user:hunter2@example.com/leads.csv?token=s3cr3t"}, Options{})
		require.ErrorIs(t, err, ErrUnsupportedURL)
		assert.NotContains(t, err.Error(), "hunter2")
		assert.NotContains(t, err.Error(), "s3cr3t")
		assert.Contains(t, err.Error(), "https://example.com/leads.csv")
	})
	t.Run("legacy xls", func(t *testing.T) {
		path := writeFile(t, "old.xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"))
		_, err := Open(ctx, path, Options{})
		require.ErrorIs(t, err, ErrUnsupportedFormat)
		assert.Contains(t, err.Error(), "Excel 97-2003")
	})
	t.Run("unknown extension", func(t *testing.T) {
		path := writeFile(t, "a.json", []byte("{}"))
		_, err := Open(ctx, path, Options{})
		require.ErrorIs(t, err, ErrUnsupportedFormat)
	})
	t.Run("an xlsx that is not a workbook", func(t *testing.T) {
		path := writeFile(t, "a.xlsx", []byte("Name,Phone\n"))
		_, err := Open(ctx, path, Options{})
		require.ErrorIs(t, err, ErrNotXLSX)
	})
}

func TestLocalFingerprint(t *testing.T) {
	ctx := context.Background()
	gz := gzipped(t, []byte(leadsCSV))
	path := writeFile(t, "a.csv.gz", gz)
	ins, err := Resolve(ctx, []string{path}, Options{})
	require.NoError(t, err)
	defer CloseAll(ins)
	fp, err := ins[0].Fingerprint(ctx)
	require.NoError(t, err)
	sum := sha256.Sum256(gz)
	assert.Equal(t, Fingerprint{Size: int64(len(gz)), SHA256: hex.EncodeToString(sum[:])}, fp, "the stored bytes are hashed")
	assert.Equal(t, fmt.Sprintf("size=%d;sha256=%x", len(gz), sum), fp.String())

	other := writeFile(t, "b.csv.gz", gz)
	ins2, err := Resolve(ctx, []string{other}, Options{})
	require.NoError(t, err)
	defer CloseAll(ins2)
	fp2, err := ins2[0].Fingerprint(ctx)
	require.NoError(t, err)
	assert.Equal(t, fp, fp2, "same content, same fingerprint, whatever the name")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	ins3, err := Resolve(ctx, []string{other}, Options{})
	require.NoError(t, err)
	defer CloseAll(ins3)
	_, err = ins3[0].Fingerprint(cancelled)
	assert.ErrorIs(t, err, context.Canceled)
}
