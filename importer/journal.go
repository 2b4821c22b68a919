package importer

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// journalVersion names the journal's format in its header line.
const journalVersion = "xonvo-import-journal/1"

// ErrInputChanged means --resume found a journal written for other input.
var ErrInputChanged = errors.New("input changed since the interrupted run")

// InputFingerprint ties a journal to one input file.
type InputFingerprint struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

type journalHeader struct {
	Journal string             `json:"journal"`
	Action  string             `json:"action"`
	Inputs  []InputFingerprint `json:"inputs"`
}

// journalEntry is one confirmed batch: the rows (per input file index) the
// server accepted. Complete marks a run that reached its end.
type journalEntry struct {
	File     int   `json:"f,omitempty"`
	Rows     []int `json:"r,omitempty"`
	Complete bool  `json:"complete,omitempty"`
}

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

// readJournal loads a journal. A torn last line (a crash mid-write) is
// ignored: it was never fsynced as confirmed.
func readJournal(path string) (journalHeader, sentRows, bool, error) {
	var hdr journalHeader
	f, err := os.Open(path)
	if err != nil {
		return hdr, nil, false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
	if !sc.Scan() {
		return hdr, nil, false, fmt.Errorf("journal %s is empty", path)
	}
	if err := json.Unmarshal(sc.Bytes(), &hdr); err != nil || hdr.Journal != journalVersion {
		return hdr, nil, false, fmt.Errorf("journal %s: not a journal of this tool", path)
	}
	sent := make(sentRows, len(hdr.Inputs))
	complete := false
	for sc.Scan() {
		var e journalEntry
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		if e.Complete {
			complete = true
			continue
		}
		if e.File < 0 || e.File >= len(sent) {
			continue
		}
		if sent[e.File] == nil {
			sent[e.File] = make(map[int]struct{})
		}
		for _, r := range e.Rows {
			sent[e.File][r] = struct{}{}
		}
	}
	return hdr, sent, complete, sc.Err()
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

// journal appends confirmed batches on its own goroutine. A worker hands it
// a confirmed batch and goes on to its next request; the journal writes every
// batch waiting, fsyncs once for all of them (group commit), and only then
// lets their rows be reported sent. So no row is reported sent before its
// confirmation is on disk, and no worker waits on the disk: under the write
// load of a large report an fsync here took milliseconds, and workers that
// waited on it cut the import's throughput by a third.
type journal struct {
	f       *os.File
	in      chan journalJob
	quit    chan struct{}
	drained bool
	err     error // first write error; owned by the goroutine until quit closes
}

// journalJob is one confirmed batch and what to do once it is durable (or
// failed to be made so).
type journalJob struct {
	items []*Item
	then  func(error)
}

func startJournal(f *os.File) *journal {
	j := &journal{f: f, in: make(chan journalJob, 64), quit: make(chan struct{})}
	go j.loop()
	return j
}

// createJournal starts a new journal, replacing any old one.
func createJournal(path string, hdr journalHeader) (*journal, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create journal: %w", err)
	}
	hdr.Journal = journalVersion
	line, _ := json.Marshal(hdr)
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return nil, fmt.Errorf("write journal: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("sync journal: %w", err)
	}
	return startJournal(f), nil
}

// appendJournal reopens an existing journal to go on after a resume.
func appendJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open journal: %w", err)
	}
	// A torn last line from a crash would glue onto the next entry: start
	// on a fresh line; readJournal skips the blank or torn one.
	if _, err := f.Write([]byte("\n")); err != nil {
		f.Close()
		return nil, fmt.Errorf("write journal: %w", err)
	}
	return startJournal(f), nil
}

// confirm records items as sent and calls then once that is on disk.
func (j *journal) confirm(items []*Item, then func(error)) {
	j.in <- journalJob{items: items, then: then}
}

func (j *journal) loop() {
	defer close(j.quit)
	var buf []byte
	for job := range j.in {
		jobs := []journalJob{job}
	more:
		for len(jobs) < cap(j.in) {
			select {
			case next, ok := <-j.in:
				if !ok {
					break more
				}
				jobs = append(jobs, next)
			default:
				break more
			}
		}
		buf = buf[:0]
		for _, jb := range jobs {
			buf = appendEntries(buf, jb.items)
		}
		if j.err == nil {
			if _, err := j.f.Write(buf); err != nil {
				j.err = fmt.Errorf("write journal: %w", err)
			} else if err := j.f.Sync(); err != nil {
				j.err = fmt.Errorf("sync journal: %w", err)
			}
		}
		for _, jb := range jobs {
			jb.then(j.err)
		}
	}
}

// appendEntries appends one line per input file of items: the rows the
// server accepted.
func appendEntries(b []byte, items []*Item) []byte {
	done := make(map[int]bool, 1)
	for i, first := range items {
		if done[first.fileIdx] {
			continue
		}
		done[first.fileIdx] = true
		e := journalEntry{File: first.fileIdx}
		for _, it := range items[i:] {
			if it.fileIdx == first.fileIdx {
				e.Rows = append(e.Rows, it.Row)
			}
		}
		line, _ := json.Marshal(e)
		b = append(append(b, line...), '\n')
	}
	return b
}

// drain waits for every confirmation to be written and its rows handed on.
// No confirm may follow.
func (j *journal) drain() {
	if j.drained {
		return
	}
	j.drained = true
	close(j.in)
	<-j.quit
}

// close drains the journal and, for a run that reached its end, marks it
// complete.
func (j *journal) close(complete bool) error {
	j.drain()
	err := j.err
	if complete && err == nil {
		line, _ := json.Marshal(journalEntry{Complete: true})
		if _, werr := j.f.Write(append(line, '\n')); werr != nil {
			err = fmt.Errorf("write journal: %w", werr)
		} else if serr := j.f.Sync(); serr != nil {
			err = fmt.Errorf("sync journal: %w", serr)
		}
	}
	return errors.Join(err, j.f.Close())
}

// journalPath is where the journal of a report lives.
func journalPath(report string) string { return report + ".journal" }
