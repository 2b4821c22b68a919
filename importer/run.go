package importer

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/source"
)

// Defaults chosen conservatively, since the API documents no limits.
const (
	DefaultBatchRows   = 100
	DefaultBatchBytes  = 1 << 20
	DefaultWindow      = 10_000
	DefaultConcurrency = 4
	DefaultGrace       = 5 * time.Second
)

// Why a run stopped before its end (reports.Summary.Stopped).
const (
	StopInterrupted = "interrupted"
	StopMaxErrors   = "max-errors"
	StopAuth        = "auth"
	StopUnreachable = "unreachable"
	StopFatal       = "fatal"
)

// ErrAuthFailed wraps the API's refusal of the credentials.
var ErrAuthFailed = errors.New("authentication failed")

// ErrUnreachable means no request of the run got through to the server.
var ErrUnreachable = errors.New("server unreachable")

// Options configure one run.
type Options struct {
	Files   []string
	Mapping *mapping.Config
	Action  Action
	// DryRun validates and writes the report (and payloads) without sending.
	DryRun       bool
	ReportPath   string
	PayloadsPath string // dry run: the exact request bodies, one per line
	BatchRows    int
	BatchBytes   int
	Window       int
	Concurrency  int
	MaxErrors    int
	Resume       bool
	// Grace is how long in-flight requests may finish after an interrupt.
	Grace  time.Duration
	Source source.Options
	// OnNewAccount is called once for each account id the run will send to.
	OnNewAccount func(string)
	Progress     *Progress
	Logger       *slog.Logger
	Now          func() time.Time
}

// Progress is updated while a run goes; another goroutine may read it.
type Progress struct {
	Read  atomic.Int64 // rows read
	Done  atomic.Int64 // rows with a final status
	Sent  atomic.Int64 // rows the server accepted
	Bytes atomic.Int64 // input bytes read (sum over files)
	Total atomic.Int64 // input bytes in all (0 if unknown)
}

func (o *Options) defaults() error {
	if len(o.Files) == 0 {
		return errors.New("no input file given")
	}
	if o.Mapping == nil || o.Action == nil {
		return errors.New("a mapping and an action are required")
	}
	if o.ReportPath == "" {
		return errors.New("a report path is required")
	}
	if o.BatchRows <= 0 {
		o.BatchRows = DefaultBatchRows
	}
	if !o.Action.Batched() {
		o.BatchRows = 1
	}
	if o.BatchBytes <= 0 {
		o.BatchBytes = DefaultBatchBytes
	}
	if o.Window <= 0 {
		o.Window = max(DefaultWindow, 4*o.BatchRows)
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Grace <= 0 {
		o.Grace = DefaultGrace
	}
	if o.Progress == nil {
		o.Progress = &Progress{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return nil
}

// input is one opened file with its mapper and its columns' places in the
// report.
type input struct {
	src    source.Source
	mapper *mapping.Mapper
	align  []int // report column of each of the file's columns; nil = same order
}

// run holds the state of one Run call.
type run struct {
	opts    Options
	inputs  []input
	width   int // original columns in the report (before extra columns)
	coll    *collector
	journal *journal
	sent    sentRows // confirmed by a previous run (--resume)
	payload *bufio.Writer
	payMu   sync.Mutex

	stopOnce   sync.Once
	stopReason atomic.Value // string
	stopRead   context.CancelFunc
	stopSend   context.CancelFunc
	sendCtx    context.Context
	readCtx    context.Context
	anySuccess atomic.Bool
	fatal      atomic.Value // error
	errorRows  atomic.Int64 // invalid, duplicate, rejected and failed rows, for --max-errors

	requests, retries, resends, splits, bytes atomic.Int64
}

// Run reads, maps, validates and sends opts.Files, writing one report row per
// data row. The summary is returned with the error, if any, so a failed run
// still tells what it did. Errors that stop a run before any row is read
// (mapping, unreadable input, journal mismatch) leave no report.
func Run(ctx context.Context, opts Options) (reports.Summary, error) {
	start := time.Now()
	summary := reports.Summary{Files: opts.Files, DryRun: opts.DryRun}
	if err := opts.defaults(); err != nil {
		return summary, err
	}
	r := &run{opts: opts}
	defer r.closeInputs()
	if err := r.openInputs(ctx); err != nil {
		return summary, err
	}
	header := r.reportHeader()
	// A report path in a directory that does not exist yet (out/report.csv)
	// is created, as a person giving that path expects; the journal lives
	// there too.
	for _, p := range []string{opts.ReportPath, opts.PayloadsPath} {
		if p == "" {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return summary, fmt.Errorf("create the directory of %s: %w", p, err)
		}
	}
	if !opts.DryRun {
		if err := r.openJournal(ctx); err != nil {
			return summary, err
		}
	}
	w, err := reports.Create(opts.ReportPath, append(header, opts.Action.ExtraColumns()...))
	if err != nil {
		r.closeJournal(false)
		return summary, err
	}
	if opts.DryRun && opts.PayloadsPath != "" {
		pf, err := os.OpenFile(opts.PayloadsPath, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			_ = w.Abort()
			return summary, fmt.Errorf("payloads: %w", err)
		}
		defer pf.Close()
		r.payload = bufio.NewWriterSize(pf, 256<<10)
	}

	r.readCtx, r.stopRead = context.WithCancel(ctx)
	defer r.stopRead()
	r.sendCtx, r.stopSend = context.WithCancel(context.WithoutCancel(ctx))
	defer r.stopSend()
	go func() { // an interrupt gives in-flight requests a grace period
		select {
		case <-ctx.Done():
			r.stop(StopInterrupted)
			t := time.NewTimer(opts.Grace)
			defer t.Stop()
			select {
			case <-t.C:
				r.stopSend()
			case <-r.sendCtx.Done():
			}
		case <-r.sendCtx.Done():
		}
	}()
	r.coll = startCollector(w, func(err error) {
		r.setFatal(err)
		r.stop(StopFatal)
	})

	entered, readErr := r.pipeline()
	if r.journal != nil {
		r.journal.drain() // its last confirmed rows go to the report first
	}
	if ctx.Err() != nil {
		r.stop(StopInterrupted)
	}

	counts, collErr := r.coll.result(entered)
	summary.Counts = counts
	summary.Rows = entered
	summary.Requests = r.requests.Load()
	summary.Retries = r.retries.Load()
	summary.Resends = r.resends.Load()
	summary.Splits = r.splits.Load()
	summary.Bytes = r.bytes.Load()
	summary.Duration = time.Since(start)
	summary.Stopped = r.reason()

	runErr := errors.Join(readErr, collErr, r.fatalErr())
	if runErr != nil && summary.Stopped == "" {
		summary.Stopped = StopFatal
	}
	if r.payload != nil {
		if err := r.payload.Flush(); err != nil {
			runErr = errors.Join(runErr, fmt.Errorf("payloads: %w", err))
		}
	}
	complete := runErr == nil && summary.Stopped == ""
	if err := r.closeJournal(complete); err != nil {
		runErr = errors.Join(runErr, err)
	}
	if collErr != nil {
		_ = w.Abort()
		return summary, runErr
	}
	if err := w.Finish(summary); err != nil {
		runErr = errors.Join(runErr, err)
	}
	return summary, runErr
}

func (r *run) openInputs(ctx context.Context) error {
	srcOpts := r.opts.Source
	m := r.opts.Mapping
	if srcOpts.Sheet == "" {
		srcOpts.Sheet = m.Source.Sheet
	}
	if srcOpts.Encoding == "" {
		srcOpts.Encoding = m.Source.Encoding
	}
	if srcOpts.Delimiter == 0 && m.Source.Delimiter != "" {
		d, err := source.DelimiterFromName(m.Source.Delimiter)
		if err != nil {
			return fmt.Errorf("mapping source.delimiter: %w", err)
		}
		srcOpts.Delimiter = d
	}
	_, single := r.opts.Action.(SingleLeads)
	for _, path := range r.opts.Files {
		src, err := source.Open(ctx, path, srcOpts)
		if err != nil {
			return err
		}
		r.inputs = append(r.inputs, input{src: src})
		mp, err := m.Bind(src.Header(), mapping.BindOptions{Kind: r.opts.Action.Kind(), SingleLead: single, File: path})
		if err != nil {
			return err
		}
		r.inputs[len(r.inputs)-1].mapper = mp
		if _, total := src.Progress(); total > 0 {
			r.opts.Progress.Total.Add(total)
		}
		for _, w := range src.Warnings() {
			r.opts.Logger.Warn(w)
		}
	}
	return nil
}

func (r *run) closeInputs() {
	for _, in := range r.inputs {
		_ = in.src.Close()
	}
}

// reportHeader is the union of the files' headers in first-seen order; each
// input learns where its columns go.
func (r *run) reportHeader() []string {
	var header []string
	index := map[string]int{}
	for i := range r.inputs {
		h := r.inputs[i].src.Header()
		align := make([]int, len(h))
		same := i == 0
		for c, name := range h {
			pos, ok := index[name]
			if !ok || (i == 0 && ok) {
				// A name repeated within one file keeps its own column.
				pos = len(header)
				header = append(header, name)
				if !ok {
					index[name] = pos
				}
			}
			align[c] = pos
			same = same && pos == c
		}
		if !same {
			r.inputs[i].align = align
		}
	}
	r.width = len(header)
	return header
}

func (r *run) openJournal(ctx context.Context) error {
	path := journalPath(r.opts.ReportPath)
	var prints []InputFingerprint
	for _, f := range r.opts.Files {
		fp, err := fingerprint(ctx, f)
		if err != nil {
			return err
		}
		prints = append(prints, fp)
	}
	hdr := journalHeader{Action: fmt.Sprintf("%T", r.opts.Action), Inputs: prints}
	if r.opts.Resume {
		old, sent, complete, err := readJournal(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
			r.opts.Logger.Info("no journal to resume from; starting a new run", "journal", path)
		case err != nil:
			return fmt.Errorf("resume: %w", err)
		default:
			diff := sameInputs(old.Inputs, prints)
			switch {
			case diff == "":
				j, err := appendJournal(path)
				if err != nil {
					return err
				}
				r.journal, r.sent = j, sent
				return nil
			case complete:
				r.opts.Logger.Info("the journal's run completed and the input is new; starting a new run", "journal", path)
			default:
				return fmt.Errorf("resume: %w: %s; the journal %s belongs to the old input: run without --resume to start over",
					ErrInputChanged, diff, path)
			}
		}
	}
	j, err := createJournal(path, hdr)
	if err != nil {
		return err
	}
	r.journal = j
	return nil
}

func (r *run) closeJournal(complete bool) error {
	if r.journal == nil {
		return nil
	}
	j := r.journal
	r.journal = nil
	return j.close(complete)
}

// stop ends reading (and, for auth and unreachable, sending) once.
func (r *run) stop(reason string) {
	r.stopOnce.Do(func() {
		r.stopReason.Store(reason)
		r.stopRead()
		if reason == StopAuth || reason == StopUnreachable {
			r.stopSend()
		}
	})
}

func (r *run) reason() string {
	s, _ := r.stopReason.Load().(string)
	return s
}

func (r *run) setFatal(err error) {
	r.fatal.CompareAndSwap(nil, err)
}

func (r *run) fatalErr() error {
	err, _ := r.fatal.Load().(error)
	return err
}

// notSentMessage says why rows were not sent after a stop.
func (r *run) notSentMessage() string {
	switch r.reason() {
	case StopInterrupted:
		return "not sent: the run was interrupted before this row was sent"
	case StopMaxErrors:
		return fmt.Sprintf("not sent: the run stopped after --max-errors %d was reached", r.opts.MaxErrors)
	case StopAuth:
		return "not sent: authentication failed (the row's data was not checked by the server)"
	case StopUnreachable:
		return "not sent: the server was unreachable"
	default:
		return "not sent: the run stopped before this row was sent"
	}
}

// pipeline reads every input, hands valid rows to the workers and waits for
// them. It returns how many rows entered the run.
func (r *run) pipeline() (int64, error) {
	work := make(chan *batch, r.opts.Concurrency)
	var wg sync.WaitGroup
	if !r.opts.DryRun {
		for range r.opts.Concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for b := range work {
					r.process(b)
				}
			}()
		}
	}
	emit := func(b *batch) {
		if r.opts.DryRun {
			r.writePayload(b)
			return
		}
		work <- b
	}
	var bt *batcher
	if r.opts.DryRun && r.payload == nil {
		bt = nil
	} else {
		onNew := r.opts.OnNewAccount
		if r.opts.DryRun {
			onNew = nil
		}
		bt = newBatcher(r.opts.BatchRows, r.opts.BatchBytes, int64(r.opts.Window), emit, onNew)
	}
	seq, err := r.readAll(bt)
	if bt != nil {
		bt.flush()
	}
	close(work)
	wg.Wait()
	return seq, err
}

// chunk is a run of records of one input, handed from the reading
// goroutine to the mapping one; err ends the input (io.EOF at its end).
type chunk struct {
	file int
	recs []source.Record
	err  error
}

// chunkSize is how many records travel together between the goroutines.
const chunkSize = 256

// readRecords reads every input in order on its own goroutine, so decoding
// the file overlaps mapping and validating it. Reading goes on after a stop:
// rows not reached must still be reported, as not_sent.
func (r *run) readRecords(out chan<- chunk) {
	defer close(out)
	ctx := context.WithoutCancel(r.readCtx)
	for fi, in := range r.inputs {
		var lastBytes int64
		c := chunk{file: fi, recs: make([]source.Record, 0, chunkSize)}
		for {
			rec, err := in.src.Next(ctx)
			if err != nil {
				c.err = err
				break
			}
			c.recs = append(c.recs, rec)
			if len(c.recs) == chunkSize {
				out <- c
				c = chunk{file: fi, recs: make([]source.Record, 0, chunkSize)}
				if done, _ := in.src.Progress(); done > lastBytes {
					r.opts.Progress.Bytes.Add(done - lastBytes)
					lastBytes = done
				}
			}
		}
		if done, _ := in.src.Progress(); done > lastBytes {
			r.opts.Progress.Bytes.Add(done - lastBytes)
		}
		out <- c
		if !errors.Is(c.err, io.EOF) {
			return
		}
	}
}

// readAll maps, validates and dispatches every record in input order.
// Rows read after a stop are reported not_sent without being mapped, so the
// report still holds every row.
func (r *run) readAll(bt *batcher) (int64, error) {
	var seq int64
	encode := !r.opts.DryRun || r.payload != nil
	dedupe := mapping.NewDeduper()
	ob := &outbox{c: r.coll}
	defer ob.flush()
	chunks := make(chan chunk, 4)
	go r.readRecords(chunks)
	defer func() {
		for range chunks { // let the reader finish if mapping stopped early
		}
	}()
	// m and it are reused row after row: both are passed by pointer through
	// interface calls, which would otherwise move a fresh copy of each to
	// the heap for every row (≈700 bytes a row). A row that goes on to a
	// batch gets its own Item.
	var m mapping.Result
	it := new(Item)
	scratch := make([]byte, 0, 1024)
	for c := range chunks {
		fi, in := c.file, r.inputs[c.file]
		name := in.src.Name()
		for _, rec := range c.recs {
			r.opts.Progress.Read.Add(1)
			res := reports.RowResult{File: name, Row: rec.Row, Original: r.align(in, rec.Cells)}
			cur := seq
			seq++
			if r.readCtx.Err() != nil {
				res.Status, res.Message = reports.StatusNotSent, r.notSentMessage()
				r.finish(ob, cur, res)
				continue
			}
			if rec.Problem != "" {
				res.Status, res.Message = reports.StatusInvalid, rec.Problem
				r.finish(ob, cur, res)
				continue
			}
			m = in.mapper.Map(rec.Cells)
			res.AccountID, res.ExternalID, res.Phone = m.AccountID, m.Lead.ExternalID, m.Lead.Phone
			if !m.Valid() {
				res.Status, res.Message = reports.StatusInvalid, m.Message()
				r.finish(ob, cur, res)
				continue
			}
			if msg, dup := dedupe.Check(m.AccountID, m.Lead.ExternalID, m.Lead.Phone, name, rec.Row); dup {
				res.Status, res.Message = reports.StatusDuplicate, joinMessage(msg, m.Message())
				r.finish(ob, cur, res)
				continue
			}
			*it = Item{seq: cur, fileIdx: fi, File: name, Row: rec.Row, Original: res.Original,
				AccountID: m.AccountID, ExternalID: m.Lead.ExternalID, Phone: m.Lead.Phone, Message: m.Message()}
			if msg := r.opts.Action.Prepare(&m, it); msg != "" {
				res.Status, res.Message = reports.StatusInvalid, joinMessage(msg, m.Message())
				r.finish(ob, cur, res)
				continue
			}
			if r.sent.has(fi, rec.Row) {
				res.Status, res.Message = reports.StatusAlreadySent, joinMessage("confirmed sent by the interrupted run", it.Message)
				r.finish(ob, cur, res)
				continue
			}
			if encode {
				var err error
				if scratch, err = r.opts.Action.Encode(it, scratch); err != nil {
					res.Status, res.Message = reports.StatusInvalid, err.Error()
					r.finish(ob, cur, res)
					continue
				}
			}
			if r.opts.DryRun {
				res.Status, res.Message = reports.StatusValid, it.Message
				r.finish(ob, cur, res)
				it.Original = nil
			}
			if bt != nil {
				own := new(Item)
				*own = *it
				bt.add(own)
			}
		}
		if c.err != nil && !errors.Is(c.err, io.EOF) {
			return seq, c.err
		}
	}
	return seq, nil
}

func joinMessage(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// align places a file's cells in the report's original columns.
func (r *run) align(in input, cells []string) []string {
	if in.align == nil && len(cells) == r.width {
		return cells
	}
	out := make([]string, r.width)
	for i, c := range cells {
		switch {
		case in.align != nil && i < len(in.align):
			out[in.align[i]] = c
		case in.align == nil && i < r.width:
			out[i] = c
		}
	}
	return out
}

// finish hands a row's final result to ob. --max-errors is counted here,
// where the row finishes, so the run stops at exactly the Nth error.
func (r *run) finish(ob *outbox, seq int64, res reports.RowResult) {
	r.opts.Progress.Done.Add(1)
	switch res.Status {
	case reports.StatusSent:
		r.opts.Progress.Sent.Add(1)
	case reports.StatusInvalid, reports.StatusDuplicate, reports.StatusRejected, reports.StatusFailed:
		if n := r.errorRows.Add(1); r.opts.MaxErrors > 0 && n == int64(r.opts.MaxErrors) {
			r.stop(StopMaxErrors)
		}
	}
	ob.add(seq, res)
}

func (r *run) writePayload(b *batch) {
	body := r.opts.Action.Body(b.items)
	if body == nil || r.payload == nil {
		return
	}
	r.payMu.Lock()
	defer r.payMu.Unlock()
	_, _ = r.payload.Write(body) // a write error surfaces at Flush
	_ = r.payload.WriteByte('\n')
}

// process sends one batch and reports its rows.
func (r *run) process(b *batch) {
	if r.readCtx.Err() != nil {
		r.finishItems(b.items, reports.StatusNotSent, r.notSentMessage())
		return
	}
	r.send(b.items)
}

// send makes one request for items and, when the server refuses a batch of
// several rows as bad input, splits it in halves until each refused row is
// alone.
func (r *run) send(items []*Item) {
	body := r.opts.Action.Body(items)
	var info client.CallInfo
	err := r.opts.Action.Send(client.WithCallInfo(r.sendCtx, &info), items, body)
	r.requests.Add(int64(info.Attempts))
	r.retries.Add(int64(info.Retries))
	r.resends.Add(int64(info.Resends))
	r.bytes.Add(int64(len(body) * info.Attempts))
	for _, it := range items {
		it.attempts += info.Attempts
		it.httpStatus = info.StatusCode
	}
	var apiErr *client.APIError
	isAPI := errors.As(err, &apiErr)
	switch {
	case err == nil:
		r.anySuccess.Store(true)
		if r.journal == nil {
			r.finishItems(items, reports.StatusSent, "")
			return
		}
		r.journal.confirm(items, func(jerr error) {
			if jerr != nil {
				r.setFatal(jerr)
				r.stop(StopFatal)
			}
			// The rows were sent whether or not the journal could say so.
			r.finishItems(items, reports.StatusSent, "")
		})
	case errors.Is(err, client.ErrAuth):
		r.setFatal(fmt.Errorf("%w: %w", ErrAuthFailed, err))
		r.stop(StopAuth)
		r.finishItems(items, reports.StatusNotSent, "not sent: authentication failed (the row's data was not checked by the server)")
	case isAPI && splittable(apiErr.StatusCode) && len(items) > 1:
		r.anySuccess.Store(true)
		r.splits.Add(1)
		half := len(items) / 2
		r.send(items[:half])
		r.send(items[half:])
	case isAPI && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500 && apiErr.StatusCode != 429:
		r.anySuccess.Store(true)
		r.finishItems(items, reports.StatusRejected, rejectMessage(apiErr))
	case r.sendCtx.Err() != nil:
		msg := "not sent: the run was stopped while this row's request was in flight; it may have been applied, and --resume sends it again"
		if reason := r.reason(); reason == StopAuth || reason == StopUnreachable {
			msg = r.notSentMessage()
		}
		r.finishItems(items, reports.StatusNotSent, msg)
	default:
		if client.IsNoResponse(err) && !r.anySuccess.Load() {
			r.setFatal(fmt.Errorf("%w: %w", ErrUnreachable, err))
			r.stop(StopUnreachable)
		} else if isAPI {
			r.anySuccess.Store(true)
		}
		r.finishItems(items, reports.StatusFailed, fmt.Sprintf("gave up after %d attempt(s): %v", info.Attempts, err))
	}
}

func splittable(status int) bool { return status == 400 || status == 413 || status == 422 }

func rejectMessage(e *client.APIError) string {
	msg := strings.TrimSpace(e.Message)
	if msg == "" {
		msg = fmt.Sprintf("HTTP %d", e.StatusCode)
	}
	if e.StatusCode == 404 {
		return "not found: " + msg
	}
	return "rejected by the server: " + msg
}

func (r *run) finishItems(items []*Item, status reports.Status, msg string) {
	ob := &outbox{c: r.coll}
	defer ob.flush()
	for _, it := range items {
		res := reports.RowResult{File: it.File, Row: it.Row, Status: status,
			Message: joinMessage(msg, it.Message), AccountID: it.AccountID, ExternalID: it.ExternalID,
			Phone: it.Phone, HTTPStatus: it.httpStatus, Attempts: it.attempts, Original: it.Original}
		if extra := r.opts.Action.ExtraColumns(); len(extra) > 0 {
			res.Original = withExtra(res.Original, r.width, it.Extra, len(extra))
		}
		r.finish(ob, it.seq, res)
	}
}

// withExtra appends an action's extra columns after the original ones.
func withExtra(orig []string, width int, extra []string, n int) []string {
	out := make([]string, width+n)
	copy(out, orig)
	copy(out[width:], extra)
	return out
}

// ExitCode maps a run's outcome to the exit codes of CONTRACT.md.
func ExitCode(s reports.Summary, err error) int {
	switch {
	case s.Stopped == StopInterrupted:
		return 130
	case err != nil:
		return 1
	case s.Stopped == StopMaxErrors:
		return 4
	}
	for st, n := range s.Counts {
		if n > 0 && st != reports.StatusSent && st != reports.StatusValid && st != reports.StatusAlreadySent {
			return 3
		}
	}
	return 0
}
