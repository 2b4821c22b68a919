package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/xonvo/xonvo-import/internal/leadgen"
)

// Seeds and account counts of the generated inputs: fixed, so that every
// run of the bench reads the same bytes.
const (
	inputSeed     = 42
	inputAccounts = 8
)

// input names a generated lead file; the bench writes it once, on first use.
type input struct {
	kind string // "csv" or "xlsx"
	rows int
}

func csvInput(rows int) input  { return input{kind: "csv", rows: rows} }
func xlsxInput(rows int) input { return input{kind: "xlsx", rows: rows} }

// path returns the file of in, generating it the first time.
func (b *bench) path(ctx context.Context, in input) (string, error) {
	if p, ok := b.inputs[in]; ok {
		return p, nil
	}
	p := filepath.Join(b.work, fmt.Sprintf("leads-%d.%s", in.rows, in.kind))
	if err := generate(ctx, genJob{kind: in.kind, path: p, rows: in.rows, seed: inputSeed, accounts: inputAccounts}); err != nil {
		return "", err
	}
	b.inputs[in] = p
	return p, nil
}

// genJob is one input written by a child process (-gen).
type genJob struct {
	kind, path     string
	rows, accounts int
	seed           uint64
}

func (g genJob) write() error {
	switch g.kind {
	case "csv":
		return leadgen.WriteCSV(g.path, g.rows, g.seed, g.accounts)
	case "xlsx":
		return leadgen.WriteXLSX(g.path, g.rows, g.seed, g.accounts, leadgen.XLSXOptions{})
	}
	return fmt.Errorf("-gen %q: want csv or xlsx", g.kind)
}

// generate writes an input in a child process. On Linux a child's peak RSS
// (what measure reports) starts from the high-water mark of the process that
// started it, so this process must stay small: writing a million-row
// workbook here first made every later figure read 191 MB.
func generate(ctx context.Context, g genJob) error {
	cmd := exec.CommandContext(ctx, os.Args[0], "-gen", g.kind, "-gen-path", g.path, "-gen-rows", fmt.Sprint(g.rows),
		"-gen-seed", fmt.Sprint(g.seed), "-gen-accounts", fmt.Sprint(g.accounts))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("generate %s: %w: %s", g.path, err, out)
	}
	return nil
}
