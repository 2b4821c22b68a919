package objstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"

	"gocloud.dev/blob"
	"gocloud.dev/blob/gcsblob"
	"gocloud.dev/gcp"
)

// ErrNoCredentials is returned when a store needs credentials and the
// environment has none.
var ErrNoCredentials = errors.New("no credentials found")

// openGCS opens a gs:// bucket. gocloud's default opener prints a warning
// on stdout when Application Default Credentials are missing and goes on
// without them; a CLI whose stdout carries data wants an error instead.
func openGCS(ctx context.Context, u *url.URL) (*blob.Bucket, error) {
	q := u.Query()
	anon, _ := strconv.ParseBool(q.Get("anonymous"))
	if anon || q.Get("access_id") == "-" || os.Getenv("STORAGE_EMULATOR_HOST") != "" {
		return (&gcsblob.URLOpener{Client: gcp.NewAnonymousHTTPClient(gcp.DefaultTransport())}).OpenBucketURL(ctx, u)
	}
	creds, err := gcp.DefaultCredentials(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w for Google Cloud Storage: set GOOGLE_APPLICATION_CREDENTIALS or run \"gcloud auth application-default login\" (%v)", ErrNoCredentials, err)
	}
	ts := gcp.CredentialsTokenSource(creds)
	client, err := gcp.NewHTTPClient(gcp.DefaultTransport(), ts)
	if err != nil {
		return nil, err
	}
	return (&gcsblob.URLOpener{Client: client, TokenSource: ts}).OpenBucketURL(ctx, u)
}
