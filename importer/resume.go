package importer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/xonvo/xonvo-import/source"
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
func (p resumePolicy) open(ctx context.Context, n int, print func(context.Context, int) (InputFingerprint, error)) (*journal, sentRows, error) {
	var prints []InputFingerprint
	for i := range n {
		fp, err := print(ctx, i)
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

// fingerprintOf is an input's content fingerprint, for the journal: size
// and SHA-256 of a file (or of stdin's spooled copy), size and ETag of an
// object.
func fingerprintOf(ctx context.Context, in *source.Input) (InputFingerprint, error) {
	fp, err := in.Fingerprint(ctx)
	if err != nil {
		return InputFingerprint{}, fmt.Errorf("fingerprint %s: %w", in.Name(), err)
	}
	return InputFingerprint{Path: in.Name(), Size: fp.Size, SHA256: fp.SHA256, ETag: fp.ETag, Key: fp.Key}, nil
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
		if j.Size != n.Size || j.SHA256 != n.SHA256 || j.ETag != n.ETag || j.Key != n.Key {
			return fmt.Sprintf("%s was %d bytes (%s), now %d bytes (%s)", n.Path, j.Size, j.content(), n.Size, n.content())
		}
	}
	return ""
}
