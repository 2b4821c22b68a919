package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
)

// The CSV ceiling is the least a CSV run can do and still keep the
// product's rules: encoding/csv parses every row (the product card keeps it
// on the hot path) and every cell goes back out to a file that is synced
// (the report echoes every input column and is durable). Nothing is mapped,
// validated or checked for duplicates, and the cells are written without
// quoting, faster than any correct CSV writer. The reader is set as the
// importer's is (rows of any width). So it does less than any run that
// parses on one goroutine, as the importer does (a stream, stdin or a gzip,
// can only be parsed in order), and is a ceiling for such a run on the same
// machine. The bench runs it as a row of its own, in a child process
// (-csv-ceiling) like the binary, so that a goal for the CSV dry run can be
// read against what the machine allows.

// ceilingBatch is how many rows the parsing goroutine hands over at a time.
const ceilingBatch = 512

// csvCeiling parses in with encoding/csv on one goroutine and writes every
// cell to out on another, then syncs out. It returns the records read,
// header included.
func csvCeiling(in, out string) (rows int, err error) {
	f, err := os.Open(in)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	o, err := os.Create(out)
	if err != nil {
		return 0, err
	}
	batches := make(chan [][]string, 16)
	written := make(chan error, 1)
	go func() { written <- writeCells(o, batches) }()

	r := csv.NewReader(bufio.NewReaderSize(f, 64<<10))
	r.FieldsPerRecord = -1 // as the importer reads: width is checked against the header later
	batch := make([][]string, 0, ceilingBatch)
	for {
		rec, rerr := r.Read()
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			err = fmt.Errorf("%s: %w", in, rerr)
			break
		}
		rows++
		if batch = append(batch, rec); len(batch) == ceilingBatch {
			batches <- batch
			batch = make([][]string, 0, ceilingBatch)
		}
	}
	batches <- batch
	close(batches)
	return rows, errors.Join(err, <-written)
}

// writeCells writes each batch's cells, comma-separated, a row a line, then
// syncs and closes o. Once a write fails it drains the rest.
func writeCells(o *os.File, batches <-chan [][]string) error {
	w := bufio.NewWriterSize(o, 1<<20)
	var err error
	for b := range batches {
		for _, rec := range b {
			if err != nil {
				break
			}
			for i, c := range rec {
				if i > 0 {
					_ = w.WriteByte(',')
				}
				_, _ = w.WriteString(c)
			}
			err = w.WriteByte('\n')
		}
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = o.Sync()
	}
	return errors.Join(err, o.Close())
}

// ceilingRun adds the ceiling's row for in: this program, in a child
// process, once per run like the binary's rows.
func (b *bench) ceilingRun(ctx context.Context, name string, in input) error {
	path, err := b.path(ctx, in)
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	return b.timeRuns(ctx, rowName(name, in), in.rows,
		"encoding/csv parse + every cell written back and synced, 2 goroutines: no mapping, no report columns",
		func(ctx context.Context, dir string) (sample, bool, error) {
			s, err := runProgram(ctx, self, dir, "-csv-ceiling", path, "-csv-ceiling-out", "cells.csv")
			return s, err == nil, err
		})
}
