package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/xonvo/xonvo-import/sandbox"
)

func newSandboxCmd(env *Env) *cobra.Command {
	var (
		listen, user, pass, passFile string
		accounts, reject             string
		o                            sandbox.Options
		logFormat, cpuProfile        string
		quiet                        bool
	)
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Serve a fake XONVO API in memory, with fault knobs for rehearsing a load",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log, err := newLogger(env.Stderr, logFormat, quiet)
			if err != nil {
				return err
			}
			if passFile != "" {
				pw, err := readPasswordFile(passFile)
				if err != nil {
					return fail(err)
				}
				pass = pw
			}
			o.Username, o.Password = user, pass
			o.Accounts = splitList(accounts)
			o.RejectExternalIDs = splitList(reject)
			o.Logger = log
			if cpuProfile != "" {
				stop, err := startCPUProfile(cpuProfile)
				if err != nil {
					return fail(err)
				}
				defer stop()
			}
			srv, err := sandbox.Listen(cmd.Context(), listen, o)
			if err != nil {
				return fail(err)
			}
			defer srv.Close()
			fmt.Fprintf(env.Stdout, "listening on %s\n", srv.URL())
			<-cmd.Context().Done()
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&listen, "listen", "127.0.0.1:8080", "address to listen on")
	fl.StringVar(&user, "username", "sandbox", "username the sandbox accepts")
	fl.StringVar(&pass, "password", "sandbox", "password the sandbox accepts (a test server's, not a real secret)")
	fl.StringVar(&passFile, "password-file", "", "read the accepted password from a file instead")
	fl.StringVar(&accounts, "accounts", "", "account ids that exist from the start, e.g. 18,21")
	fl.IntVar(&o.RateLimit, "rate-limit", 0, "answer 429 with Retry-After past N requests per second (0 = off)")
	fl.Float64Var(&o.FailRate, "fail-rate", 0, "fraction of requests answered 500/502/503 without being applied")
	fl.Float64Var(&o.DropRate, "drop-rate", 0, "fraction of requests applied, then dropped with no response")
	fl.DurationVar(&o.Latency, "latency", 0*time.Millisecond, "delay added to every answer")
	fl.StringVar(&reject, "reject-external-ids", "", "external ids whose bulk request gets a 400 that does not say which lead")
	fl.Int64Var(&o.Seed, "seed", 1, "seed of the fault draws (same seed, same faults)")
	registerLogFlags(cmd, &logFormat, &quiet)
	fl.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile while serving (for performance work)")
	_ = fl.MarkHidden("cpuprofile")
	return cmd
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
