package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"gocloud.dev/blob"
	// The driver registers the azblob:// scheme with gocloud's default URL
	// mux, which blob.OpenBucket uses; gs:// and s3:// are opened by openGCS
	// and openS3 with their drivers.
	_ "gocloud.dev/blob/azureblob"
)

// Bucket is an open bucket (or Azure container).
type Bucket struct {
	b   *blob.Bucket
	loc Location // the bucket, Key ""
}

// Open opens the bucket of l; its key is ignored. Opening does not reach the
// network: a missing bucket or bad credentials show on the first call.
func Open(ctx context.Context, l Location) (*Bucket, error) {
	root := l.WithKey("")
	var b *blob.Bucket
	var err error
	switch root.Scheme {
	case "gs", "s3":
		var u *url.URL
		if u, err = url.Parse(root.bucketURL()); err == nil && root.Scheme == "gs" {
			b, err = openGCS(ctx, u)
		} else if err == nil {
			b, err = openS3(ctx, u)
		}
	default:
		b, err = blob.OpenBucket(ctx, root.bucketURL())
	}
	if err != nil {
		return nil, wrap("open bucket", root, err)
	}
	return &Bucket{b: b, loc: root}, nil
}

// Location returns the location of key in this bucket.
func (b *Bucket) Location(key string) Location { return b.loc.WithKey(key) }

// Close releases the bucket's client.
func (b *Bucket) Close() error { return wrap("close", b.loc, b.b.Close()) }

// Object is one listed object.
type Object struct {
	Key     string
	Size    int64
	ModTime time.Time
}

// Glob lists the objects whose keys match pattern (path.Match: * and ?
// stay within one "/" segment), sorted by key. "Directory" placeholders
// (keys ending in "/") are left out.
func (b *Bucket) Glob(ctx context.Context, pattern string) ([]Object, error) {
	if _, err := path.Match(pattern, ""); err != nil {
		return nil, fmt.Errorf("%s: %w", b.loc.WithKey(pattern), err)
	}
	prefix := pattern
	if i := strings.IndexAny(pattern, `*?[\`); i >= 0 {
		prefix = pattern[:i]
	}
	opts := &blob.ListOptions{Prefix: prefix}
	if !strings.Contains(pattern[len(prefix):], "/") {
		// Nothing below the next "/" can match: list one level only.
		opts.Delimiter = "/"
	}
	var out []Object
	it := b.b.List(opts)
	for {
		obj, err := it.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, wrap("list", b.loc.WithKey(prefix), err)
		}
		if obj.IsDir || strings.HasSuffix(obj.Key, "/") {
			continue
		}
		if ok, _ := path.Match(pattern, obj.Key); ok {
			out = append(out, Object{Key: obj.Key, Size: obj.Size, ModTime: obj.ModTime})
		}
	}
	slices.SortFunc(out, func(a, b Object) int { return strings.Compare(a.Key, b.Key) })
	return out, nil
}

// Attributes are what a HEAD request tells about an object.
type Attributes struct {
	Size    int64
	ETag    string // as the store returns it, quotes included; "" if none
	MD5     []byte // nil if the store keeps none
	ModTime time.Time
}

// Attributes reads key's metadata without downloading it.
func (b *Bucket) Attributes(ctx context.Context, key string) (Attributes, error) {
	a, err := b.b.Attributes(ctx, key)
	if err != nil {
		return Attributes{}, wrap("stat", b.loc.WithKey(key), err)
	}
	return Attributes{Size: a.Size, ETag: a.ETag, MD5: a.MD5, ModTime: a.ModTime}, nil
}

// Exists reports whether key exists.
func (b *Bucket) Exists(ctx context.Context, key string) (bool, error) {
	ok, err := b.b.Exists(ctx, key)
	return ok, wrap("stat", b.loc.WithKey(key), err)
}

// Reader streams one object.
type Reader struct {
	r   *blob.Reader
	loc Location
}

// NewReader opens key for reading from its first byte.
func (b *Bucket) NewReader(ctx context.Context, key string) (*Reader, error) {
	r, err := b.b.NewReader(ctx, key, nil)
	if err != nil {
		return nil, wrap("read", b.loc.WithKey(key), err)
	}
	return &Reader{r: r, loc: b.loc.WithKey(key)}, nil
}

// Read reads the object; errors other than io.EOF are scrubbed *Errors.
func (r *Reader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = wrap("read", r.loc, err)
	}
	return n, err
}

// Size is the object's size in bytes.
func (r *Reader) Size() int64 { return r.r.Size() }

// Close ends the download.
func (r *Reader) Close() error { return wrap("read", r.loc, r.r.Close()) }

// Writer uploads one object; it is committed by Close.
type Writer struct {
	w   *blob.Writer
	loc Location
}

// NewWriter starts writing key. The object is only created if no object
// named key exists when it is committed: Close then fails with an error that
// is fs.ErrExist.
func (b *Bucket) NewWriter(ctx context.Context, key string) (*Writer, error) {
	w, err := b.b.NewWriter(ctx, key, &blob.WriterOptions{IfNotExist: true})
	if err != nil {
		return nil, wrap("write", b.loc.WithKey(key), err)
	}
	return &Writer{w: w, loc: b.loc.WithKey(key)}, nil
}

// Write buffers or uploads p.
func (w *Writer) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	return n, wrap("write", w.loc, err)
}

// Close commits the object. To abandon it, cancel the context given to
// NewWriter before calling Close.
func (w *Writer) Close() error { return wrap("write", w.loc, w.w.Close()) }

// Copy copies src to dst inside this bucket, on the server side. It
// overwrites dst: callers check Exists first.
func (b *Bucket) Copy(ctx context.Context, dst, src string) error {
	return wrap("copy to "+b.loc.WithKey(dst).String()+" from", b.loc.WithKey(src), b.b.Copy(ctx, dst, src, nil))
}

// Delete removes key.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	return wrap("delete", b.loc.WithKey(key), b.b.Delete(ctx, key))
}
