package metrics

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLabels(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    map[string]string
		wantErr string // substring of the error; "" for success
	}{
		{name: "none", args: nil, want: map[string]string{}},
		{name: "pipeline", args: []string{"pipeline=nightly-crm"}, want: map[string]string{"pipeline": "nightly-crm"}},
		{name: "several", args: []string{"pipeline=crm", "env=prod", "team_1=sales"},
			want: map[string]string{"pipeline": "crm", "env": "prod", "team_1": "sales"}},
		{name: "value with = and spaces", args: []string{"query=a=b c"}, want: map[string]string{"query": "a=b c"}},
		{name: "value with slash", args: []string{"source=s3://bucket/x"}, want: map[string]string{"source": "s3://bucket/x"}},
		{name: "unicode value", args: []string{"team=Ventas España"}, want: map[string]string{"team": "Ventas España"}},
		{name: "underscore first", args: []string{"_private=x"}, want: map[string]string{"_private": "x"}},

		{name: "no equals", args: []string{"pipeline"}, wantErr: `--metrics-label "pipeline": want name=value`},
		{name: "empty name", args: []string{"=x"}, wantErr: `--metrics-label "=x": the label name is empty`},
		{name: "dash in name", args: []string{"my-pipeline=x"}, wantErr: `"my-pipeline" is not a valid label name`},
		{name: "digit first", args: []string{"1st=x"}, wantErr: `"1st" is not a valid label name`},
		{name: "dot in name", args: []string{"a.b=x"}, wantErr: `"a.b" is not a valid label name`},
		{name: "non-ASCII name", args: []string{"équipe=x"}, wantErr: `is not a valid label name`},
		{name: "double underscore", args: []string{"__name__=x"}, wantErr: `"__name__" is reserved: names starting with __`},
		{name: "job", args: []string{"job=x"}, wantErr: `"job" is reserved: it is set by --metrics-job`},
		{name: "status", args: []string{"status=x"}, wantErr: `"status" is reserved: xonvo_import_last_run_rows uses it`},
		{name: "code", args: []string{"code=x"}, wantErr: `"code" is reserved: xonvo_import_last_run_requests uses it`},
		{name: "empty value", args: []string{"pipeline="}, wantErr: `label "pipeline" has an empty value`},
		{name: "invalid UTF-8 value", args: []string{"pipeline=\xff"}, wantErr: `not valid UTF-8`},
		{name: "duplicate", args: []string{"pipeline=a", "env=x", "pipeline=b"},
			wantErr: `--metrics-label "pipeline=b": label "pipeline" is already set to "a"`},
		{name: "duplicate with the same value", args: []string{"pipeline=a", "pipeline=a"}, wantErr: `already set`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLabels(tt.args)
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, got)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.ErrorIs(t, err, ErrInvalidLabel)
			var le *LabelError
			require.True(t, errors.As(err, &le))
			assert.NotEmpty(t, le.Arg, "the error names the argument")
			assert.Nil(t, got)
		})
	}
}

func TestRunLabelsAreChecked(t *testing.T) {
	r := testRun()
	r.Labels = map[string]string{"pipeline": "crm", "job": "x"}
	err := WriteFile(t.TempDir()+"/m.prom", r)
	require.ErrorIs(t, err, ErrInvalidRun)
	require.ErrorIs(t, err, ErrInvalidLabel)
	assert.Contains(t, err.Error(), `metrics label "job": "job" is reserved`)
}
