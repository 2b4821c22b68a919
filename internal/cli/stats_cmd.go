package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/xonvo/xonvo-import/importer"
)

// statsAccountOptions are the options of stats account.
type statsAccountOptions struct {
	app      *app
	Conn     connOptions
	Account  string
	From, To string // as given, for the printout
	FromT    time.Time
	ToT      time.Time
	Timezone string
	JSON     bool
}

// statsLeadsOptions are the options of stats leads.
type statsLeadsOptions struct {
	runOptions
}

func newStatsCmd(a *app, accountF func(context.Context, *statsAccountOptions) error, leadsF func(context.Context, *statsLeadsOptions) error) *cobra.Command {
	cmd := &cobra.Command{Use: "stats", Short: "Account and lead statistics"}
	cmd.AddCommand(newStatsAccountCmd(a, accountF), newStatsLeadsCmd(a, leadsF))
	return cmd
}

func newStatsAccountCmd(a *app, runF func(context.Context, *statsAccountOptions) error) *cobra.Command {
	o := &statsAccountOptions{app: a}
	cmd := &cobra.Command{
		Use:   "account ID",
		Short: "Print an account's statistics for a time window",
		Long: `Print an account's statistics. --from and --to take ISO-8601 with an offset
(2022-02-20T01:30:00-05:00) or a plain date (2022-02-20), meaning the start of that day in
--timezone. Without them the API's default window applies.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Account = args[0]
			if err := o.parseWindow(); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runStatsAccount(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.From, "from", "", "window start: ISO-8601 with offset, or a date")
	cmd.Flags().StringVar(&o.To, "to", "", "window end: ISO-8601 with offset, or a date")
	cmd.Flags().StringVar(&o.Timezone, "timezone", "UTC", "timezone of plain dates")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the API's JSON")
	o.Conn.register(cmd)
	return cmd
}

// parseWindow reads --from and --to (a usage error when they don't parse).
func (o *statsAccountOptions) parseWindow() error {
	loc, err := time.LoadLocation(o.Timezone)
	if err != nil {
		return fmt.Errorf("--timezone %q: %w", o.Timezone, err)
	}
	if o.FromT, err = parseWhen("--from", o.From, loc); err != nil {
		return err
	}
	if o.ToT, err = parseWhen("--to", o.To, loc); err != nil {
		return err
	}
	if !o.FromT.IsZero() && !o.ToT.IsZero() && o.ToT.Before(o.FromT) {
		return fmt.Errorf("--to %s is before --from %s", o.To, o.From)
	}
	return nil
}

func runStatsAccount(ctx context.Context, o *statsAccountOptions) error {
	env := o.app.env
	c, err := o.Conn.connect(ctx, o.app)
	if err != nil {
		return fail(err)
	}
	defer c.Close()
	st, err := c.client.AccountStatistics(ctx, o.Account, o.FromT, o.ToT)
	if err != nil {
		return c.apiError(err)
	}
	if o.JSON {
		return json.NewEncoder(env.Stdout).Encode(st)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "account\t%s\n", o.Account)
	fmt.Fprintf(tw, "window\t%s – %s\n", orAll(o.From), orAll(o.To))
	fmt.Fprintf(tw, "leads\t%d\n", st.LeadCount)
	fmt.Fprintf(tw, "unsubscribed\t%d\n", st.UnsubscribeCount)
	fmt.Fprintf(tw, "delivered\t%d\n", st.DeliveredCount)
	fmt.Fprintf(tw, "engaged\t%d\n", st.EngagedCount)
	fmt.Fprintf(tw, "ctr\t%g\n", st.CTR)
	return tw.Flush()
}

func orAll(s string) string {
	if s == "" {
		return "(open)"
	}
	return s
}

// parseWhen reads ISO-8601 with an offset, or a plain date at the start of
// that day in loc.
func parseWhen(flag, s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%s %q: want ISO-8601 with an offset (2022-02-20T01:30:00-05:00) or a date (2022-02-20)", flag, s)
}

func newStatsLeadsCmd(a *app, runF func(context.Context, *statsLeadsOptions) error) *cobra.Command {
	o := &statsLeadsOptions{runOptions: runOptions{app: a}}
	cmd := &cobra.Command{
		Use:   "leads FILE...",
		Short: "Fetch each lead's statistics (account + external id per row) into a report",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Files = args
			if runF != nil {
				return runF(cmd.Context(), o)
			}
			return runFiles(cmd.Context(), &o.runOptions, func(c *connection) importer.Action {
				return importer.LeadStats{Client: c.clientOrNil()}
			})
		},
	}
	cmd.Flags().StringVar(&o.Mapping, "mapping", "", "mapping file (its account and externalId); default: find the columns by header")
	o.registerRead(cmd)
	o.registerSend(cmd)
	return cmd
}
