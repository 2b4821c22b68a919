package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/xonvo/xonvo-import/importer"
)

func newStatsCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{Use: "stats", Short: "Account and lead statistics"}
	cmd.AddCommand(newStatsAccountCmd(env), newStatsLeadsCmd(env))
	return cmd
}

func newStatsAccountCmd(env *Env) *cobra.Command {
	conn := &connFlags{}
	var from, to, tz string
	var jsonOut bool
	cmd := &cobra.Command{
		Use:   "account ID",
		Short: "Print an account's statistics for a time window",
		Long: `Print an account's statistics. --from and --to take ISO-8601 with an offset
(2022-02-20T01:30:00-05:00) or a plain date (2022-02-20), meaning the start of that day in
--timezone. Without them the API's default window applies.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			loc, err := time.LoadLocation(tz)
			if err != nil {
				return fmt.Errorf("--timezone %q: %w", tz, err)
			}
			fromT, err := parseWhen("--from", from, loc)
			if err != nil {
				return err
			}
			toT, err := parseWhen("--to", to, loc)
			if err != nil {
				return err
			}
			if !fromT.IsZero() && !toT.IsZero() && toT.Before(fromT) {
				return fmt.Errorf("--to %s is before --from %s", to, from)
			}
			c, err := conn.connect(cmd.Context(), env)
			if err != nil {
				return fail(err)
			}
			defer c.Close()
			if c.sandbox != nil {
				c.sandbox.CreateAccount(args[0])
			}
			st, err := c.client.AccountStatistics(cmd.Context(), args[0], fromT, toT)
			if err != nil {
				return c.apiError(err)
			}
			if jsonOut {
				return json.NewEncoder(env.Stdout).Encode(st)
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "account\t%s\n", args[0])
			fmt.Fprintf(tw, "window\t%s – %s\n", orAll(from), orAll(to))
			fmt.Fprintf(tw, "leads\t%d\n", st.LeadCount)
			fmt.Fprintf(tw, "unsubscribed\t%d\n", st.UnsubscribeCount)
			fmt.Fprintf(tw, "delivered\t%d\n", st.DeliveredCount)
			fmt.Fprintf(tw, "engaged\t%d\n", st.EngagedCount)
			fmt.Fprintf(tw, "ctr\t%g\n", st.CTR)
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "window start: ISO-8601 with offset, or a date")
	cmd.Flags().StringVar(&to, "to", "", "window end: ISO-8601 with offset, or a date")
	cmd.Flags().StringVar(&tz, "timezone", "UTC", "timezone of plain dates")
	cmd.Flags().BoolVar(&jsonOut, "json", false, "print the API's JSON")
	conn.register(cmd)
	return cmd
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

func newStatsLeadsCmd(env *Env) *cobra.Command {
	f := &runFlags{}
	cmd := &cobra.Command{
		Use:   "leads FILE...",
		Short: "Fetch each lead's statistics (account + external id per row) into a report",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd.Context(), env, f, func(c *connection) importer.Action {
				return importer.LeadStats{Client: c.clientOrNil()}
			}, args)
		},
	}
	cmd.Flags().StringVar(&f.mapping, "mapping", "", "mapping file (its account and externalId); default: find the columns by header")
	f.registerRead(cmd)
	f.registerSend(cmd)
	return cmd
}
