package reports

import (
	"errors"
	"io"
)

// PrivateFile is a file written in full and then moved into place: a
// temporary file beside the target, mode 0600, created without following a
// link planted at its name; Commit renames it onto the target, so readers
// see the old file or the whole new one, and a link at the target is
// replaced, never written through. A killed writer leaves only the
// temporary file, which CleanStale removes. The run's payloads file is one.
type PrivateFile struct {
	af *atomicFile
}

// CreatePrivate starts a private file that becomes path on Commit.
func CreatePrivate(path string) (*PrivateFile, error) {
	af, err := createAtomic(path, reportPerm)
	if err != nil {
		return nil, err
	}
	return &PrivateFile{af: af}, nil
}

// Writer is where the content goes.
func (p *PrivateFile) Writer() io.Writer { return p.af }

// Commit syncs the file and moves it onto its target.
func (p *PrivateFile) Commit() error { return p.af.commit() }

// Abort removes the temporary file; after Commit it does nothing.
func (p *PrivateFile) Abort() error {
	err := p.af.abort()
	if errors.Is(err, ErrClosed) {
		return nil
	}
	return err
}
