package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/xonvo/xonvo-import/source/objstore"
)

// Move moves an input that is done with (--move-done) into dest, a local
// directory (created if missing) or an object URL prefix such as
// s3://bucket/done/, keeping its base name. It never overwrites: an existing
// target is ErrTargetExists and the input stays where it was. A local file
// is renamed (a hard link then an unlink, which cannot replace a file that
// appears meanwhile), or, across devices, copied, synced and removed; an
// object is copied and deleted through the bucket (server side within one
// bucket, after checking the target is absent). Stdin and pipes cannot be
// moved. Close the input's sources first.
func Move(ctx context.Context, in *Input, dest string) error {
	var base string
	switch in.kind {
	case KindFile:
		base = filepath.Base(in.path)
	case KindObject:
		base = path.Base(in.key)
	default:
		return &ReadError{File: in.name, Err: ErrNotMovable}
	}
	var target string
	var err error
	switch {
	case objstore.IsURL(dest):
		var loc objstore.Location
		if loc, err = objstore.Parse(dest); err == nil {
			loc = loc.Join(base)
			target = loc.String()
			err = moveToBucket(ctx, in, loc)
		}
	case objstore.HasScheme(dest):
		err = ErrUnsupportedURL
	default:
		target = filepath.Join(dest, base)
		err = moveToDir(ctx, in, dest, target)
	}
	if err != nil {
		if target == "" {
			return fmt.Errorf("move %s: %w", in.name, err)
		}
		return fmt.Errorf("move %s to %s: %w", in.name, target, err)
	}
	return nil
}

func moveToDir(ctx context.Context, in *Input, dir, target string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	if in.kind == KindFile {
		err := os.Link(in.path, target)
		switch {
		case err == nil:
			return os.Remove(in.path)
		case errors.Is(err, fs.ErrExist):
			return ErrTargetExists
		}
		// Another device, or a file system without hard links: copy.
		f, err := os.Open(in.path)
		if err != nil {
			return err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return err
		}
		if err := copyToNewFile(ctx, target, f, st.Mode().Perm()); err != nil {
			return err
		}
		return os.Remove(in.path)
	}
	rd, err := in.bucket.b.NewReader(ctx, in.key)
	if err != nil {
		return err
	}
	defer rd.Close()
	if err := copyToNewFile(ctx, target, rd, 0o600); err != nil {
		return err
	}
	return in.bucket.b.Delete(ctx, in.key)
}

// copyToNewFile writes r to target, which must not exist, and syncs it.
func copyToNewFile(ctx context.Context, target string, r io.Reader, perm fs.FileMode) (err error) {
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if errors.Is(err, fs.ErrExist) {
		return ErrTargetExists
	}
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(target)
		}
	}()
	if _, err := io.Copy(f, &ctxReader{ctx: ctx, r: r}); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

func moveToBucket(ctx context.Context, in *Input, target objstore.Location) error {
	var db *objstore.Bucket
	if in.kind == KindObject && in.bucket.loc.SameBucket(target) {
		db = in.bucket.b
	} else {
		b, err := objstore.Open(ctx, target)
		if err != nil {
			return err
		}
		defer b.Close()
		db = b
	}
	exists, err := db.Exists(ctx, target.Key)
	if err != nil {
		return err
	}
	if exists {
		return ErrTargetExists
	}
	if db == in.bucket.bucketOrNil() {
		if err := db.Copy(ctx, target.Key, in.key); err != nil {
			return err
		}
		return db.Delete(ctx, in.key)
	}
	var r io.ReadCloser
	if in.kind == KindFile {
		f, err := os.Open(in.path)
		if err != nil {
			return err
		}
		r = f
	} else {
		rd, err := in.bucket.b.NewReader(ctx, in.key)
		if err != nil {
			return err
		}
		r = rd
	}
	defer r.Close()
	if err := upload(ctx, db, target.Key, r); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return ErrTargetExists
		}
		return err
	}
	if in.kind == KindFile {
		return os.Remove(in.path)
	}
	return in.bucket.b.Delete(ctx, in.key)
}

// upload writes r to key, created only if absent; a failed copy is abandoned.
func upload(ctx context.Context, b *objstore.Bucket, key string, r io.Reader) error {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := b.NewWriter(wctx, key)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		cancel() // abandon the upload rather than commit a partial object
		return errors.Join(err, w.Close())
	}
	return w.Close()
}

func (s *sharedBucket) bucketOrNil() *objstore.Bucket {
	if s == nil {
		return nil
	}
	return s.b
}
