package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
)

// ErrInputChanged means --resume found a journal written for other input.
var ErrInputChanged = errors.New("input changed since the interrupted run")

// ErrJournalAction means --resume found a journal of another command or
// mode: resuming it would report rows already done that this command never
// touched.
var ErrJournalAction = errors.New("the journal belongs to another command")

// ErrJournalDamaged means the journal's header cannot be read although its
// entries confirm rows: it cannot be matched to the input.
var ErrJournalDamaged = errors.New("the journal's header is damaged")

// resumePolicy decides, from the journal beside the report, whether this run
// goes on from an interrupted one (the rows it confirmed are already sent)
// or starts afresh.
type resumePolicy struct {
	path   string // the journal
	action string // this run's Action.Key
	resume bool   // --resume
	log    *slog.Logger
}

// open returns the journal to append to and the rows it already confirms.
// print fingerprints one input.
func (p resumePolicy) open(ctx context.Context, files []string, print func(context.Context, string) (InputFingerprint, error)) (*journal, sentRows, error) {
	var prints []InputFingerprint
	for _, f := range files {
		fp, err := print(ctx, f)
		if err != nil {
			return nil, nil, err
		}
		prints = append(prints, fp)
	}
	fresh := func() (*journal, sentRows, error) {
		j, err := createJournal(p.path, journalHeader{Action: p.action, Inputs: prints})
		return j, nil, err
	}
	if !p.resume {
		return fresh()
	}
	jc, err := readJournal(p.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		p.log.Info("no journal to resume from; starting a new run", "journal", p.path)
		return fresh()
	case err != nil:
		return nil, nil, fmt.Errorf("resume: read %s: %w", p.path, err)
	case !jc.headerOK && jc.rows == 0:
		p.log.Warn("the journal is empty or its header is torn (a run killed as it started); it confirms no row, so a new run starts", "journal", p.path)
		return fresh()
	case !jc.headerOK:
		return nil, nil, fmt.Errorf("resume: %w: %s confirms %d row(s) but its first line is not a journal header of this tool, so it cannot be matched to the input; "+
			"run without --resume to send every row again (the API keys leads by externalId, so a lead sent again is updated, not duplicated), or restore the journal",
			ErrJournalDamaged, p.path, jc.rows)
	case jc.header.Action != p.action:
		return nil, nil, fmt.Errorf("resume: %w: %s was written by a %q run, this run is %q; give this command its own --report, or run without --resume to start over",
			ErrJournalAction, p.path, jc.header.Action, p.action)
	}
	diff := sameInputs(jc.header.Inputs, prints)
	switch {
	case diff == "":
		j, err := appendJournal(p.path)
		if err != nil {
			return nil, nil, err
		}
		return j, jc.sent, nil
	case jc.complete:
		p.log.Info("the journal's run completed and the input is new; starting a new run", "journal", p.path)
		return fresh()
	}
	return nil, nil, fmt.Errorf("resume: %w: %s; the journal %s belongs to the old input: run without --resume to start over",
		ErrInputChanged, diff, p.path)
}

// journalPath is where the journal of a report lives.
func journalPath(report string) string { return report + ".journal" }

// fingerprint reads path once to take its size and SHA-256.
func fingerprint(ctx context.Context, path string) (InputFingerprint, error) {
	f, err := os.Open(path)
	if err != nil {
		return InputFingerprint{}, fmt.Errorf("fingerprint %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, ctxReader{ctx: ctx, r: f})
	if err != nil {
		return InputFingerprint{}, fmt.Errorf("fingerprint %s: %w", path, err)
	}
	return InputFingerprint{Path: path, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// ctxReader stops a long read when ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// sentRows is the set of rows a journal confirms, per input file.
type sentRows []map[int]struct{}

func (s sentRows) has(file, row int) bool {
	if file >= len(s) || s[file] == nil {
		return false
	}
	_, ok := s[file][row]
	return ok
}

// sameInputs says how inputs differ from the journal's, or "" when equal.
func sameInputs(journal, now []InputFingerprint) string {
	if len(journal) != len(now) {
		return fmt.Sprintf("the journal names %d input file(s), this run %d", len(journal), len(now))
	}
	for i := range now {
		j, n := journal[i], now[i]
		if j.Size != n.Size || j.SHA256 != n.SHA256 {
			return fmt.Sprintf("%s was %d bytes (sha256 %.12s…), now %d bytes (sha256 %.12s…)",
				n.Path, j.Size, j.SHA256, n.Size, n.SHA256)
		}
	}
	return ""
}
