package objstore

import (
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/logging"
	gcaws "gocloud.dev/aws"
	"gocloud.dev/blob"
	"gocloud.dev/blob/s3blob"
)

// openS3 opens an s3:// bucket as gocloud's s3blob URL opener does (the
// same URL parameters), except that the AWS SDK logs nowhere: its default
// logger writes to stderr, and for every object fetched without a checksum
// (most objects, and every S3-compatible server's) it printed "Response has
// no supported checksum", which broke --log-format json's one-JSON-object-a-
// line stderr. Errors still reach the caller.
func openS3(ctx context.Context, u *url.URL) (*blob.Bucket, error) {
	q := u.Query()
	var opts []func(*s3.Options)
	for _, p := range []struct {
		key string
		set func(o *s3.Options, v bool)
	}{
		{"use_path_style", func(o *s3.Options, v bool) { o.UsePathStyle = v }},
		{"s3ForcePathStyle", func(o *s3.Options, v bool) { o.UsePathStyle = v }},
		{"disable_https", func(o *s3.Options, v bool) { o.EndpointOptions.DisableHTTPS = v }},
		{"accelerate", func(o *s3.Options, v bool) { o.UseAccelerate = v }},
	} {
		raw := q.Get(p.key)
		if raw == "" {
			continue
		}
		q.Del(p.key)
		v, err := strconv.ParseBool(raw)
		if err != nil {
			return nil, fmt.Errorf("invalid value for %q: %w", p.key, err)
		}
		set := p.set
		opts = append(opts, func(o *s3.Options) { set(o, v) })
	}
	cfg, err := gcaws.V2ConfigFromURLParams(ctx, q)
	if err != nil {
		return nil, err
	}
	cfg.Logger = logging.Nop{}
	opts = append(opts, func(o *s3.Options) { o.DisableLogOutputChecksumValidationSkipped = true })
	client := s3.NewFromConfig(cfg, opts...)
	return s3blob.OpenBucket(ctx, client, u.Host, &s3blob.Options{RequestChecksumCalculation: cfg.RequestChecksumCalculation})
}
