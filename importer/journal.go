package importer

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/xonvo/xonvo-import/internal/fsync"
)

// journalVersion names the journal's format in its header line.
const journalVersion = "xonvo-import-journal/1"

// journalPerm is the journal's mode: it names the input files.
const journalPerm = 0o600

// InputFingerprint ties a journal to one input: its size and SHA-256 (a
// file, stdin), or its size, ETag and key (an object in a bucket).
type InputFingerprint struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256,omitempty"`
	ETag   string `json:"etag,omitempty"`
	Key    string `json:"key,omitempty"`
}

// content names the fingerprint's content identity for messages.
func (f InputFingerprint) content() string {
	if f.SHA256 != "" {
		return fmt.Sprintf("sha256 %.12s…", f.SHA256)
	}
	return "etag " + f.ETag
}

// journalHeader is a journal's first line: what the run did, to which
// inputs. Action is the action's stable key (Action.Key), so a journal
// written by one command is never resumed by another.
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

// journal appends confirmed batches on its own goroutine. A worker hands it
// a confirmed batch and goes on to its next request; the journal writes every
// batch waiting, fsyncs once for all of them (group commit), and only then
// lets their rows be reported sent. So no row is reported sent before its
// confirmation is on disk, and no worker waits on the disk: under the write
// load of a large report an fsync here took milliseconds, and workers that
// waited on it cut the import's throughput by a third.
//
// A batch confirmed less than journalSyncGap after the last sync ended
// waits out the rest of that gap, and the batches that come meanwhile share
// its sync; a group that fills (journalGroup batches) is synced at once, and
// so is the last one when the journal is drained. Each fsync commits the
// filesystem's journal and flushes the disk's cache, with the report being
// written beside it; on a million-row loopback import, syncing each group as
// it came was 2,300 syncs and runs of 7.4-7.7 s; with this gap, 490 syncs
// and 6.9-7.1 s (no sync at all: 5.7-7.0 s). A row still waits for its own
// sync before it is reported sent: the gap delays that by 10 ms at most.
type journal struct {
	f *os.File
	// afterSync, when set, is called with every item of a group once the
	// group is on disk (the --state recorder), before their rows are
	// reported sent.
	afterSync func([]*Item) error
	in        chan journalJob
	quit      chan struct{}
	drained   bool
	err       error // first write error; owned by the goroutine until quit closes

	// gap is the least time from the end of one sync to the next; now and
	// wait are the clock (tests pass their own): wait returns a channel
	// that fires after d, and a function that lets it go.
	gap  time.Duration
	now  func() time.Time
	wait func(d time.Duration) (<-chan time.Time, func())
}

// journalSyncGap is the least time from the end of one sync of the journal
// to the next, unless a group fills or the journal is drained.
const journalSyncGap = 10 * time.Millisecond

// journalGroup is the most batches one sync covers: the jobs channel's room,
// so that a worker never waits for a gap to end.
const journalGroup = 64

// journalJob is one confirmed batch and what to do once it is durable (or
// failed to be made so).
type journalJob struct {
	items []*Item
	then  func(error)
}

func startJournal(f *os.File) *journal {
	return startJournalClock(f, journalSyncGap, time.Now, timerWait)
}

// startJournalClock is startJournal with the gap between syncs and the clock
// given.
func startJournalClock(f *os.File, gap time.Duration, now func() time.Time,
	wait func(time.Duration) (<-chan time.Time, func())) *journal {
	j := &journal{f: f, in: make(chan journalJob, journalGroup), quit: make(chan struct{}),
		gap: gap, now: now, wait: wait}
	go j.loop()
	return j
}

// timerWait is the journal's wait on the real clock.
func timerWait(d time.Duration) (<-chan time.Time, func()) {
	t := time.NewTimer(d)
	return t.C, func() { t.Stop() }
}

// journalContent is what a journal file holds.
type journalContent struct {
	header   journalHeader
	headerOK bool     // the first line is a journal header of this tool
	sent     sentRows // confirmed rows per input (by the header's inputs)
	rows     int      // confirmed rows in all
	complete bool     // the run reached its end
}

// readJournal loads a journal. A torn last line (a crash mid-write) is
// ignored: it was never fsynced as confirmed. An empty file, or one whose
// header is torn or foreign, comes back with headerOK false and the rows
// its entries still confirm, for the caller to decide.
func readJournal(path string) (journalContent, error) {
	var jc journalContent
	f, err := os.Open(path)
	if err != nil {
		return jc, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 64*1024*1024)
	if !sc.Scan() {
		return jc, sc.Err()
	}
	jc.headerOK = json.Unmarshal(sc.Bytes(), &jc.header) == nil && jc.header.Journal == journalVersion
	jc.sent = make(sentRows, len(jc.header.Inputs))
	for sc.Scan() {
		var e journalEntry
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		if e.Complete {
			jc.complete = true
			continue
		}
		jc.rows += len(e.Rows)
		if e.File < 0 || e.File >= len(jc.sent) {
			continue
		}
		if jc.sent[e.File] == nil {
			jc.sent[e.File] = make(map[int]struct{})
		}
		for _, r := range e.Rows {
			jc.sent[e.File][r] = struct{}{}
		}
	}
	return jc, sc.Err()
}

// createJournal starts a new journal, replacing any old one. The header is
// written to a new private file beside it, fsynced and renamed into place:
// a link planted at the journal's path is replaced, never written through,
// and the journal is 0600 whatever an old one's mode was.
func createJournal(path string, hdr journalHeader) (*journal, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create journal: %w", err)
	}
	fail := func(err error) (*journal, error) {
		f.Close()
		_ = os.Remove(f.Name())
		return nil, err
	}
	hdr.Journal = journalVersion
	line, _ := json.Marshal(hdr)
	if err := f.Chmod(journalPerm); err != nil {
		return fail(fmt.Errorf("create journal: %w", err))
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		return fail(fmt.Errorf("write journal: %w", err))
	}
	if err := f.Sync(); err != nil {
		return fail(fmt.Errorf("sync journal: %w", err))
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fail(fmt.Errorf("create journal: %w", err))
	}
	fsync.Dir(dir)
	return startJournal(f), nil
}

// appendJournal reopens an existing journal to go on after a resume. It
// refuses a symbolic link rather than append through it, and makes an old
// journal private.
func appendJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|syscall.O_NOFOLLOW, journalPerm)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("open journal: %s is a symbolic link; refusing to write through it", path)
	}
	if err != nil {
		return nil, fmt.Errorf("open journal: %w", err)
	}
	if err := f.Chmod(journalPerm); err != nil {
		f.Close()
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
	var synced time.Time // when the last sync ended; zero before the first
	for job := range j.in {
		jobs := []journalJob{job}
		if !synced.IsZero() {
			jobs = j.waitGap(jobs, j.gap-j.now().Sub(synced))
		}
	more:
		for len(jobs) < journalGroup {
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
			synced = j.now()
		}
		if j.err == nil && j.afterSync != nil {
			var all []*Item
			for _, jb := range jobs {
				all = append(all, jb.items...)
			}
			if err := j.afterSync(all); err != nil {
				j.err = fmt.Errorf("record in --state: %w", err)
			}
		}
		for _, jb := range jobs {
			jb.then(j.err)
		}
	}
}

// waitGap waits out what is left of the gap (nothing when left <= 0),
// adding to jobs the batches that come meanwhile. It returns early when the
// group is full or the journal is being drained, so the end of a run never
// waits for it.
func (j *journal) waitGap(jobs []journalJob, left time.Duration) []journalJob {
	if left <= 0 {
		return jobs
	}
	fire, release := j.wait(left)
	defer release()
	for len(jobs) < journalGroup {
		select {
		case next, ok := <-j.in:
			if !ok {
				return jobs
			}
			jobs = append(jobs, next)
		case <-fire:
			return jobs
		}
	}
	return jobs
}

// appendEntries appends one line per input file of items: the rows the
// server accepted, as json.Marshal writes a journalEntry. It is written by
// hand: json.Marshal, a map of files done and a slice of rows per batch
// were half of the journal's own CPU on a million-row import. Items of one
// file are the usual batch; several files take a pass each.
func appendEntries(b []byte, items []*Item) []byte {
	for i, first := range items {
		if seenFileBefore(items[:i], first.fileIdx) {
			continue
		}
		b = append(b, '{')
		if first.fileIdx != 0 {
			b = append(b, `"f":`...)
			b = strconv.AppendInt(b, int64(first.fileIdx), 10)
			b = append(b, ',')
		}
		b = append(b, `"r":[`...)
		for j, it := range items[i:] {
			if it.fileIdx != first.fileIdx {
				continue
			}
			if j > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(it.Row), 10)
		}
		b = append(b, "]}\n"...)
	}
	return b
}

// seenFileBefore reports whether an item of file is among items.
func seenFileBefore(items []*Item, file int) bool {
	for _, it := range items {
		if it.fileIdx == file {
			return true
		}
	}
	return false
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
