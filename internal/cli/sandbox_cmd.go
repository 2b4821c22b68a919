package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/xonvo/xonvo-import/sandbox"
)

// sandboxOptions are the options of the sandbox command.
type sandboxOptions struct {
	app          *app
	Listen       string
	PasswordFile string
	Accounts     string
	Reject       string
	CPUProfile   string
	Server       sandbox.Options
}

func newSandboxCmd(a *app, runF func(context.Context, *sandboxOptions) error) *cobra.Command {
	so := &sandboxOptions{app: a}
	o := &so.Server
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Serve a fake XONVO API in memory, with fault knobs for rehearsing a load",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Accounts = splitList(so.Accounts)
			o.RejectExternalIDs = splitList(so.Reject)
			if runF != nil {
				return runF(cmd.Context(), so)
			}
			return runSandbox(cmd.Context(), so)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&so.Listen, "listen", "127.0.0.1:8080", "address to listen on")
	fl.StringVar(&o.Username, "username", "sandbox", "username the sandbox accepts")
	fl.StringVar(&o.Password, "password", "sandbox", "password the sandbox accepts (a test server's, not a real secret)")
	fl.StringVar(&so.PasswordFile, "password-file", "", "read the accepted password from a file instead")
	fl.StringVar(&so.Accounts, "accounts", "", "account ids that exist from the start, e.g. 18,21")
	fl.IntVar(&o.RateLimit, "rate-limit", 0, "answer 429 with Retry-After past N requests per second (0 = off)")
	fl.Float64Var(&o.FailRate, "fail-rate", 0, "fraction of requests answered 500/502/503 without being applied")
	fl.Float64Var(&o.DropRate, "drop-rate", 0, "fraction of requests applied, then dropped with no response")
	fl.DurationVar(&o.Latency, "latency", 0*time.Millisecond, "delay added to every answer")
	fl.StringVar(&so.Reject, "reject-external-ids", "", "external ids whose bulk request gets a 400 that does not say which lead")
	fl.Int64Var(&o.Seed, "seed", 1, "seed of the fault draws (same seed, same faults)")
	fl.BoolVar(&o.AutoCreateAccounts, "auto-create-accounts", false, "create an account the first time a request names it, instead of answering 404")
	fl.StringVar(&so.CPUProfile, "cpuprofile", "", "write a CPU profile while serving (for performance work)")
	_ = fl.MarkHidden("cpuprofile")
	return cmd
}

func runSandbox(ctx context.Context, so *sandboxOptions) error {
	log, err := so.app.logger()
	if err != nil {
		return err
	}
	o := so.Server
	if so.PasswordFile != "" {
		pw, err := readPasswordFile(so.PasswordFile)
		if err != nil {
			return fail(err)
		}
		o.Password = pw
	}
	o.Logger = log
	if so.CPUProfile != "" {
		stop, err := startCPUProfile(so.CPUProfile)
		if err != nil {
			return fail(err)
		}
		defer stop()
	}
	srv, err := sandbox.Listen(ctx, so.Listen, o)
	if err != nil {
		return fail(err)
	}
	defer srv.Close()
	fmt.Fprintf(so.app.env.Stdout, "listening on %s\n", srv.URL())
	<-ctx.Done()
	return nil
}

// splitList reads "a,b, c" as [a b c].
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
