package cli

import (
	"bytes"
	"context"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/importer"
)

// parse runs cmd's flag parsing and checks, with the command's run replaced
// by runF's capture: nothing is read, sent or written.
func parse(t *testing.T, cmd *cobra.Command, args ...string) error {
	t.Helper()
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return cmd.ExecuteContext(context.Background())
}

func testApp() *app { return &app{env: &Env{Getenv: func(string) string { return "" }}} }

func TestImportFlags(t *testing.T) {
	tests := []struct {
		name     string
		validate bool
		args     []string
		check    func(t *testing.T, o *importOptions)
		wantErr  string
	}{
		{name: "defaults", args: []string{"a.csv", "--mapping", "m.yaml"}, check: func(t *testing.T, o *importOptions) {
			assert.Equal(t, []string{"a.csv"}, o.Files)
			assert.Equal(t, "m.yaml", o.Mapping)
			assert.Equal(t, "add", o.Mode)
			assert.Equal(t, "bulk", o.API)
			assert.Equal(t, importer.DefaultBatchRows, o.BatchSize)
			assert.Equal(t, importer.DefaultConcurrency, o.Concurrency)
			assert.Equal(t, 10.0, o.Conn.rate)
			assert.Equal(t, 1, o.Conn.burst)
			assert.False(t, o.DryRun)
			assert.Equal(t, "a.report.csv", o.reportPath())
		}},
		{name: "every sending flag", args: []string{"a.csv", "b.xlsx", "--mapping", "m.yaml", "--mode", "update", "--batch-size", "7",
			"--batch-bytes", "4096", "--rate", "2.5", "--burst", "3", "--concurrency", "9", "--max-errors", "4", "--resume",
			"--report", "out/r.jsonl", "--sheet", "Leads", "--encoding", "utf-16", "--delimiter", "tab", "--url", "http://x", "--sandbox"},
			check: func(t *testing.T, o *importOptions) {
				assert.Equal(t, []string{"a.csv", "b.xlsx"}, o.Files)
				assert.Equal(t, "update", o.Mode)
				assert.Equal(t, 7, o.BatchSize)
				assert.Equal(t, 4096, o.BatchBytes)
				assert.Equal(t, 2.5, o.Conn.rate)
				assert.Equal(t, 3, o.Conn.burst)
				assert.Equal(t, 9, o.Concurrency)
				assert.Equal(t, 4, o.MaxErrors)
				assert.True(t, o.Resume)
				assert.True(t, o.Conn.useSandbox)
				assert.Equal(t, "http://x", o.Conn.url)
				assert.Equal(t, "out/r.jsonl", o.reportPath())
				so, err := o.sourceOptions()
				require.NoError(t, err)
				assert.Equal(t, '\t', so.Delimiter)
				assert.Equal(t, "Leads", so.Sheet)
				assert.Equal(t, "utf-16", so.Encoding)
			}},
		{name: "dry run with payloads", args: []string{"a.csv", "--mapping", "m.yaml", "--dry-run", "--payloads", "p.jsonl"},
			check: func(t *testing.T, o *importOptions) {
				assert.True(t, o.DryRun)
				assert.Equal(t, "p.jsonl", o.Payloads)
			}},
		{name: "validate is a dry run", validate: true, args: []string{"a.csv", "--mapping", "m.yaml", "--payloads", "p.jsonl"},
			check: func(t *testing.T, o *importOptions) {
				assert.True(t, o.DryRun)
				assert.True(t, o.ValidateOnly)
			}},
		{name: "validate takes no --resume", validate: true, args: []string{"a.csv", "--mapping", "m.yaml", "--resume"}, wantErr: "unknown flag: --resume"},
		{name: "payloads need a dry run", args: []string{"a.csv", "--mapping", "m.yaml", "--payloads", "p"}, wantErr: "--payloads goes with --dry-run"},
		{name: "bad mode", args: []string{"a.csv", "--mapping", "m.yaml", "--mode", "upsert"}, wantErr: `--mode "upsert"`},
		{name: "bad api", args: []string{"a.csv", "--mapping", "m.yaml", "--api", "batch"}, wantErr: `--api "batch"`},
		{name: "no mapping", args: []string{"a.csv"}, wantErr: `"mapping" not set`},
		{name: "no file", args: []string{"--mapping", "m.yaml"}, wantErr: "requires at least 1 arg"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got *importOptions
			cmd := newImportCmd(testApp(), tc.validate, func(_ context.Context, o *importOptions) error {
				got = o
				return nil
			})
			err := parse(t, cmd, tc.args...)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.Nil(t, got, "the command must not run")
				return
			}
			require.NoError(t, err)
			require.NotNil(t, got)
			tc.check(t, got)
		})
	}
}

func TestLeadOpFlags(t *testing.T) {
	tests := []struct {
		name    string
		op      importer.LeadOp
		args    []string
		want    leadOpOptions
		wantErr string
	}{
		{name: "from a file", op: importer.OpStop, args: []string{"r.csv"}, want: leadOpOptions{Op: importer.OpStop, runOptions: runOptions{Files: []string{"r.csv"}}}},
		{name: "one phone", op: importer.OpUnsubscribe, args: []string{"--phone", "+1"}, want: leadOpOptions{Op: importer.OpUnsubscribe, Phone: "+1"}},
		{name: "one lead", op: importer.OpReset, args: []string{"--account", "18", "--external-id", "E"}, want: leadOpOptions{Op: importer.OpReset, Account: "18", ExternalID: "E"}},
		{name: "file and flags", op: importer.OpStop, args: []string{"r.csv", "--account", "18", "--external-id", "E"}, wantErr: "not both"},
		{name: "nothing", op: importer.OpReset, wantErr: "give a FILE"},
		{name: "account alone", op: importer.OpUnsubscribe, args: []string{"--account", "18"}, wantErr: "go together"},
		{name: "stop by phone", op: importer.OpStop, args: []string{"--phone", "+1"}, wantErr: "unknown flag: --phone"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got *leadOpOptions
			cmd := newLeadOpCmd(testApp(), tc.op, func(_ context.Context, o *leadOpOptions) error {
				got = o
				return nil
			})
			err := parse(t, cmd, tc.args...)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			require.NotNil(t, got)
			assert.Equal(t, tc.want.Op, got.Op)
			assert.ElementsMatch(t, tc.want.Files, got.Files)
			assert.Equal(t, tc.want.Phone, got.Phone)
			assert.Equal(t, tc.want.Account, got.Account)
			assert.Equal(t, tc.want.ExternalID, got.ExternalID)
		})
	}
}

func TestAccountUpdateFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
		check   func(t *testing.T, o *accountWriteOptions)
	}{
		{name: "a partial update is refused", args: []string{"24", "--name", "X"}, wantErr: "phoneNumber, email, description"},
		{name: "--replace allows it", args: []string{"24", "--name", "X", "--replace"}, check: func(t *testing.T, o *accountWriteOptions) {
			assert.Equal(t, "24", o.ID)
			assert.Equal(t, "X", o.Account.Name)
			assert.True(t, o.Replace)
		}},
		{name: "a full account from a file", args: []string{"24", "--file", "testdata/account-full.yaml", "--name", "Y"}, check: func(t *testing.T, o *accountWriteOptions) {
			assert.Equal(t, "Y", o.Account.Name, "flags win over the file")
			assert.Equal(t, "US/Arizona", o.Account.Timezone)
			require.NotNil(t, o.Account.AreaCode)
			assert.Equal(t, 434, *o.Account.AreaCode)
		}},
		{name: "an attribute without =", args: []string{"24", "--name", "X", "--replace", "--attribute", "K"}, wantErr: "want KEY=VALUE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got *accountWriteOptions
			cmd := newAccountWriteCmd(testApp(), true, func(_ context.Context, o *accountWriteOptions) error {
				got = o
				return nil
			})
			err := parse(t, cmd, tc.args...)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.Nil(t, got)
				return
			}
			require.NoError(t, err)
			tc.check(t, got)
		})
	}
}

func TestStatsAccountFlags(t *testing.T) {
	var got *statsAccountOptions
	cmd := newStatsAccountCmd(testApp(), func(_ context.Context, o *statsAccountOptions) error {
		got = o
		return nil
	})
	require.NoError(t, parse(t, cmd, "18", "--from", "2022-02-20", "--to", "2022-02-21T00:00:00-05:00", "--timezone", "America/New_York", "--json"))
	assert.Equal(t, "18", got.Account)
	assert.Equal(t, "2022-02-20T00:00:00-05:00", got.FromT.Format("2006-01-02T15:04:05Z07:00"))
	assert.Equal(t, "2022-02-21T05:00:00Z", got.ToT.UTC().Format("2006-01-02T15:04:05Z07:00"))
	assert.True(t, got.JSON)

	got = nil
	err := parse(t, newStatsAccountCmd(testApp(), func(context.Context, *statsAccountOptions) error { t.Fatal("ran"); return nil }),
		"18", "--from", "2022-02-21", "--to", "2022-02-20")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "before --from")
}
