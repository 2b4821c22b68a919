package xlsx

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// itemReader reads string items: the shared strings' <si> and inline strings' <is>.
// An item is its own <t> followed by its rich-text runs' <t>s; phonetic runs (<rPh>)
// and anything else are not text. That is how excelize reads an item (and what Excel
// shows), down to its quirks for items no writer makes: of several <t> directly in the
// item or in one run the last counts, and text nested deeper is not read. The
// _xHHHH_ escapes are decoded over the whole item, as excelize does.
type itemReader struct {
	own  textSink // the item's own <t>
	run  textSink // the current run's <t>
	runs []byte   // the runs' text so far
	size int64    // the runs' size so far
	out  []byte
}

// read reads the item whose open (or self-closing) tag was just read, through its
// close tag. It returns the text, or the item's size when that is over limit.
func (it *itemReader) read(s *scanner, limit int) (text []byte, oversize int64, err error) {
	it.own.reset(limit)
	it.runs, it.size = it.runs[:0], 0
	if s.kind == tagSelfClose {
		return it.out[:0], 0, nil
	}
	if s.is("si") {
		if v, ok := s.fastText(fastT, fastTClose, limit); ok {
			return it.fast(v), 0, nil
		}
		if v, ok := s.fastText(fastTPreserve, fastTClose, limit); ok {
			return it.fast(v), 0, nil
		}
	}
	d := s.depth
	for {
		ok, err := s.child(d)
		if err != nil {
			return nil, 0, err
		}
		if !ok {
			break
		}
		switch {
		case s.kind == tagClose:
		case s.is("t"):
			it.own.reset(limit)
			if err := s.elementText(&it.own); err != nil {
				return nil, 0, err
			}
		case s.is("r"):
			if err := it.readRun(s, limit); err != nil {
				return nil, 0, err
			}
		default:
			if err := s.skip(); err != nil {
				return nil, 0, err
			}
		}
	}
	if size := it.own.size + it.size; size > int64(limit) {
		return nil, size, nil
	}
	it.out = append(append(it.out[:0], it.own.buf...), it.runs...)
	it.out = unescapeOOXML(it.out, 0)
	return it.out, 0, nil
}

// fast returns the text of an item read by fastText.
func (it *itemReader) fast(v []byte) []byte {
	it.out = append(it.out[:0], v...)
	return unescapeOOXML(it.out, 0)
}

// readRun reads a rich-text run <r>, adding its <t> text to the item's runs.
func (it *itemReader) readRun(s *scanner, limit int) error {
	it.run.reset(limit)
	if s.kind == tagSelfClose {
		return nil
	}
	d := s.depth
	for {
		ok, err := s.child(d)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		switch {
		case s.kind == tagClose:
		case s.is("t"):
			it.run.reset(limit)
			if err := s.elementText(&it.run); err != nil {
				return err
			}
		default:
			if err := s.skip(); err != nil {
				return err
			}
		}
	}
	it.size += it.run.size
	if it.size <= int64(limit) {
		it.runs = append(it.runs, it.run.buf...)
	}
	return nil
}

// readSharedStrings reads the shared-strings part into a table. A string over the
// cell limit is not kept: a cell using it is its row's Problem, as an inline cell
// that large would be.
func readSharedStrings(ctx context.Context, a *archive, part string, o Options) (_ *sharedTable, err error) {
	t := newSharedTable(o.SharedStringsInMemory, o.TempDir)
	defer func() {
		if err != nil {
			_ = t.Close()
		}
	}()
	if part == "" || !a.has(part) {
		return t, t.finish()
	}
	rc, err := a.open(part, true)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	s := newScanner(rc, part)
	// The root, <sst>.
	for {
		if err := s.next(); err != nil {
			if errors.Is(err, io.EOF) {
				return t, t.finish()
			}
			return nil, err
		}
		if s.kind == tagSelfClose {
			return t, t.finish()
		}
		if s.kind == tagOpen {
			break
		}
	}
	d := s.depth
	var it itemReader
	for {
		ok, err := s.child(d)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if s.kind == tagClose {
			continue
		}
		if !s.is("si") {
			if err := s.skip(); err != nil {
				return nil, err
			}
			continue
		}
		if t.len()%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		text, oversize, err := it.read(s, o.MaxCellBytes)
		if err != nil {
			return nil, fmt.Errorf("shared string %d: %w", t.len(), err)
		}
		if oversize > 0 {
			err = t.addOversized(oversize)
		} else {
			err = t.add(text)
		}
		if err != nil {
			return nil, err
		}
	}
	return t, t.finish()
}
