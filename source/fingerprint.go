package source

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/xonvo/xonvo-import/source/objstore"
)

// Fingerprint identifies an input's content, for resuming and for telling
// whether a file was already imported. Compare fingerprints with ==.
//
// A local file, stdin or a pipe: Size and the SHA-256 of every byte as
// stored (a compressed file hashes its compressed bytes). An object: Size,
// the store's ETag (no download; when the store keeps none, "md5:" and the
// MD5, else "mtime:" and the modification time) and Key, its URL without
// the query.
type Fingerprint struct {
	Size   int64
	SHA256 string // hex; local files, stdin and pipes
	ETag   string // objects
	Key    string // objects: scheme://bucket/key
}

// String is a compact, stable form to store: "size=…;sha256=…" or
// "size=…;etag=…;key=…".
func (f Fingerprint) String() string {
	if f.SHA256 != "" {
		return fmt.Sprintf("size=%d;sha256=%s", f.Size, f.SHA256)
	}
	return fmt.Sprintf("size=%d;etag=%s;key=%s", f.Size, f.ETag, f.Key)
}

// Fingerprint computes (once) the input's fingerprint. A local file is read
// through once for its hash; stdin and pipes are spooled, and hashed while
// spooled; an object is asked for its attributes.
func (in *Input) Fingerprint(ctx context.Context) (Fingerprint, error) {
	in.mu.Lock()
	fp := in.fp
	in.mu.Unlock()
	if fp != nil {
		return *fp, nil
	}
	var got Fingerprint
	switch in.kind {
	case KindFile:
		f, err := os.Open(in.path)
		if err != nil {
			return Fingerprint{}, &ReadError{File: in.name, Err: err}
		}
		defer f.Close()
		h := sha256.New()
		n, err := io.CopyBuffer(h, &ctxReader{ctx: ctx, r: f}, make([]byte, 256<<10))
		if err != nil {
			return Fingerprint{}, &ReadError{File: in.name, Err: fmt.Errorf("fingerprint: %w", err)}
		}
		got = Fingerprint{Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}
	case KindStdin, KindPipe:
		sp, err := in.spooled(ctx)
		if err != nil {
			return Fingerprint{}, err
		}
		got = Fingerprint{Size: sp.size, SHA256: hex.EncodeToString(sp.sum[:])}
	case KindObject:
		attrs, err := in.bucket.b.Attributes(ctx, in.key)
		if err != nil {
			return Fingerprint{}, &ReadError{File: in.name, Err: err}
		}
		got = *objectFingerprint(in.name, attrs)
	}
	in.mu.Lock()
	in.fp = &got
	in.mu.Unlock()
	return got, nil
}

func objectFingerprint(key string, a objstore.Attributes) *Fingerprint {
	tag := strings.Trim(a.ETag, `"`)
	switch {
	case tag != "":
	case len(a.MD5) > 0:
		tag = "md5:" + hex.EncodeToString(a.MD5)
	default:
		tag = "mtime:" + a.ModTime.UTC().Format("2006-01-02T15:04:05.999999999Z")
	}
	return &Fingerprint{Size: a.Size, ETag: tag, Key: key}
}

// ctxReader stops a long read when ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
