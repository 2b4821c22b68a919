package cli

import (
	"github.com/spf13/cobra"

	"github.com/xonvo/xonvo-import/importer"
)

func newAgentsCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{Use: "agents", Short: "Manage agents (add them before leads that name them)"}
	f := &runFlags{}
	imp := &cobra.Command{
		Use:   "import FILE... --mapping M.yaml",
		Short: "POST /agent for each row (firstName, lastName, phone, externalId)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd.Context(), env, f, func(c *connection) importer.Action {
				return importer.Agents{Client: c.clientOrNil()}
			}, args)
		},
	}
	imp.Flags().StringVar(&f.mapping, "mapping", "", "mapping file naming the agent columns")
	_ = imp.MarkFlagRequired("mapping")
	imp.Flags().BoolVar(&f.dryRun, "dry-run", false, "validate and report without sending")
	f.registerRead(imp)
	f.registerSend(imp)
	cmd.AddCommand(imp)
	return cmd
}
