package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/importer"
)

// importOptions are the options of import and validate.
type importOptions struct {
	runOptions
	Mode         string // add or update
	API          string // bulk or single
	ValidateOnly bool
}

// newImportCmd builds import (or, with validateOnly, validate). runF runs
// the parsed options; nil means runImport. Tests pass their own to check
// flag parsing without running anything.
func newImportCmd(a *app, validateOnly bool, runF func(context.Context, *importOptions) error) *cobra.Command {
	o := &importOptions{runOptions: runOptions{app: a}, ValidateOnly: validateOnly}
	cmd := &cobra.Command{
		Use:   "import FILE... --mapping M.yaml",
		Short: "Read, map, validate and send leads, writing a per-row report",
		Args:  cobra.MinimumNArgs(1),
	}
	if validateOnly {
		cmd.Use = "validate FILE... --mapping M.yaml"
		cmd.Short = "Check files against a mapping without sending anything (import --dry-run)"
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Mapping, "mapping", "", "mapping file (YAML); see `xonvo-import mapping init`")
	_ = cmd.MarkFlagRequired("mapping")
	o.registerRead(cmd)
	fl.IntVar(&o.BatchSize, "batch-size", importer.DefaultBatchRows, "leads per bulk request")
	fl.IntVar(&o.BatchBytes, "batch-bytes", importer.DefaultBatchBytes, "largest bulk request body in bytes")
	fl.StringVar(&o.Payloads, "payloads", "", "with --dry-run: write the exact request bodies, one per line")
	fl.StringVar(&o.API, "api", "bulk", "bulk (POST|PUT /leads/bulk) or single (POST /lead per lead)")
	o.State.register(cmd)
	if !validateOnly {
		fl.StringVar(&o.MoveDone, "move-done", "", "move each input of a run that completed to this directory or object URL prefix (s3://bucket/done/)")
		fl.StringVar(&o.Mode, "mode", string(importer.ModeAdd), "add (POST /leads/bulk) or update (PUT /leads/bulk)")
		fl.BoolVar(&o.DryRun, "dry-run", false, "validate and report without sending (same as validate)")
		o.registerSend(cmd)
	}
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		o.Files = args
		if o.ValidateOnly {
			o.DryRun = true
		}
		if err := o.check(); err != nil {
			return err
		}
		if runF != nil {
			return runF(cmd.Context(), o)
		}
		return runImport(cmd.Context(), o)
	}
	return cmd
}

// check refuses flag combinations that make no sense (a usage error).
func (o *importOptions) check() error {
	if o.Payloads != "" && !o.DryRun {
		return errors.New("--payloads goes with --dry-run (or validate)")
	}
	if o.Mode != "" && o.Mode != string(importer.ModeAdd) && o.Mode != string(importer.ModeUpdate) {
		return fmt.Errorf("--mode %q: want add or update", o.Mode)
	}
	if o.API != "bulk" && o.API != "single" {
		return fmt.Errorf("--api %q: want bulk or single", o.API)
	}
	return nil
}

func runImport(ctx context.Context, o *importOptions) error {
	return runFiles(ctx, &o.runOptions, func(conn *connection) importer.Action {
		if o.API == "single" {
			return importer.SingleLeads{Client: conn.clientOrNil()}
		}
		return importer.BulkLeads{Client: conn.clientOrNil(), Mode: importer.Mode(o.Mode)}
	})
}

// clientOrNil is the connection's client, nil in a dry run (no connection).
func (c *connection) clientOrNil() *client.Client {
	if c == nil {
		return nil
	}
	return c.client
}
