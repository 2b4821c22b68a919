package source

import (
	"bytes"
	"context"
	"encoding/hex"
	"io/fs"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
)

// fakeS3 is an in-process S3 (gofakes3, in memory) on 127.0.0.1 with one
// bucket, "leads". Credentials come from the environment, as in production.
type fakeS3 struct {
	backend *s3mem.Backend
	query   string // the URL parameters that point gocloud at it
}

func newFakeS3(t *testing.T) *fakeS3 {
	t.Helper()
	backend := s3mem.New()
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	require.NoError(t, backend.CreateBucket("leads"))
	none := filepath.Join(t.TempDir(), "none")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "fake-secret-key")
	t.Setenv("AWS_CONFIG_FILE", none)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", none)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return &fakeS3{backend: backend, query: "?endpoint=" + srv.URL + "&use_path_style=true&region=us-east-1&disable_https=true"}
}

func (f *fakeS3) put(t *testing.T, key string, content []byte) {
	t.Helper()
	_, err := f.backend.PutObject("leads", key, map[string]string{}, bytes.NewReader(content), int64(len(content)), nil)
	require.NoError(t, err)
}

func (f *fakeS3) has(key string) bool {
	_, err := f.backend.HeadObject("leads", key)
	return err == nil
}

func (f *fakeS3) url(key string) string { return "s3://leads/" + key + f.query }

func TestS3Inputs(t *testing.T) {
	s3 := newFakeS3(t)
	s3.put(t, "exports/b.csv.gz", gzipped(t, []byte(leadsCSV)))
	s3.put(t, "exports/a.csv.gz", gzipped(t, []byte(leadsCSV)))
	s3.put(t, "exports/old/c.csv.gz", gzipped(t, []byte(leadsCSV)))
	s3.put(t, "exports/notes.txt", []byte("x"))
	s3.put(t, "books/leads.xlsx", xlsxBytes(t))
	s3.put(t, "latin/names.csv", encodeWith(t, charmap.Windows1252, "Name\nJosé Müller\n"))
	ctx := context.Background()

	t.Run("a glob of gzipped CSV, sorted, named without the query", func(t *testing.T) {
		ins, got := openAll(t, []string{s3.url("exports/*.csv.gz")}, Options{})
		var names []string
		for _, in := range ins {
			names = append(names, in.Name())
			assert.Equal(t, KindObject, in.Kind())
		}
		assert.Equal(t, []string{"s3://leads/exports/a.csv.gz", "s3://leads/exports/b.csv.gz"}, names)
		assert.Equal(t, wantLeads(), got["s3://leads/exports/a.csv.gz"])
		assert.Equal(t, wantLeads(), got["s3://leads/exports/b.csv.gz"])
	})
	t.Run("a glob across a level", func(t *testing.T) {
		ins, _ := openAll(t, []string{s3.url("exports/*/*.csv.gz")}, Options{})
		require.Len(t, ins, 1)
		assert.Equal(t, "s3://leads/exports/old/c.csv.gz", ins[0].Name())
	})
	t.Run("an XLSX object by glob goes through a temp file", func(t *testing.T) {
		tmp := t.TempDir()
		ins, err := Resolve(ctx, []string{s3.url("books/*.xlsx")}, Options{TempDir: tmp})
		require.NoError(t, err)
		defer CloseAll(ins)
		require.Len(t, ins, 1)
		src, err := ins[0].Open(ctx, Options{TempDir: tmp})
		require.NoError(t, err)
		assert.Equal(t, "s3://leads/books/leads.xlsx", src.Name())
		spools, _ := filepath.Glob(filepath.Join(tmp, "*"))
		assert.Len(t, spools, 1)
		recs, err := drain(t, src)
		require.NoError(t, err)
		assert.Equal(t, wantLeads(), recs)
		require.NoError(t, src.Close())
		spools, _ = filepath.Glob(filepath.Join(tmp, "*"))
		assert.Empty(t, spools)
	})
	t.Run("a stream's encoding is detected from its start", func(t *testing.T) {
		src, err := Open(ctx, s3.url("latin/names.csv"), Options{})
		require.NoError(t, err)
		defer src.Close()
		recs, err := drain(t, src)
		require.NoError(t, err)
		assert.Equal(t, []Record{rec(2, "José Müller")}, recs)
		assert.Contains(t, strings.Join(src.Warnings(), ""), "read as Windows-1252")
		done, total := src.Progress()
		assert.Equal(t, int64(len("Name\nJosé Müller\n")-2), total)
		assert.Equal(t, total, done)
	})
	t.Run("fingerprint from attributes", func(t *testing.T) {
		ins, err := Resolve(ctx, []string{s3.url("exports/a.csv.gz"), s3.url("exports/b*.csv.gz")}, Options{})
		require.NoError(t, err)
		defer CloseAll(ins)
		a, err := ins[0].Fingerprint(ctx)
		require.NoError(t, err)
		b, err := ins[1].Fingerprint(ctx)
		require.NoError(t, err)
		obj, err := s3.backend.HeadObject("leads", "exports/a.csv.gz")
		require.NoError(t, err)
		assert.Equal(t, Fingerprint{Size: obj.Size, ETag: hex.EncodeToString(obj.Hash), Key: "s3://leads/exports/a.csv.gz"}, a)
		assert.Equal(t, a.ETag, b.ETag, "same bytes")
		assert.NotEqual(t, a, b, "different keys")
	})
	t.Run("no match names the pattern, not the query", func(t *testing.T) {
		_, err := Resolve(ctx, []string{s3.url("exports/*.json")}, Options{})
		require.ErrorIs(t, err, ErrNoMatch)
		assert.Equal(t, "s3://leads/exports/*.json: "+ErrNoMatch.Error(), err.Error())
	})
	t.Run("a missing object", func(t *testing.T) {
		_, err := Resolve(ctx, []string{s3.url("exports/missing.csv")}, Options{})
		require.ErrorIs(t, err, fs.ErrNotExist)
		assert.Contains(t, err.Error(), "s3://leads/exports/missing.csv")
		assert.NotContains(t, err.Error(), "endpoint")
	})
	t.Run("a secret in the query never shows", func(t *testing.T) {
		_, err := Resolve(ctx, []string{s3.url("exports/*.csv.gz") + "&access_key=hunter2hunter2"}, Options{})
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "hunter2")
		assert.NotContains(t, err.Error(), "127.0.0.1")
		assert.Contains(t, err.Error(), "access_key", "gocloud's reason is kept")
	})
}

func TestS3Move(t *testing.T) {
	s3 := newFakeS3(t)
	ctx := context.Background()
	resolve := func(arg string) *Input {
		ins, err := Resolve(ctx, []string{arg}, Options{})
		require.NoError(t, err)
		t.Cleanup(func() { _ = CloseAll(ins) })
		return ins[0]
	}
	t.Run("object to a prefix in the same bucket", func(t *testing.T) {
		s3.put(t, "in/a.csv", []byte(leadsCSV))
		require.NoError(t, Move(ctx, resolve(s3.url("in/a.csv")), s3.url("done/")))
		assert.True(t, s3.has("done/a.csv"))
		assert.False(t, s3.has("in/a.csv"))
	})
	t.Run("never overwrites", func(t *testing.T) {
		s3.put(t, "in/b.csv", []byte(leadsCSV))
		s3.put(t, "done/b.csv", []byte("older"))
		err := Move(ctx, resolve(s3.url("in/b.csv")), s3.url("done"))
		require.ErrorIs(t, err, ErrTargetExists)
		assert.Contains(t, err.Error(), "s3://leads/done/b.csv")
		assert.NotContains(t, err.Error(), "endpoint")
		assert.True(t, s3.has("in/b.csv"), "the input stays")
	})
	t.Run("a local file uploaded, then removed", func(t *testing.T) {
		path := writeFile(t, "c.csv", []byte(leadsCSV))
		require.NoError(t, Move(ctx, resolve(path), s3.url("done/")))
		assert.True(t, s3.has("done/c.csv"))
		_, err := os.Stat(path)
		assert.ErrorIs(t, err, fs.ErrNotExist)
	})
	t.Run("a local file onto an existing object", func(t *testing.T) {
		s3.put(t, "done/d.csv", []byte("older"))
		path := writeFile(t, "d.csv", []byte(leadsCSV))
		require.ErrorIs(t, Move(ctx, resolve(path), s3.url("done/")), ErrTargetExists)
		_, err := os.Stat(path)
		assert.NoError(t, err)
	})
	t.Run("an object downloaded to a local directory", func(t *testing.T) {
		s3.put(t, "in/e.csv", []byte(leadsCSV))
		dir := filepath.Join(t.TempDir(), "done")
		require.NoError(t, Move(ctx, resolve(s3.url("in/e.csv")), dir))
		got, err := os.ReadFile(filepath.Join(dir, "e.csv"))
		require.NoError(t, err)
		assert.Equal(t, leadsCSV, string(got))
		assert.False(t, s3.has("in/e.csv"))
	})
}
