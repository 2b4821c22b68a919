package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"
)

// Env is everything Main takes from the process.
type Env struct {
	Args           []string
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Version        string
	// Sleep waits between a notification's attempts; nil means a real
	// timer. Tests pass one that returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
}

// app is what every command shares: the process environment and the flags
// of the root (log format, quiet), which every command accepts.
type app struct {
	env       *Env
	logFormat string
	quiet     bool
}

// logger writes slog records to stderr in the chosen format.
func (a *app) logger() (*slog.Logger, error) {
	return newLogger(a.env.Stderr, a.logFormat, a.quiet)
}

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Version == "" {
		env.Version = "dev"
	}
	a := &app{env: &env}
	root := newRoot(a)
	root.SetArgs(env.Args)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetIn(env.Stdin)
	err := root.ExecuteContext(ctx)
	code := exitCodeOf(err)
	if err != nil {
		a.printError(err, code)
	}
	return code
}

// printError writes the error that ended the command: as text, or as one
// JSON line with --log-format json so that every stderr line parses.
func (a *app) printError(err error, code int) {
	var ee *exitError
	if errors.As(err, &ee) && ee.err == nil {
		return
	}
	msg := err.Error()
	if a.logFormat == "json" {
		log := slog.New(slog.NewJSONHandler(a.env.Stderr, nil))
		log.Error(msg, "exit_code", code)
		return
	}
	if code == ExitUsage {
		fmt.Fprintf(a.env.Stderr, "xonvo-import: %s\nRun 'xonvo-import --help' for usage.\n", msg)
		return
	}
	fmt.Fprintf(a.env.Stderr, "xonvo-import: %s\n", msg)
}

func newRoot(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "xonvo-import",
		Short: "Load sales leads from CSV and XLSX files into XONVO",
		Long: `xonvo-import reads CSV and XLSX files, maps their columns to lead fields through a
mapping file, validates each row, sends valid rows to the XONVO External API in
batches by account, and writes a report with one row per input row.

Try it with no credentials:  xonvo-import import samples/leads.csv --mapping samples/mapping.yaml --sandbox`,
		Version:       a.env.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&a.logFormat, "log-format", "text", "log format on stderr: text or json (json also prints the summary as one JSON object)")
	root.PersistentFlags().BoolVar(&a.quiet, "quiet", false, "no progress, warnings and errors only")
	root.AddCommand(
		newImportCmd(a, false, nil),
		newImportCmd(a, true, nil),
		newMappingCmd(a, nil),
		newSandboxCmd(a, nil),
		newAgentsCmd(a, nil),
		newLeadsCmd(a, nil),
		newAccountsCmd(a, nil, nil),
		newStatsCmd(a, nil, nil),
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
