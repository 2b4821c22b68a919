package objstore

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
)

// ErrBadURL is returned for a URL this package cannot use.
var ErrBadURL = errors.New("invalid object storage URL")

// IsURL reports whether s names an object in one of the supported stores
// (s3://, gs://, azblob://).
func IsURL(s string) bool {
	scheme, _, ok := strings.Cut(s, "://")
	if !ok {
		return false
	}
	switch strings.ToLower(scheme) {
	case "s3", "gs", "azblob":
		return true
	}
	return false
}

// HasScheme reports whether s looks like a URL of any scheme ("x://…"), so
// that callers can refuse the ones IsURL does not accept rather than take
// them for file names.
func HasScheme(s string) bool {
	scheme, _, ok := strings.Cut(s, "://")
	if !ok || scheme == "" {
		return false
	}
	for _, r := range scheme {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// Location is a bucket and a key (or key pattern) in it. The zero value is
// not usable; build one with Parse.
type Location struct {
	Scheme string // s3, gs or azblob
	Bucket string // bucket or container name
	Key    string // object key or glob pattern; "" = the bucket's root

	query string // the raw query for gocloud's opener; may be secret, never displayed
}

// Parse reads a URL such as s3://bucket/exports/*.csv?region=eu-west-1. A
// user name or password in the URL is refused (credentials come from the
// environment); the message does not repeat them.
func Parse(raw string) (Location, error) {
	if !IsURL(raw) {
		return Location{}, fmt.Errorf("%w: want s3://, gs:// or azblob://", ErrBadURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url's message quotes the whole URL, query included.
		return Location{}, fmt.Errorf("%s: %w", displayRaw(raw), ErrBadURL)
	}
	l := Location{Scheme: strings.ToLower(u.Scheme), Bucket: u.Host, Key: strings.TrimPrefix(u.Path, "/"), query: u.RawQuery}
	switch {
	case u.User != nil:
		return Location{}, fmt.Errorf("%s: %w: credentials in the URL are not used; set them in the environment (see docs/inputs.md)", l, ErrBadURL)
	case l.Bucket == "":
		return Location{}, fmt.Errorf("%s: %w: no bucket name", l, ErrBadURL)
	case u.Fragment != "":
		return Location{}, fmt.Errorf("%s: %w: write # in a key as %%23", l, ErrBadURL)
	}
	q := u.Query()
	for _, k := range []string{"prefix", "key"} {
		if q.Has(k) {
			return Location{}, fmt.Errorf("%s: %w: the %q parameter is not supported; put the key in the URL's path", l, ErrBadURL, k)
		}
	}
	return l, nil
}

// displayRaw is what can be shown of a URL that did not parse: everything
// before the query and any user information.
func displayRaw(raw string) string {
	s, _, _ := strings.Cut(raw, "?")
	if scheme, rest, ok := strings.Cut(s, "://"); ok {
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			rest = rest[at+1:]
		}
		s = scheme + "://" + rest
	}
	return s
}

// String is the location for people: scheme://bucket/key, without the query.
func (l Location) String() string {
	return l.Scheme + "://" + l.Bucket + "/" + l.Key
}

// bucketURL is what gocloud opens: the bucket with the query (secret-bearing).
func (l Location) bucketURL() string {
	s := l.Scheme + "://" + l.Bucket
	if l.query != "" {
		s += "?" + l.query
	}
	return s
}

// SameBucket reports whether l and m open the same bucket the same way.
func (l Location) SameBucket(m Location) bool { return l.bucketURL() == m.bucketURL() }

// WithKey returns l naming key in the same bucket.
func (l Location) WithKey(key string) Location {
	l.Key = key
	return l
}

// Join returns l with name appended to its key as a path element: the key of
// l is taken as a "directory".
func (l Location) Join(name string) Location {
	return l.WithKey(strings.TrimPrefix(path.Join(l.Key, name), "/"))
}

// IsPattern reports whether the key holds glob metacharacters.
func (l Location) IsPattern() bool { return strings.ContainsAny(l.Key, `*?[\`) }

// plainParams are the URL parameters whose values are settings, not secrets;
// keeping them readable in errors ("dial tcp 127.0.0.1:9000") helps.
func plainParam(key string) bool {
	switch key {
	case "region", "endpoint", "use_path_style", "s3ForcePathStyle", "disable_https", "dualstack", "fips",
		"accelerate", "hostname_immutable", "anonymous", "awssdk", "rate_limiter_capacity",
		"request_checksum_calculation", "response_checksum_validation", "ssetype",
		"domain", "protocol", "cdn", "localemu", "storage_account", "grpc", "zonal", "universe_domain":
		return true
	}
	return false
}

// secrets are the strings scrubbed from errors: the raw query, every value
// in it that could be a credential, and any user information in an endpoint.
func (l Location) secrets() []string {
	if l.query == "" {
		return nil
	}
	out := []string{l.query}
	q, err := url.ParseQuery(l.query)
	if err != nil {
		return out
	}
	for k, vs := range q {
		for _, v := range vs {
			if u, err := url.Parse(v); err == nil && u.User != nil {
				out = append(out, u.User.String(), url.QueryEscape(u.User.String()))
			}
			if !plainParam(k) && len(v) >= 4 {
				out = append(out, v, url.QueryEscape(v))
			}
		}
	}
	return out
}
