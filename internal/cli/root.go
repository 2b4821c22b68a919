package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Env is everything Main takes from the process.
type Env struct {
	Args           []string
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Version        string
}

// Exit codes of CONTRACT.md.
const (
	ExitOK          = 0
	ExitFailed      = 1
	ExitUsage       = 2
	ExitRowsNotSent = 3
	ExitMaxErrors   = 4
	ExitInterrupted = 130
)

// exitError carries a command's exit code; err, when set, is printed.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// fail makes err a run failure (exit 1).
func fail(err error) error { return &exitError{code: ExitFailed, err: err} }

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Version == "" {
		env.Version = "dev"
	}
	root := newRoot(&env)
	root.SetArgs(env.Args)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetIn(env.Stdin)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(env.Stderr, "xonvo-import: %v\n", ee.err)
		}
		return ee.code
	}
	// Anything cobra returns itself is a usage problem: unknown flag or
	// command, wrong number of arguments.
	fmt.Fprintf(env.Stderr, "xonvo-import: %v\nRun 'xonvo-import --help' for usage.\n", err)
	return ExitUsage
}

func newRoot(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "xonvo-import",
		Short: "Load sales leads from CSV and XLSX files into XONVO",
		Long: `xonvo-import reads CSV and XLSX files, maps their columns to lead fields through a
mapping file, validates each row, sends valid rows to the XONVO External API in
batches by account, and writes a report with one row per input row.

Try it with no credentials:  xonvo-import import samples/leads.csv --mapping samples/mapping.yaml --sandbox`,
		Version:       env.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newImportCmd(env, false),
		newImportCmd(env, true),
		newMappingCmd(env),
		newSandboxCmd(env),
		newAgentsCmd(env),
		newLeadsCmd(env),
		newAccountsCmd(env),
		newStatsCmd(env),
	)
	return root
}

// isTerminal reports whether w is a terminal (progress is drawn only there).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return termIsTerminal(int(f.Fd()))
}
