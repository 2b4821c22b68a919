package cli

import (
	"context"
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/source"
)

// guessRows is how many rows mapping init looks at.
const guessRows = 1000

// mappingInitOptions are the options of mapping init.
type mappingInitOptions struct {
	app       *app
	File      string
	Sheet     string
	Encoding  string
	Delimiter string
	Guess     mapping.GuessOptions
}

func newMappingCmd(a *app, runF func(context.Context, *mappingInitOptions) error) *cobra.Command {
	cmd := &cobra.Command{Use: "mapping", Short: "Work with mapping files"}
	o := &mappingInitOptions{app: a}
	initCmd := &cobra.Command{
		Use:   "init FILE",
		Short: "Print a mapping file (YAML) guessed from FILE's header and sample values",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.File = args[0]
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runMappingInit(cmd.Context(), o)
		},
	}
	initCmd.Flags().StringVar(&o.Sheet, "sheet", "", "XLSX sheet (default the first visible one)")
	initCmd.Flags().StringVar(&o.Encoding, "encoding", "", "text encoding (default auto)")
	initCmd.Flags().StringVar(&o.Delimiter, "delimiter", "", "CSV delimiter (default detected)")
	initCmd.Flags().StringVar(&o.Guess.Region, "region", "US", "default phone region written into the mapping")
	initCmd.Flags().StringVar(&o.Guess.Timezone, "timezone", "UTC", "timezone written into the mapping for dates")
	cmd.AddCommand(initCmd)
	return cmd
}

func runMappingInit(ctx context.Context, o *mappingInitOptions) error {
	ro := runOptions{Sheet: o.Sheet, Encoding: o.Encoding, Delimiter: o.Delimiter}
	srcOpts, err := ro.sourceOptions()
	if err != nil {
		return err
	}
	srcOpts.Stdin = o.app.env.Stdin
	src, err := source.Open(ctx, o.File, srcOpts)
	if err != nil {
		return fail(err)
	}
	defer src.Close()
	// The mapping names the sheet it was made from, and the header row when
	// title rows sit above it, so a run reads what mapping init read.
	o.Guess.Sheet = src.Sheet()
	if row := src.HeaderRow(); row > 1 {
		o.Guess.HeaderRow = row
	}
	var samples [][]string
	for len(samples) < guessRows {
		rec, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fail(err)
		}
		samples = append(samples, rec.Cells)
	}
	out, err := mapping.Guess(src.Header(), samples, o.Guess)
	if err != nil {
		return fail(err)
	}
	_, err = o.app.env.Stdout.Write(out)
	return err
}
