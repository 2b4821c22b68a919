package importer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/source"
	"github.com/xonvo/xonvo-import/state"
)

// ErrSingleWithAccount refuses --api single with a mapping that names an
// account.
var ErrSingleWithAccount = errors.New("POST /lead (--api single) carries no account, so a lead would not land in the account the mapping names; remove account from the mapping, or use --api bulk")

// input is one opened file with its mapper and its columns' places in the
// report.
type input struct {
	in     *source.Input
	src    source.Source
	mapper *mapping.Mapper
	align  []int // report column of each of the file's columns; nil = same order
	rows   int64 // data rows read (the mapping goroutine's count)
}

// inputSet is every input of a run and the report's original columns: the
// union of the inputs' headers in first-seen order.
type inputSet struct {
	inputs  []input
	header  []string
	srcOpts source.Options // as the inputs were opened, to open them again
	// skipped counts the inputs left out because an earlier run imported
	// the same content (--state); skippedFiles says which and why.
	skipped      int
	skippedFiles []reports.SkippedFile
	prints       map[*source.Input]InputFingerprint // each input read once to hash it
	owned        []*source.Input                    // resolved here from Options.Files: closed with the set
}

// fingerprint is in's content fingerprint, computed once a run.
func (s *inputSet) fingerprint(ctx context.Context, in *source.Input) (InputFingerprint, error) {
	if fp, ok := s.prints[in]; ok {
		return fp, nil
	}
	fp, err := fingerprintOf(ctx, in)
	if err != nil {
		return fp, err
	}
	if s.prints == nil {
		s.prints = map[*source.Input]InputFingerprint{}
	}
	s.prints[in] = fp
	return fp, nil
}

// fingerprintAt is the fingerprint of input i, for the journal.
func (s *inputSet) fingerprintAt(ctx context.Context, i int) (InputFingerprint, error) {
	return s.fingerprint(ctx, s.inputs[i].in)
}

// openInputs opens every input, binds the mapping to its header and lays out
// the report's original columns. On error the inputs opened so far are
// closed.
func openInputs(ctx context.Context, opts *Options) (_ *inputSet, err error) {
	srcOpts, err := sourceOptions(opts.Source, opts.Mapping, opts.KeysFromHeader)
	if err != nil {
		return nil, err
	}
	set := &inputSet{srcOpts: srcOpts}
	defer func() {
		if err != nil {
			set.close()
		}
	}()
	_, single := opts.Action.(SingleLeads)
	if single && (opts.Mapping.Account.Column != "" || opts.Mapping.Account.Value != "") {
		// POST /lead names no account: the lead lands wherever the API puts
		// it, and a report naming the mapped account would say otherwise.
		return nil, fmt.Errorf("mapping: %w", ErrSingleWithAccount)
	}
	ins := opts.Inputs
	if ins == nil {
		if ins, err = source.Resolve(ctx, opts.Files, srcOpts); err != nil {
			return nil, err
		}
		set.owned = ins
	}
	for _, in := range ins {
		path := in.Name()
		if skip, why, err := set.alreadyImported(ctx, opts, in); err != nil {
			return nil, err
		} else if skip {
			set.skipped++
			set.skippedFiles = append(set.skippedFiles, reports.SkippedFile{File: path, Reason: why})
			opts.Logger.Info("skipping a file an earlier run imported (--reprocess reads it again)", "file", path, "why", why)
			continue
		}
		i := len(set.inputs)
		src, err := openInput(ctx, in, srcOpts, opts.Source.Sheet == "")
		if err != nil {
			return nil, err
		}
		set.inputs = append(set.inputs, input{in: in, src: src})
		_, inOrder := opts.Action.(attributesInOrder)
		mp, err := opts.Mapping.Bind(bindHeader(src.Header(), opts.KeysFromHeader), mapping.BindOptions{Kind: opts.Action.Kind(),
			SingleLead: single, File: path, AttributesInOrderOnly: inOrder})
		if err != nil {
			return nil, err
		}
		set.inputs[i].mapper = mp
		done, total := src.Progress()
		opts.Progress.setPart(i, done, total)
		for _, w := range src.Warnings() {
			opts.Logger.Warn(w, slog.String("file", path))
		}
	}
	set.layout()
	return set, nil
}

// openInput opens one input. A sheet the mapping names (not --sheet) that
// the workbook lacks falls back to the sheet our XLSX reports keep their rows
// in, so an XLSX report imports again with the mapping of its input.
func openInput(ctx context.Context, in *source.Input, o source.Options, sheetFromMapping bool) (source.Source, error) {
	src, err := in.Open(ctx, o)
	var missing *source.SheetNotFoundError
	if err == nil || !sheetFromMapping || !errors.As(err, &missing) || !slices.Contains(missing.Sheets, reports.SheetReport) {
		return src, err
	}
	o.Sheet = reports.SheetReport
	src, rerr := in.Open(ctx, o)
	if rerr != nil {
		return nil, err
	}
	if !reports.IsReportHeader(src.Header()) {
		_ = src.Close()
		return nil, err
	}
	return src, nil
}

// bindHeader is the header a mapping binds to. An input that is one of our
// own reports (its fixed columns first) binds by its original columns, with
// their names as the original input had them, so a mapping written for the
// input imports the report (or its failed rows) again; the report's own
// columns get names no mapping can match. A mapping found from the header
// (KeysFromHeader: leads and stats commands without --mapping) binds to the
// header as it is: it chose the report's account_id, external_id and phone.
func bindHeader(header []string, keysFromHeader bool) []string {
	originals, ok := reports.InputColumns(header)
	if !ok || keysFromHeader {
		return header
	}
	fixed := len(header) - len(originals)
	out := make([]string, 0, len(header))
	for _, h := range header[:fixed] {
		out = append(out, "\x00report:"+h)
	}
	return append(out, originals...)
}

// sourceOptions fills what the command line left unset from the mapping
// file's source section. A mapping written for the input (not found from its
// header) names the columns the header row must hold: the reader finds that
// row under title rows.
func sourceOptions(o source.Options, m *mapping.Config, keysFromHeader bool) (source.Options, error) {
	if o.HeaderRow == 0 {
		o.HeaderRow = m.Source.HeaderRow
	}
	if o.HeaderRow == 0 && o.HeaderColumns == nil && !keysFromHeader {
		o.HeaderColumns = m.Columns()
	}
	if o.Sheet == "" {
		o.Sheet = m.Source.Sheet
	}
	if o.Encoding == "" {
		o.Encoding = m.Source.Encoding
	}
	if o.Delimiter == 0 && m.Source.Delimiter != "" {
		d, err := source.DelimiterFromName(m.Source.Delimiter)
		if err != nil {
			return o, fmt.Errorf("mapping source.delimiter: %w", err)
		}
		o.Delimiter = d
	}
	return o, nil
}

// layout builds the union header; each input learns where its columns go.
// A name repeated within one file keeps a column of its own.
func (s *inputSet) layout() {
	index := map[string]int{}
	for i := range s.inputs {
		h := s.inputs[i].src.Header()
		align := make([]int, len(h))
		same := i == 0
		for c, name := range h {
			pos, ok := index[name]
			if !ok || i == 0 {
				pos = len(s.header)
				s.header = append(s.header, name)
				if !ok {
					index[name] = pos
				}
			}
			align[c] = pos
			same = same && pos == c
		}
		if !same {
			s.inputs[i].align = align
		}
	}
}

// width is the number of original columns in the report.
func (s *inputSet) width() int { return len(s.header) }

// align places input in's cells in the report's original columns.
func (s *inputSet) align(in *input, cells []string) []string {
	w := s.width()
	if in.align == nil && len(cells) == w {
		return cells
	}
	out := make([]string, w)
	for i, c := range cells {
		switch {
		case in.align != nil && i < len(in.align):
			out[in.align[i]] = c
		case in.align == nil && i < w:
			out[i] = c
		}
	}
	return out
}

// reopenOptions open an input again exactly as it was read: the same sheet
// and header row.
func (s *inputSet) reopenOptions(in *input) source.Options {
	o := s.srcOpts
	if sheet := in.src.Sheet(); sheet != "" {
		o.Sheet = sheet
	}
	o.HeaderRow, o.HeaderColumns = in.src.HeaderRow(), nil
	return o
}

// names are the inputs' names, in order.
func (s *inputSet) names() []string {
	out := make([]string, len(s.inputs))
	for i, in := range s.inputs {
		out[i] = in.src.Name()
	}
	return out
}

// info describes the inputs read, for the summary.
func (s *inputSet) info() []reports.InputInfo {
	out := make([]reports.InputInfo, len(s.inputs))
	for i, in := range s.inputs {
		out[i] = reports.InputInfo{File: in.src.Name(), Sheet: in.src.Sheet(), HeaderRow: in.src.HeaderRow(), Rows: in.rows}
	}
	return out
}

// bytesRead is the size of the inputs, for the run's metrics.
func (s *inputSet) bytesRead() int64 {
	var n int64
	for _, in := range s.inputs {
		if fp, ok := s.prints[in.in]; ok {
			n += fp.Size
		} else if in.in.Kind() == source.KindFile {
			if st, err := os.Stat(in.in.Name()); err == nil {
				n += st.Size()
			}
		}
	}
	return n
}

func (s *inputSet) close() error {
	var errs []error
	for _, in := range s.inputs {
		errs = append(errs, in.src.Close())
	}
	errs = append(errs, source.CloseAll(s.owned))
	return errors.Join(errs...)
}

// alreadyImported reports whether an earlier run recorded in --state
// imported path's exact content, completely.
func (s *inputSet) alreadyImported(ctx context.Context, opts *Options, in *source.Input) (bool, string, error) {
	if opts.State == nil || opts.Reprocess {
		return false, "", nil
	}
	fp, err := s.fingerprint(ctx, in)
	if err != nil {
		return false, "", err
	}
	path := in.Name()
	rec, done, err := opts.State.FileDone(fp.state())
	if err != nil || !done {
		return false, "", err
	}
	why := "imported by the run of " + rec.DoneAt.UTC().Format(time.RFC3339)
	if rec.Name != path {
		why += " as " + rec.Name
	}
	return true, why + " (same content)", nil
}

// state is the fingerprint as the state store keeps it.
func (f InputFingerprint) state() state.FileFingerprint {
	return state.FileFingerprint{Name: f.Path, Size: f.Size, SHA256: f.SHA256, ETag: f.ETag}
}
