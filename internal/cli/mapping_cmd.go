package cli

import (
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/xonvo/xonvo-import/mapping"
	"github.com/xonvo/xonvo-import/source"
)

// guessRows is how many rows mapping init looks at.
const guessRows = 1000

func newMappingCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{Use: "mapping", Short: "Work with mapping files"}
	var (
		sheet, encoding, delimiter string
		opts                       mapping.GuessOptions
	)
	initCmd := &cobra.Command{
		Use:   "init FILE",
		Short: "Print a mapping file (YAML) guessed from FILE's header and sample values",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f := runFlags{sheet: sheet, encoding: encoding, delimiter: delimiter}
			srcOpts, err := f.sourceOptions()
			if err != nil {
				return err
			}
			src, err := source.Open(cmd.Context(), args[0], srcOpts)
			if err != nil {
				return fail(err)
			}
			defer src.Close()
			var samples [][]string
			for len(samples) < guessRows {
				rec, err := src.Next(cmd.Context())
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					return fail(err)
				}
				samples = append(samples, rec.Cells)
			}
			out, err := mapping.Guess(src.Header(), samples, opts)
			if err != nil {
				return fail(err)
			}
			_, err = env.Stdout.Write(out)
			return err
		},
	}
	initCmd.Flags().StringVar(&sheet, "sheet", "", "XLSX sheet (default the first)")
	initCmd.Flags().StringVar(&encoding, "encoding", "", "text encoding (default auto)")
	initCmd.Flags().StringVar(&delimiter, "delimiter", "", "CSV delimiter (default detected)")
	initCmd.Flags().StringVar(&opts.Region, "region", "US", "default phone region written into the mapping")
	initCmd.Flags().StringVar(&opts.Timezone, "timezone", "UTC", "timezone written into the mapping for dates")
	cmd.AddCommand(initCmd)
	return cmd
}
