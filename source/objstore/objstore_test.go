package objstore

import (
	"context"
	"errors"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gocloud.dev/gcerrors"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    Location
		display string
		pattern bool
		err     string // substring of the error; "" = no error
	}{
		{name: "s3 key", raw: "s3://bucket/exports/a.csv", want: Location{Scheme: "s3", Bucket: "bucket", Key: "exports/a.csv"}, display: "s3://bucket/exports/a.csv"},
		{name: "s3 glob with parameters", raw: "s3://bucket/exports/*.csv.gz?endpoint=http://127.0.0.1:9000&use_path_style=true&region=us-east-1",
			want:    Location{Scheme: "s3", Bucket: "bucket", Key: "exports/*.csv.gz", query: "endpoint=http://127.0.0.1:9000&use_path_style=true&region=us-east-1"},
			display: "s3://bucket/exports/*.csv.gz", pattern: true},
		{name: "gs", raw: "gs://my-bucket/leads/2026-*.csv", want: Location{Scheme: "gs", Bucket: "my-bucket", Key: "leads/2026-*.csv"}, display: "gs://my-bucket/leads/2026-*.csv", pattern: true},
		{name: "azblob container", raw: "azblob://exports/leads.xlsx?storage_account=acme", want: Location{Scheme: "azblob", Bucket: "exports", Key: "leads.xlsx", query: "storage_account=acme"}, display: "azblob://exports/leads.xlsx"},
		{name: "scheme in capitals", raw: "S3://bucket/a.csv", want: Location{Scheme: "s3", Bucket: "bucket", Key: "a.csv"}, display: "s3://bucket/a.csv"},
		{name: "escaped key", raw: "gs://b/my%20file%3F.csv", want: Location{Scheme: "gs", Bucket: "b", Key: "my file?.csv"}, display: "gs://b/my file?.csv", pattern: true},
		{name: "bucket root", raw: "s3://bucket", want: Location{Scheme: "s3", Bucket: "bucket"}, display: "s3://bucket/"},
		{name: "credentials refused, not repeated", raw: "s3://AKIAXXXX:hunter2@bucket/a.csv", err: "credentials in the URL are not used"},
		{name: "no bucket", raw: "gs:///a.csv", err: "no bucket name"},
		{name: "fragment", raw: "azblob://c/a#b.csv", err: "%23"},
		{name: "prefix parameter", raw: "s3://b/a.csv?prefix=x/", err: `"prefix" parameter is not supported`},
		{name: "not an object URL", raw: "https://example.com/a.csv", err: "want s3://, gs:// or azblob://"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.raw)
			if tc.err != "" {
				require.ErrorIs(t, err, ErrBadURL)
				assert.Contains(t, err.Error(), tc.err)
				assert.NotContains(t, err.Error(), "hunter2")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.display, got.String())
			assert.Equal(t, tc.pattern, got.IsPattern())
		})
	}
}

func TestURLKinds(t *testing.T) {
	for s, want := range map[string][2]bool{
		"s3://b/k":           {true, true},
		"gs://b/k":           {true, true},
		"azblob://c/k":       {true, true},
		"https://x/y":        {false, true},
		"file:///tmp/a.csv":  {false, true},
		"exports/a.csv":      {false, false},
		"C:\\exports\\a.csv": {false, false},
		"weird name://x.csv": {false, false},
	} {
		assert.Equal(t, want[0], IsURL(s), "IsURL(%q)", s)
		assert.Equal(t, want[1], HasScheme(s), "HasScheme(%q)", s)
	}
}

func TestJoin(t *testing.T) {
	l, err := Parse("s3://b/done?region=eu-west-1")
	require.NoError(t, err)
	assert.Equal(t, "s3://b/done/a.csv", l.Join("a.csv").String())
	assert.True(t, l.Join("a.csv").SameBucket(l))
	root, err := Parse("s3://b/")
	require.NoError(t, err)
	assert.Equal(t, "s3://b/a.csv", root.Join("a.csv").String())
	other, err := Parse("s3://b/done")
	require.NoError(t, err)
	assert.False(t, other.SameBucket(l), "other parameters open the bucket another way")
}

func TestErrorsAreScrubbed(t *testing.T) {
	l, err := Parse("s3://b/k.csv?endpoint=http://minio:s3cr3tpw@10.0.0.1:9000&kmskeyid=arn:aws:kms:key/abcd1234&region=us-east-1")
	require.NoError(t, err)
	driver := errors.New(`open bucket s3://b?endpoint=http://minio:s3cr3tpw@10.0.0.1:9000&kmskeyid=arn:aws:kms:key/abcd1234&region=us-east-1: ` +
		`kms key arn:aws:kms:key/abcd1234 refused; dial http://minio:s3cr3tpw@10.0.0.1:9000 in us-east-1`)
	got := wrap("read", l, driver)
	msg := got.Error()
	assert.NotContains(t, msg, "s3cr3tpw")
	assert.NotContains(t, msg, "abcd1234")
	assert.Contains(t, msg, "10.0.0.1:9000", "settings stay readable")
	assert.Contains(t, msg, "us-east-1")
	assert.Contains(t, msg, "read s3://b/k.csv: ")
	assert.False(t, errors.Is(got, driver), "the driver's text is not reachable by unwrapping")
}

func TestErrorIs(t *testing.T) {
	tests := []struct {
		code gcerrors.ErrorCode
		is   error
	}{
		{gcerrors.NotFound, fs.ErrNotExist},
		{gcerrors.PermissionDenied, fs.ErrPermission},
		{gcerrors.AlreadyExists, fs.ErrExist},
		{gcerrors.FailedPrecondition, fs.ErrExist},
	}
	for _, tc := range tests {
		t.Run(tc.code.String(), func(t *testing.T) {
			e := &Error{Op: "stat", URL: "s3://b/k", Code: tc.code}
			assert.ErrorIs(t, e, tc.is)
			assert.NotErrorIs(t, e, ErrNoCredentials)
		})
	}
	t.Run("no credentials", func(t *testing.T) {
		e := wrap("open bucket", Location{Scheme: "gs", Bucket: "b"}, ErrNoCredentials)
		assert.ErrorIs(t, e, ErrNoCredentials)
	})
	t.Run("cancellation stays visible", func(t *testing.T) {
		e := wrap("list", Location{Scheme: "gs", Bucket: "b"}, context.Canceled)
		assert.ErrorIs(t, e, context.Canceled)
	})
}

// gs and azblob cannot be faked here; their openers reject a bad URL before
// any network call, and the message keeps the query out.
func TestOpenRejectsUnknownParameters(t *testing.T) {
	t.Setenv("STORAGE_EMULATOR_HOST", "127.0.0.1:1") // never dialled: opening makes no request
	t.Setenv("AZURE_STORAGE_ACCOUNT", "acme")
	t.Setenv("AZURE_STORAGE_KEY", "ZmFrZWtleQ==")
	for _, raw := range []string{
		"gs://bucket/a.csv?bogus=hunter2hunter2",
		"azblob://container/a.csv?bogus=hunter2hunter2",
		"s3://bucket/a.csv?bogus=hunter2hunter2",
	} {
		t.Run(raw[:6], func(t *testing.T) {
			l, err := Parse(raw)
			require.NoError(t, err)
			_, err = Open(context.Background(), l)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "bogus")
			assert.NotContains(t, err.Error(), "hunter2")
			var oe *Error
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, "open bucket", oe.Op)
		})
	}
}
