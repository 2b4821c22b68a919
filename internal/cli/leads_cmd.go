package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/importer"
	"github.com/xonvo/xonvo-import/mapping"
)

func newLeadsCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{Use: "leads", Short: "Unsubscribe, stop or reset leads from a list or one at a time"}
	for _, op := range []importer.LeadOp{importer.OpUnsubscribe, importer.OpStop, importer.OpReset} {
		cmd.AddCommand(newLeadOpCmd(env, op))
	}
	return cmd
}

func leadOpHelp(op importer.LeadOp) string {
	switch op {
	case importer.OpUnsubscribe:
		return "Unsubscribe leads: by account + external id where both are present, else by phone"
	case importer.OpStop:
		return "Stop leads' campaign messages (account + external id)"
	}
	return "Reset leads so their interaction starts again (account + external id)"
}

func newLeadOpCmd(env *Env, op importer.LeadOp) *cobra.Command {
	f := &runFlags{}
	var phone, account, externalID string
	cmd := &cobra.Command{
		Use:   string(op) + " [FILE...]",
		Short: leadOpHelp(op),
		Long: leadOpHelp(op) + `.

With FILE (CSV or XLSX), one call per row. Without --mapping the columns are found by
their headers: account_id/accountId/Account, external_id/externalId/External ID and
phone/Phone, so an import's report can be fed straight back in. A lead the API does not
know is rejected ("lead not found") and the run goes on (exit 3).
Without FILE, one lead from --phone, or --account with --external-id.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			oneOff := phone != "" || account != "" || externalID != ""
			switch {
			case len(args) > 0 && oneOff:
				return errors.New("give a FILE or the one-lead flags, not both")
			case len(args) == 0 && !oneOff:
				return errors.New("give a FILE, or --phone, or --account with --external-id")
			case len(args) > 0:
				return runImport(cmd.Context(), env, f, func(c *connection) importer.Action {
					return importer.LeadOps{Client: c.clientOrNil(), Op: op}
				}, args)
			}
			return oneLeadOp(cmd, env, f, op, phone, account, externalID)
		},
	}
	cmd.Flags().StringVar(&f.mapping, "mapping", "", "mapping file (its account, phone and externalId); default: find the columns by header")
	cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "check the list and report without sending")
	if op == importer.OpUnsubscribe {
		cmd.Flags().StringVar(&phone, "phone", "", "one lead's phone, e.g. +1333-111-8888")
	}
	cmd.Flags().StringVar(&account, "account", "", "one lead's account id")
	cmd.Flags().StringVar(&externalID, "external-id", "", "one lead's external id")
	f.registerRead(cmd)
	f.registerSend(cmd)
	return cmd
}

func oneLeadOp(cmd *cobra.Command, env *Env, f *runFlags, op importer.LeadOp, phone, account, externalID string) error {
	if (account == "") != (externalID == "") {
		return errors.New("--account and --external-id go together")
	}
	if op != importer.OpUnsubscribe && account == "" {
		return fmt.Errorf("%s needs --account and --external-id", op)
	}
	if phone != "" {
		normal, err := normalisePhone(phone)
		if err != nil {
			return &exitError{code: ExitRowsNotSent, err: err}
		}
		phone = normal
	}
	conn, err := f.conn.connect(cmd.Context(), env)
	if err != nil {
		return fail(err)
	}
	defer conn.Close()
	ctx := cmd.Context()
	c := conn.client
	switch {
	case op == importer.OpStop:
		err = c.StopLead(ctx, account, externalID)
	case op == importer.OpReset:
		err = c.ResetLead(ctx, account, externalID)
	case account != "":
		err = c.UnsubscribeLead(ctx, account, externalID)
	default:
		err = c.UnsubscribeByPhone(ctx, phone)
	}
	what := "phone " + phone
	if account != "" {
		what = fmt.Sprintf("lead %s in account %s", externalID, account)
	}
	switch {
	case err == nil:
		fmt.Fprintf(env.Stdout, "%s: done for %s\n", op, what)
		return nil
	case errors.Is(err, client.ErrNotFound):
		return &exitError{code: ExitRowsNotSent, err: fmt.Errorf("%s: rejected: lead not found (%s): %w", op, what, err)}
	}
	return conn.apiError(err)
}

// normalisePhone puts a --phone through the same mapping transform as a
// phone column, so one-off and file-driven calls send the same E.164 form.
func normalisePhone(phone string) (string, error) {
	cfg, err := mapping.KeysConfig([]string{"phone"})
	if err != nil {
		return "", err
	}
	m, err := cfg.Bind([]string{"phone"}, mapping.BindOptions{Kind: mapping.KindKeys, File: "--phone"})
	if err != nil {
		return "", err
	}
	res := m.Map([]string{phone})
	if !res.Valid() {
		return "", fmt.Errorf("--phone: %s", res.Message())
	}
	return res.Lead.Phone, nil
}
