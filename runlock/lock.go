package runlock

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Suffix is appended to a report path to name its lock file.
const Suffix = ".lock"

// pollInterval is how often a waiting Acquire tries the lock again.
const pollInterval = 100 * time.Millisecond

// PathFor returns the lock file of the run writing report: report + Suffix,
// so out/r.csv is locked through out/r.csv.lock.
func PathFor(report string) string { return report + Suffix }

// Sentinel errors, inspected with errors.Is.
var (
	// ErrHeld is wrapped by every *HeldError.
	ErrHeld = errors.New("lock held by another run")
	// ErrSymlink: the lock path is a symbolic link, which is never followed.
	ErrSymlink = errors.New("lock file is a symbolic link")
	// ErrNotRegular: something other than a regular file sits at the lock path.
	ErrNotRegular = errors.New("lock file is not a regular file")
	// ErrUnsupported: this operating system has no flock (see doc.go).
	ErrUnsupported = errors.New("run locks are not supported on this system")
)

// Options tune Acquire. The zero value fails at once when the lock is held.
type Options struct {
	// Wait is how long Acquire keeps trying while another run holds the
	// lock; 0 fails at once. ctx can end the wait sooner.
	Wait time.Duration
	// Program names this run in the lock file and in a loser's message,
	// e.g. "xonvo-import". Empty means the base name of os.Args[0].
	Program string
	// Report is the report path recorded in the lock file for people who
	// read it. Empty means the lock path without Suffix.
	Report string
	// Now stamps the holder's start time. Nil means time.Now.
	Now func() time.Time
}

// Holder identifies the run holding a lock; it is what the lock file holds.
type Holder struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Since   time.Time `json:"since"`
	Program string    `json:"program"`
	Report  string    `json:"report,omitempty"`
}

// known reports whether the holder had written its identity when read.
func (h Holder) known() bool { return h.PID > 0 }

// HeldError is returned when another run holds the lock. Holder is the zero
// value when the holder had not yet written its identity.
type HeldError struct {
	Path   string        // the lock file
	Holder Holder        // who holds it, as its lock file says
	Waited time.Duration // how long Acquire waited (Options.Wait), 0 if it did not
}

// Error names the holder and says what to do, e.g. "another xonvo-import
// run holds out/r.csv.lock (pid 4242 on host a, since
// 2026-11-29T02:00:03Z); wait for it or stop it".
func (e *HeldError) Error() string {
	var b strings.Builder
	b.WriteString("another ")
	if e.Holder.Program != "" {
		b.WriteString(e.Holder.Program + " ")
	}
	b.WriteString("run holds " + e.Path)
	if e.Holder.known() {
		fmt.Fprintf(&b, " (pid %d on host %s, since %s)", e.Holder.PID, e.Holder.Host,
			e.Holder.Since.UTC().Format(time.RFC3339))
	} else {
		b.WriteString(" (it has not written who it is yet)")
	}
	if e.Waited > 0 {
		fmt.Fprintf(&b, "; still held after waiting %v", e.Waited)
	}
	b.WriteString("; wait for it or stop it")
	return b.String()
}

// Unwrap makes errors.Is(err, ErrHeld) true.
func (e *HeldError) Unwrap() error { return ErrHeld }

// Lock is a held run lock. Release it when the run ends; if the process dies
// first, the operating system releases it.
type Lock struct {
	f      *os.File
	path   string
	holder Holder

	once sync.Once
	err  error
}

// Path returns the lock file's path.
func (l *Lock) Path() string { return l.path }

// Holder returns the identity written into the lock file.
func (l *Lock) Holder() Holder { return l.holder }

// Release removes the lock file (only if the path still names the locked
// file) and then drops the lock. Calls after the first return the first
// call's result.
func (l *Lock) Release() error {
	l.once.Do(func() {
		var errs []error
		// Remove while still locked: a run that opened the file before the
		// removal finds, once it gets the lock, that the path no longer
		// names it, and starts over (see tryLock).
		if same, err := samePath(l.f, l.path); err == nil && same {
			if err := os.Remove(l.path); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, fmt.Errorf("remove lock file: %w", err))
			}
		}
		if err := l.f.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close lock file: %w", err))
		}
		l.err = errors.Join(errs...)
	})
	return l.err
}

// Acquire takes the exclusive lock at path (PathFor(report) for a run). It
// fails at once with a *HeldError when another run holds it, unless
// o.Wait > 0, in which case it tries again until the lock is free, o.Wait
// has passed (a *HeldError with Waited set) or ctx is done (an error
// wrapping both ctx.Err() and the *HeldError).
func Acquire(ctx context.Context, path string, o Options) (*Lock, error) {
	if path == "" {
		return nil, errors.New("runlock: no lock path given")
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	me := o.holder(path)
	waitCtx, cancel := ctx, context.CancelFunc(func() {})
	if o.Wait > 0 {
		waitCtx, cancel = context.WithTimeout(ctx, o.Wait)
	}
	defer cancel()
	var timer *time.Timer
	for {
		l, held, err := tryLock(path, me)
		switch {
		case err != nil:
			return nil, err
		case l != nil:
			return l, nil
		case o.Wait <= 0:
			return nil, held
		}
		if timer == nil {
			timer = time.NewTimer(pollInterval)
			defer timer.Stop()
		} else {
			timer.Reset(pollInterval)
		}
		select {
		case <-timer.C:
		case <-waitCtx.Done():
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("%w; gave up waiting: %w", held, err)
			}
			held.Waited = o.Wait
			return nil, held
		}
	}
}

// holder is the identity this process writes into the lock file.
func (o Options) holder(path string) Holder {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	program := o.Program
	if program == "" && len(os.Args) > 0 {
		program = filepath.Base(os.Args[0])
	}
	report := o.Report
	if report == "" {
		report = strings.TrimSuffix(path, Suffix)
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	return Holder{
		PID:     os.Getpid(),
		Host:    host,
		Since:   now().UTC().Truncate(time.Second),
		Program: program,
		Report:  report,
	}
}

// samePath reports whether path still names the open file f (not following
// a link at path).
func samePath(f *os.File, path string) (bool, error) {
	fi, err := f.Stat()
	if err != nil {
		return false, err
	}
	pi, err := os.Lstat(path)
	if err != nil {
		return false, err
	}
	return os.SameFile(fi, pi), nil
}
