package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
	"golang.org/x/time/rate"

	"github.com/xonvo/xonvo-import/adaptive"
	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/sandbox"
)

func termIsTerminal(fd int) bool { return term.IsTerminal(fd) }

// connOptions are the settings of every command that talks to the API.
type connOptions struct {
	url          string
	username     string
	passwordFile string
	useSandbox   bool
	rate         float64
	burst        int
	retries      int
	timeout      time.Duration
	maxRetryWait time.Duration
	// concurrency caps the requests in flight (the file-driven commands'
	// --concurrency); 0 leaves them uncapped (one request at a time anyway).
	concurrency int
}

func (f *connOptions) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.url, "url", "", "API base URL, e.g. https://admin.xonvo.com/api (env XONVO_URL)")
	fl.StringVar(&f.username, "username", "", "API username (env XONVO_USERNAME)")
	fl.StringVar(&f.passwordFile, "password-file", "", "file holding the API password (env XONVO_PASSWORD)")
	fl.BoolVar(&f.useSandbox, "sandbox", false, "start the embedded sandbox in-process and talk to it (no credentials needed)")
	fl.Float64Var(&f.rate, "rate", 10, "requests per second, shared by all workers and retries; 0 turns the limit off")
	fl.IntVar(&f.burst, "burst", 1, "requests that may go at once before the rate applies")
	fl.IntVar(&f.retries, "retries", 5, "retries of a request on 429, 5xx, timeouts and connection errors")
	fl.DurationVar(&f.timeout, "timeout", 60*time.Second, "time limit of one HTTP attempt")
	fl.DurationVar(&f.maxRetryWait, "max-retry-wait", client.DefaultMaxWait, "longest Retry-After the run waits through; a longer one stops it (exit 1) to rerun later with --resume")
}

// newLogger writes slog records to stderr in the chosen format.
func newLogger(w io.Writer, format string, quiet bool) (*slog.Logger, error) {
	level := slog.LevelInfo
	if quiet {
		level = slog.LevelWarn
	}
	opts := &slog.HandlerOptions{Level: level}
	switch format {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}

// connection is an open connection to the API or to the embedded sandbox.
type connection struct {
	client  *client.Client
	sandbox *sandbox.Server // nil unless --sandbox
	// origin says where the credentials came from, for "authentication
	// failed" messages; it never holds a secret.
	origin string
}

func (c *connection) Close() error {
	if c.sandbox != nil {
		return c.sandbox.Close()
	}
	return nil
}

// connect builds the client from flags and environment (flags win).
func (f *connOptions) connect(ctx context.Context, a *app) (*connection, error) {
	env := a.env
	log, err := a.logger()
	if err != nil {
		return nil, err
	}
	if f.maxRetryWait <= 0 {
		return nil, errors.New("--max-retry-wait must be more than 0")
	}
	opts := []client.Option{
		client.WithUserAgent(env.Version),
		client.WithTimeout(f.timeout),
		client.WithRetry(client.RetryPolicy{MaxRetries: f.retries, BaseDelay: 500 * time.Millisecond, MaxDelay: 30 * time.Second,
			MaxWait: f.maxRetryWait}),
		client.WithWaitObserver(func(_ context.Context, ev client.WaitEvent) {
			log.Warn("waiting before a retry", "wait", ev.Duration.Round(time.Millisecond).String(), "reason", ev.Reason,
				"method", ev.Method, "path", ev.Path, "attempt", ev.Attempt)
		}),
	}
	if f.rate < 0 {
		return nil, errors.New("--rate must be 0 (off) or more")
	}
	if f.rate > 0 {
		opts = append(opts, client.WithRateLimiter(rate.NewLimiter(rate.Limit(f.rate), max(f.burst, 1))))
	}
	if f.concurrency > 0 {
		slots, err := adaptive.New(adaptive.Options{Max: f.concurrency, Rate: f.rate})
		if err != nil {
			return nil, fmt.Errorf("--concurrency %d: %w", f.concurrency, err)
		}
		opts = append(opts, client.WithConcurrencyLimiter(slots))
	}
	if f.useSandbox {
		pw := make([]byte, 16)
		_, _ = rand.Read(pw)
		srv, err := sandbox.NewServer(sandbox.Options{Username: "sandbox", Password: hex.EncodeToString(pw), AutoCreateAccounts: true})
		if err != nil {
			return nil, fmt.Errorf("start sandbox: %w", err)
		}
		c, err := srv.Client(opts...)
		if err != nil {
			srv.Close()
			return nil, err
		}
		return &connection{client: c, sandbox: srv, origin: "the embedded sandbox"}, nil
	}
	url, urlFrom := pick(f.url, "--url", env.Getenv("XONVO_URL"), "XONVO_URL")
	if url == "" {
		return nil, errors.New("no API URL: set --url or XONVO_URL, or use --sandbox to try the tool without an account")
	}
	user, userFrom := pick(f.username, "--username", env.Getenv("XONVO_USERNAME"), "XONVO_USERNAME")
	if user == "" {
		return nil, errors.New("no username: set --username or XONVO_USERNAME")
	}
	var pass, passFrom string
	if f.passwordFile != "" {
		p, err := readPasswordFile(f.passwordFile)
		if err != nil {
			return nil, err
		}
		pass, passFrom = p, "--password-file "+f.passwordFile
	} else {
		pass, passFrom = env.Getenv("XONVO_PASSWORD"), "XONVO_PASSWORD"
	}
	if pass == "" {
		return nil, errors.New("no password: set --password-file or XONVO_PASSWORD")
	}
	opts = append(opts, client.WithCredentials(user, pass))
	c, err := client.New(url, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", urlFrom, err)
	}
	return &connection{client: c, origin: fmt.Sprintf("username from %s, password from %s", userFrom, passFrom)}, nil
}

func pick(flagVal, flagName, envVal, envName string) (string, string) {
	if flagVal != "" {
		return flagVal, flagName
	}
	return envVal, envName
}

// apiError turns an API failure into the command's error, naming where the
// credentials came from when they were refused.
func (c *connection) apiError(err error) error {
	if errors.Is(err, client.ErrAuth) {
		return fail(fmt.Errorf("authentication failed (%s): %w", c.origin, err))
	}
	return fail(err)
}

// readPasswordFile reads a password, without the line end an editor adds.
func readPasswordFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("--password-file: %w", err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}
