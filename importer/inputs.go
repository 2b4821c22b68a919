package importer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/source"
)

// input is one opened file with its mapper and its columns' places in the
// report.
type input struct {
	src    source.Source
	mapper *mapping.Mapper
	align  []int // report column of each of the file's columns; nil = same order
}

// inputSet is every input of a run and the report's original columns: the
// union of the inputs' headers in first-seen order.
type inputSet struct {
	inputs []input
	header []string
}

// openInputs opens every file, binds the mapping to its header and lays out
// the report's original columns. On error the files opened so far are
// closed.
func openInputs(ctx context.Context, opts *Options) (_ *inputSet, err error) {
	srcOpts, err := sourceOptions(opts.Source, opts.Mapping)
	if err != nil {
		return nil, err
	}
	set := &inputSet{}
	defer func() {
		if err != nil {
			set.close()
		}
	}()
	_, single := opts.Action.(SingleLeads)
	for i, path := range opts.Files {
		src, err := source.Open(ctx, path, srcOpts)
		if err != nil {
			return nil, err
		}
		set.inputs = append(set.inputs, input{src: src})
		mp, err := opts.Mapping.Bind(src.Header(), mapping.BindOptions{Kind: opts.Action.Kind(), SingleLead: single, File: path})
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

// sourceOptions fills what the command line left unset from the mapping
// file's source section.
func sourceOptions(o source.Options, m *mapping.Config) (source.Options, error) {
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

// bytesRead is the size of the inputs, for the run's metrics.
func (s *inputSet) bytesRead() int64 {
	var n int64
	for _, in := range s.inputs {
		if st, err := os.Stat(in.src.Name()); err == nil {
			n += st.Size()
		}
	}
	return n
}

func (s *inputSet) close() error {
	var errs []error
	for _, in := range s.inputs {
		errs = append(errs, in.src.Close())
	}
	return errors.Join(errs...)
}
