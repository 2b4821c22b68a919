package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/xonvo/xonvo-import/importer"
)

// agentsImportOptions are the options of agents import.
type agentsImportOptions struct {
	runOptions
}

func newAgentsCmd(a *app, runF func(context.Context, *agentsImportOptions) error) *cobra.Command {
	cmd := &cobra.Command{Use: "agents", Short: "Manage agents (add them before leads that name them)"}
	o := &agentsImportOptions{runOptions: runOptions{app: a}}
	imp := &cobra.Command{
		Use:   "import FILE... --mapping M.yaml",
		Short: "POST /agent for each row (firstName, lastName, phone, externalId)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Files = args
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runFiles(cmd.Context(), &o.runOptions, func(c *connection) importer.Action {
				return importer.Agents{Client: c.clientOrNil()}
			})
		},
	}
	imp.Flags().StringVar(&o.Mapping, "mapping", "", "mapping file naming the agent columns")
	_ = imp.MarkFlagRequired("mapping")
	imp.Flags().BoolVar(&o.DryRun, "dry-run", false, "validate and report without sending")
	o.registerRead(imp)
	o.registerSend(imp)
	cmd.AddCommand(imp)
	return cmd
}
