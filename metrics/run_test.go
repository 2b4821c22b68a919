package metrics

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequestCode(t *testing.T) {
	tests := []struct {
		name   string
		status int
		want   string
	}{
		{name: "no response", status: 0, want: "error"},
		{name: "negative is no response", status: -1, want: "error"},
		{name: "ok", status: 200, want: "200"},
		{name: "redirect kept exact", status: 302, want: "302"},
		{name: "bad request", status: 400, want: "400"},
		{name: "unauthorized", status: 401, want: "401"},
		{name: "rate limited", status: 429, want: "429"},
		{name: "internal error", status: 500, want: "5xx"},
		{name: "unavailable", status: 503, want: "5xx"},
		{name: "gateway timeout", status: 504, want: "5xx"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, RequestCode(tt.status))
		})
	}
}

func TestRunValidation(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*Run)
		wantErr string
	}{
		{name: "valid", change: func(*Run) {}},
		{name: "no labels", change: func(r *Run) { r.Labels = nil }},
		{name: "no rows nor requests", change: func(r *Run) { r.Rows, r.Requests = nil, nil }},
		{name: "no timestamp", change: func(r *Run) { r.Timestamp = time.Time{} }, wantErr: "Timestamp is not set"},
		{name: "success with exit 3", change: func(r *Run) { r.ExitCode = 3 }, wantErr: "Success is true but ExitCode is 3"},
		{name: "failure with exit 0", change: func(r *Run) { r.Success = false }, wantErr: "Success is false but ExitCode is 0"},
		{name: "empty status", change: func(r *Run) { r.Rows[""] = 1 }, wantErr: "empty status"},
		{name: "word as code", change: func(r *Run) { r.Requests["ok"] = 1 }, wantErr: `request code "ok" is not an HTTP status code`},
		{name: "code out of range", change: func(r *Run) { r.Requests["600"] = 1 }, wantErr: `request code "600"`},
		{name: "padded code", change: func(r *Run) { r.Requests["0200"] = 1 }, wantErr: `request code "0200"`},
		{name: "4xx bucket is not one", change: func(r *Run) { r.Requests["4xx"] = 1 }, wantErr: `request code "4xx"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := testRun()
			tt.change(&r)
			err := r.validate()
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidRun)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestRequestCountsFoldServerErrors(t *testing.T) {
	r := testRun()
	r.Requests = map[string]int64{"200": 5, "500": 1, "503": 2, "5xx": 3, "404": 1}
	assert.Equal(t, map[string]int64{"200": 5, "400": 0, "401": 0, "404": 1, "429": 0, "5xx": 6, "error": 0},
		r.requestCounts())
}

func TestRowCountsKeepEveryStatus(t *testing.T) {
	r := Run{Rows: map[string]int64{"sent": 3, "zzz_new": 1, "aaa_new": 2}}
	order, counts := r.rowCounts()
	assert.Equal(t, append(Statuses(), "aaa_new", "zzz_new"), order)
	assert.Equal(t, int64(3), counts["sent"])
	assert.Equal(t, int64(0), counts["failed"])
	assert.Len(t, counts, len(Statuses())+2)
}
