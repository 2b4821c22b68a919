package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/importer"
	"github.com/xonvo/xonvo-import/mapping"
)

// leadOpOptions are the options of leads unsubscribe|stop|reset.
type leadOpOptions struct {
	runOptions
	Op         importer.LeadOp
	Phone      string // one-off
	Account    string // one-off
	ExternalID string // one-off
}

// oneOff reports whether the command acts on one lead given by flags.
func (o *leadOpOptions) oneOff() bool { return o.Phone != "" || o.Account != "" || o.ExternalID != "" }

// check refuses flag combinations that make no sense (a usage error).
func (o *leadOpOptions) check() error {
	switch {
	case len(o.Files) > 0 && o.oneOff():
		return errors.New("give a FILE or the one-lead flags, not both")
	case len(o.Files) == 0 && !o.oneOff():
		return errors.New("give a FILE, or --phone, or --account with --external-id")
	case len(o.Files) > 0:
		return nil
	case (o.Account == "") != (o.ExternalID == ""):
		return errors.New("--account and --external-id go together")
	case o.Op != importer.OpUnsubscribe && o.Account == "":
		return fmt.Errorf("%s needs --account and --external-id", o.Op)
	}
	return nil
}

func newLeadsCmd(a *app, runF func(context.Context, *leadOpOptions) error) *cobra.Command {
	cmd := &cobra.Command{Use: "leads", Short: "Unsubscribe, stop or reset leads from a list or one at a time"}
	for _, op := range []importer.LeadOp{importer.OpUnsubscribe, importer.OpStop, importer.OpReset} {
		cmd.AddCommand(newLeadOpCmd(a, op, runF))
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

func newLeadOpCmd(a *app, op importer.LeadOp, runF func(context.Context, *leadOpOptions) error) *cobra.Command {
	o := &leadOpOptions{runOptions: runOptions{app: a}, Op: op}
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
			o.Files = args
			if err := o.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runLeadOp(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.Mapping, "mapping", "", "mapping file (its account, phone and externalId); default: find the columns by header")
	cmd.Flags().BoolVar(&o.DryRun, "dry-run", false, "check the list and report without sending")
	if op == importer.OpUnsubscribe {
		cmd.Flags().StringVar(&o.Phone, "phone", "", "one lead's phone, e.g. +1333-111-8888")
	}
	cmd.Flags().StringVar(&o.Account, "account", "", "one lead's account id")
	cmd.Flags().StringVar(&o.ExternalID, "external-id", "", "one lead's external id")
	o.registerRead(cmd)
	o.registerSend(cmd)
	return cmd
}

func runLeadOp(ctx context.Context, o *leadOpOptions) error {
	if len(o.Files) > 0 {
		return runFiles(ctx, &o.runOptions, func(c *connection) importer.Action {
			return importer.LeadOps{Client: c.clientOrNil(), Op: o.Op}
		})
	}
	return oneLeadOp(ctx, o)
}

func oneLeadOp(ctx context.Context, o *leadOpOptions) error {
	env := o.app.env
	op, phone, account, externalID := o.Op, o.Phone, o.Account, o.ExternalID
	if phone != "" {
		normal, err := normalisePhone(phone)
		if err != nil {
			return &exitError{code: ExitRowsNotSent, err: err}
		}
		phone = normal
	}
	conn, err := o.Conn.connect(ctx, o.app)
	if err != nil {
		return fail(err)
	}
	defer conn.Close()
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
