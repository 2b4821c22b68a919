package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/xonvo/xonvo-import/metrics"
	"github.com/xonvo/xonvo-import/notify"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/sandbox"
)

// monitorOptions are the flags that tell the world how an unattended run
// went: a metrics file, a Pushgateway push, a webhook.
type monitorOptions struct {
	MetricsFile string
	Pushgateway string
	MetricsJob  string
	Labels      []string
	Notify      string
	NotifyOn    string
}

func (m *monitorOptions) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&m.MetricsFile, "metrics-file", "", "write the run's Prometheus metrics to this file (node_exporter textfile format), every run")
	fl.StringVar(&m.Pushgateway, "pushgateway", "", "push the run's metrics to this Prometheus Pushgateway at the end of every run (Basic auth: XONVO_PUSHGATEWAY_USERNAME, XONVO_PUSHGATEWAY_PASSWORD_FILE)")
	fl.StringVar(&m.MetricsJob, "metrics-job", "", "the Pushgateway job (default "+metrics.DefaultJob+")")
	fl.StringArrayVar(&m.Labels, "metrics-label", nil, "a label on every metric and notification, KEY=VALUE (repeatable), e.g. pipeline=crm-nightly")
	fl.StringVar(&m.Notify, "notify", "", "POST a JSON message (Slack/Teams incoming webhook) to this URL when --notify-on says so")
	fl.StringVar(&m.NotifyOn, "notify-on", notify.DefaultOn, "when to --notify: failure (exit 1, 4, 5, 130), problems (those and 3) or always")
}

// check refuses bad monitoring flags before the run (a usage error).
func (m *monitorOptions) check() error {
	if _, err := metrics.ParseLabels(m.Labels); err != nil {
		return err
	}
	if _, err := notify.ShouldNotify(m.NotifyOn, 0); err != nil {
		return err
	}
	return nil
}

// outcome is what a finished command reports about itself.
type outcome struct {
	summary  reports.Summary
	report   string
	exitCode int
	ended    time.Time
	ran      bool            // the run read its input (a summary is worth printing)
	sandbox  *sandbox.Server // the embedded sandbox, whose leads are printed
}

// publish writes the summary JSON and the metrics, pushes them and notifies,
// as asked. Each failure is a warning on stderr: monitoring never changes
// the run's exit code.
func (o *runOptions) publish(ctx context.Context, out outcome) {
	warn := func(what string, err error) {
		if log, lerr := o.app.logger(); lerr == nil {
			log.Warn(what+" failed; the run's exit code is unchanged", "err", err.Error())
		}
	}
	if o.SummaryJSON != "" {
		if err := out.summary.WriteJSONFile(o.SummaryJSON); err != nil {
			warn("--summary-json", err)
		}
	}
	m := &o.Monitor
	labels, _ := metrics.ParseLabels(m.Labels) // checked before the run
	run := metrics.Run{Job: m.MetricsJob, Labels: labels, Rows: statusCounts(out.summary),
		Requests: out.summary.RequestCodes, Retries: out.summary.Retries,
		DurationSeconds: out.summary.Duration.Seconds(), ExitCode: out.exitCode, Timestamp: out.ended,
		Success: out.exitCode == ExitOK, BytesRead: out.summary.BytesRead}
	if m.MetricsFile != "" {
		if err := metrics.WriteFile(m.MetricsFile, run); err != nil {
			warn("--metrics-file", err)
		}
	}
	if m.Pushgateway != "" {
		po := metrics.PushOptions{Job: m.MetricsJob}
		user, pass, err := o.pushgatewayAuth()
		if err == nil {
			po.Username, po.Password = user, pass
			err = metrics.Push(ctx, m.Pushgateway, run, po)
		}
		if err != nil {
			warn("--pushgateway", err)
		}
	}
	if m.Notify != "" {
		if yes, _ := notify.ShouldNotify(m.NotifyOn, out.exitCode); yes {
			msg := notify.Message{Job: m.MetricsJob, Labels: labels, ExitCode: out.exitCode, Duration: out.summary.Duration,
				Rows: run.Rows, Files: out.summary.Files, Report: out.report, Stopped: string(out.summary.Stopped)}
			if err := notify.Send(ctx, m.Notify, msg, notify.Options{UserAgent: "xonvo-import/" + o.app.env.Version, Sleep: o.app.env.Sleep}); err != nil {
				warn("--notify", err)
			}
		}
	}
}

// pushgatewayAuth reads the gateway's Basic auth from the environment.
func (o *runOptions) pushgatewayAuth() (string, string, error) {
	env := o.app.env
	user := env.Getenv("XONVO_PUSHGATEWAY_USERNAME")
	file := env.Getenv("XONVO_PUSHGATEWAY_PASSWORD_FILE")
	if file == "" {
		return user, "", nil
	}
	pass, err := readPasswordFile(file)
	if err != nil {
		return "", "", fmt.Errorf("XONVO_PUSHGATEWAY_PASSWORD_FILE: %w", err)
	}
	return user, pass, nil
}

// statusCounts is the summary's counts by status name.
func statusCounts(s reports.Summary) map[string]int64 {
	out := make(map[string]int64, len(s.Counts))
	for st, n := range s.Counts {
		out[string(st)] = n
	}
	return out
}
