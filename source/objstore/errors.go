package objstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"gocloud.dev/gcerrors"
)

// Error is a failed object storage operation. Its text is scrubbed of the
// URL's query and of the values in it, and it does not unwrap to the driver's
// error (whose text may quote the URL): callers inspect it with errors.Is
// against fs.ErrNotExist, fs.ErrPermission and fs.ErrExist, or read Code.
type Error struct {
	Op   string             // what was being done: "list", "read", "copy", …
	URL  string             // the location, without its query
	Code gcerrors.ErrorCode // gocloud's classification
	msg  string             // the driver's message, scrubbed

	sentinel error // one of this package's errors, when it is the cause
}

func (e *Error) Error() string {
	if e.msg == "" {
		return fmt.Sprintf("%s %s: %s", e.Op, e.URL, e.Code)
	}
	return fmt.Sprintf("%s %s: %s", e.Op, e.URL, e.msg)
}

// Is maps gocloud's codes onto the standard file errors.
func (e *Error) Is(target error) bool {
	if e.sentinel != nil && target == e.sentinel {
		return true
	}
	switch target {
	case fs.ErrNotExist:
		return e.Code == gcerrors.NotFound
	case fs.ErrPermission:
		return e.Code == gcerrors.PermissionDenied
	case fs.ErrExist:
		return e.Code == gcerrors.AlreadyExists || e.Code == gcerrors.FailedPrecondition
	}
	return false
}

// wrap turns a driver error into an *Error naming op and where, scrubbed of
// secrets. A context error is kept as is so that cancellation stays visible.
func wrap(op string, where Location, err error) error {
	if err == nil {
		return nil
	}
	for _, target := range []error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, target) {
			return fmt.Errorf("%s %s: %w", op, where, target)
		}
	}
	e := &Error{Op: op, URL: where.String(), Code: gcerrors.Code(err), msg: scrub(err.Error(), where.secrets())}
	if errors.Is(err, ErrNoCredentials) {
		e.sentinel = ErrNoCredentials
	}
	if e.Code == gcerrors.NotFound {
		e.msg = "no such object or bucket" // the driver's text is a page of HTTP details
	}
	return e
}

// scrub replaces every secret in s, longest first so that a value inside the
// raw query does not leave half of the query behind.
func scrub(s string, secrets []string) string {
	for changed := true; changed; {
		changed = false
		longest := ""
		for _, sec := range secrets {
			if sec != "" && strings.Contains(s, sec) && len(sec) > len(longest) {
				longest = sec
			}
		}
		if longest != "" {
			s = strings.ReplaceAll(s, longest, "REDACTED")
			changed = true
		}
	}
	return s
}
