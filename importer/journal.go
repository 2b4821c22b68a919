package importer

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
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

// journal appends confirmed batches. Record blocks until the entry is on
// disk; concurrent callers share one fsync (group commit), so the journal
// keeps up with many small batches.
type journal struct {
	f *os.File

	mu      sync.Mutex // guards buf, ticket
	buf     bytes.Buffer
	ticket  uint64
	flushMu sync.Mutex // held while writing and syncing
	synced  uint64     // highest ticket on disk; guarded by flushMu
	err     error      // first write error; guarded by flushMu
}

// createJournal starts a new journal, replacing any old one.
func createJournal(path string, hdr journalHeader) (*journal, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create journal: %w", err)
	}
	j := &journal{f: f}
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
	return j, nil
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
	return &journal{f: f}, nil
}

// record makes e durable.
func (j *journal) record(e journalEntry) error {
	line, _ := json.Marshal(e)
	j.mu.Lock()
	j.buf.Write(line)
	j.buf.WriteByte('\n')
	j.ticket++
	mine := j.ticket
	j.mu.Unlock()

	j.flushMu.Lock()
	defer j.flushMu.Unlock()
	if j.synced >= mine {
		return j.err
	}
	j.mu.Lock()
	data := bytes.Clone(j.buf.Bytes())
	j.buf.Reset()
	upto := j.ticket
	j.mu.Unlock()
	if j.err == nil {
		if _, err := j.f.Write(data); err != nil {
			j.err = fmt.Errorf("write journal: %w", err)
		} else if err := j.f.Sync(); err != nil {
			j.err = fmt.Errorf("sync journal: %w", err)
		}
	}
	j.synced = upto
	return j.err
}

// recordSent journals the rows of items as confirmed.
func (j *journal) recordSent(items []*Item) error {
	if len(items) == 0 {
		return nil
	}
	byFile := map[int][]int{}
	order := []int{}
	for _, it := range items {
		if _, ok := byFile[it.fileIdx]; !ok {
			order = append(order, it.fileIdx)
		}
		byFile[it.fileIdx] = append(byFile[it.fileIdx], it.Row)
	}
	for _, f := range order {
		if err := j.record(journalEntry{File: f, Rows: byFile[f]}); err != nil {
			return err
		}
	}
	return nil
}

func (j *journal) close(complete bool) error {
	var err error
	if complete {
		err = j.record(journalEntry{Complete: true})
	}
	return errors.Join(err, j.f.Close())
}

// journalPath is where the journal of a report lives.
func journalPath(report string) string { return report + ".journal" }

// rowsString is for messages: a short list of row numbers.
func rowsString(rows []int) string {
	var b bytes.Buffer
	for i, r := range rows {
		if i == 8 {
			fmt.Fprintf(&b, " and %d more", len(rows)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(r))
	}
	return b.String()
}
