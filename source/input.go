package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/xonvo/xonvo-import/source/objstore"
)

// Kind says where an input's bytes come from.
type Kind int

// The kinds of input.
const (
	KindFile   Kind = iota + 1 // a local regular file
	KindStdin                  // "-" or /dev/stdin (Options.Stdin)
	KindPipe                   // a pipe, FIFO or device named by path, e.g. /dev/fd/63 from <(zcat …)
	KindObject                 // an object in S3, GCS or Azure Blob Storage
)

func (k Kind) String() string {
	switch k {
	case KindFile:
		return "file"
	case KindStdin:
		return "stdin"
	case KindPipe:
		return "pipe"
	case KindObject:
		return "object"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Input is one thing to read, as Resolve found it. Stdin and pipes are read
// once, into a private temp file, the first time they are opened or
// fingerprinted; after that an Input can be opened any number of times.
// Close removes that temp file. An Input is safe for use by one goroutine at
// a time.
type Input struct {
	name   string
	kind   Kind
	path   string        // KindFile, KindPipe
	bucket *sharedBucket // KindObject
	key    string        // KindObject
	opts   Options       // Stdin, TempDir, MaxSpoolBytes

	mu       sync.Mutex
	spool    *spoolFile // KindStdin, KindPipe once read
	spoolErr error      // a failed read of stdin or a pipe cannot be retried
	fp       *Fingerprint
	closed   bool
}

// Name is the input as shown in messages and in the report's file column:
// the path as given (a glob's match), "-", or the object URL without its query.
func (in *Input) Name() string { return in.name }

// Kind is where the input's bytes come from.
func (in *Input) Kind() Kind { return in.kind }

func (in *Input) String() string { return in.name }

// Close removes the input's temp file, if any, and releases its bucket.
// Sources opened from it should be closed first.
func (in *Input) Close() error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return nil
	}
	in.closed = true
	var errs []error
	if in.spool != nil {
		errs = append(errs, in.spool.remove())
	}
	if in.bucket != nil {
		errs = append(errs, in.bucket.release())
	}
	return errors.Join(errs...)
}

// CloseAll closes every input.
func CloseAll(ins []*Input) error {
	var errs []error
	for _, in := range ins {
		errs = append(errs, in.Close())
	}
	return errors.Join(errs...)
}

// Resolve turns command-line arguments into inputs, in order: a path; "-"
// or /dev/stdin; a pipe such as /dev/fd/63; a quoted glob (its matches
// sorted, directories left out); s3://, gs:// or azblob:// URLs, with globs
// in the key. A pattern matching nothing is an error naming it; an input
// named twice is read once. Nothing is downloaded: objects are listed (a
// single object is looked up, so a missing one fails here).
func Resolve(ctx context.Context, args []string, o Options) (_ []*Input, err error) {
	if len(args) == 0 {
		return nil, errors.New("no input given")
	}
	var (
		out     []*Input
		buckets []*sharedBucket
		seen    = map[string]bool{}
		stdin   = ""
	)
	defer func() {
		// Each input holds its bucket; a bucket nobody took is closed here.
		for _, b := range buckets {
			if b.refs == 0 {
				err = errors.Join(err, b.b.Close())
			}
		}
		if err != nil {
			err = errors.Join(err, CloseAll(out))
			out = nil
		}
	}()
	for _, arg := range args {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var found []*Input
		switch {
		case arg == "-" || arg == "/dev/stdin":
			if stdin != "" {
				return nil, fmt.Errorf("%s: standard input is already read as %s; it can be read once", arg, stdin)
			}
			stdin = arg
			found = []*Input{{name: arg, kind: KindStdin}}
		case objstore.IsURL(arg):
			if found, err = resolveObjects(ctx, arg, &buckets); err != nil {
				return nil, err
			}
		case objstore.HasScheme(arg):
			name, _, _ := strings.Cut(arg, "?")
			if i := strings.Index(name, "@"); i >= 0 {
				name = name[:strings.Index(name, "://")+3] + name[i+1:]
			}
			return nil, fmt.Errorf("%s: %w", name, ErrUnsupportedURL)
		default:
			if found, err = resolveLocal(arg); err != nil {
				return nil, err
			}
		}
		for _, in := range found {
			id := in.identity()
			if seen[id] {
				continue
			}
			seen[id] = true
			in.opts = o
			if in.bucket != nil {
				in.bucket.refs++
			}
			out = append(out, in)
		}
	}
	return out, nil
}

// identity tells two names of one input apart from two inputs.
func (in *Input) identity() string {
	switch in.kind {
	case KindFile, KindPipe:
		if abs, err := filepath.Abs(in.path); err == nil {
			return "file:" + abs
		}
		return "file:" + in.path
	case KindObject:
		return fmt.Sprintf("object:%p:%s", in.bucket, in.key)
	}
	return "stdin"
}

// hasGlobMeta reports whether a path holds glob metacharacters.
func hasGlobMeta(p string) bool { return strings.ContainsAny(p, `*?[`) }

// resolveLocal names one local file, or the files a pattern matches. A path
// that exists is taken literally even if it holds glob characters.
func resolveLocal(arg string) ([]*Input, error) {
	fi, err := os.Stat(arg)
	if err == nil {
		in, err := localInput(arg, fi)
		if err != nil {
			return nil, err
		}
		return []*Input{in}, nil
	}
	if !errors.Is(err, fs.ErrNotExist) || !hasGlobMeta(arg) {
		return nil, &ReadError{File: arg, Err: err}
	}
	matches, err := filepath.Glob(arg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", arg, err)
	}
	slices.Sort(matches)
	var out []*Input
	for _, m := range matches {
		fi, err := os.Stat(m)
		if err != nil {
			return nil, &ReadError{File: m, Err: err}
		}
		if fi.IsDir() {
			continue
		}
		in, err := localInput(m, fi)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: %w", arg, ErrNoMatch)
	}
	return out, nil
}

func localInput(p string, fi fs.FileInfo) (*Input, error) {
	switch {
	case fi.Mode().IsRegular():
		return &Input{name: p, kind: KindFile, path: p}, nil
	case fi.IsDir():
		return nil, &ReadError{File: p, Err: errors.New("is a directory (quote a pattern such as 'dir/*.csv' to read the files in it)")}
	default:
		// A pipe, FIFO, socket or device: it can be read once, so it is spooled.
		return &Input{name: p, kind: KindPipe, path: p}, nil
	}
}

// resolveObjects names one object, or the objects a key pattern matches.
func resolveObjects(ctx context.Context, arg string, buckets *[]*sharedBucket) ([]*Input, error) {
	loc, err := objstore.Parse(arg)
	if err != nil {
		return nil, err
	}
	if loc.Key == "" || strings.HasSuffix(loc.Key, "/") {
		return nil, fmt.Errorf("%s: %w: name an object or a pattern such as %s", loc, objstore.ErrBadURL, loc.Join("*.csv"))
	}
	var b *sharedBucket
	for _, sb := range *buckets {
		if sb.loc.SameBucket(loc) {
			b = sb
		}
	}
	if b == nil {
		ob, err := objstore.Open(ctx, loc)
		if err != nil {
			return nil, err
		}
		b = &sharedBucket{b: ob, loc: loc.WithKey("")}
		*buckets = append(*buckets, b)
	}
	if !loc.IsPattern() {
		attrs, err := b.b.Attributes(ctx, loc.Key)
		if err != nil {
			return nil, err
		}
		in := &Input{name: loc.String(), kind: KindObject, bucket: b, key: loc.Key}
		in.fp = objectFingerprint(loc.String(), attrs)
		return []*Input{in}, nil
	}
	objs, err := b.b.Glob(ctx, loc.Key)
	if err != nil {
		return nil, err
	}
	if len(objs) == 0 {
		return nil, fmt.Errorf("%s: %w", loc, ErrNoMatch)
	}
	out := make([]*Input, len(objs))
	for i, o := range objs {
		out[i] = &Input{name: loc.WithKey(o.Key).String(), kind: KindObject, bucket: b, key: o.Key}
	}
	return out, nil
}

// sharedBucket is one open bucket held by the inputs in it; the last to
// close closes it.
type sharedBucket struct {
	b    *objstore.Bucket
	loc  objstore.Location
	mu   sync.Mutex
	refs int
}

func (s *sharedBucket) release() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refs--; s.refs == 0 {
		return s.b.Close()
	}
	return nil
}
