package reports

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStatusProblem(t *testing.T) {
	tests := []struct {
		status  Status
		problem bool
	}{
		{StatusSent, false},
		{StatusValid, false},
		{StatusAlreadySent, false},
		{StatusUnchanged, false},
		{StatusSkipped, false},
		{StatusInvalid, true},
		{StatusDuplicate, true},
		{StatusRejected, true},
		{StatusFailed, true},
		{StatusNotSent, true},
		{"mystery", true},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			assert.Equal(t, tt.problem, tt.status.Problem())
		})
	}
	for _, st := range Statuses() {
		assert.True(t, st.Known(), st)
	}
	assert.False(t, Status("mystery").Known())
	assert.Len(t, Statuses(), 10)
}

func TestStopReasonSentence(t *testing.T) {
	seen := map[string]StopReason{}
	for _, r := range StopReasons() {
		t.Run(string(r), func(t *testing.T) {
			s := r.Sentence()
			require.NotEmpty(t, s)
			prev, dup := seen[s]
			assert.False(t, dup, "%s and %s read the same", prev, r)
			seen[s] = r
		})
	}
	assert.Len(t, StopReasons(), 11)
	assert.Empty(t, StopNone.Sentence())
	assert.Equal(t, "the run stopped after --max-errors was reached", StopMaxErrors.Sentence())
	assert.Equal(t, "the run stopped early (new-reason)", StopReason("new-reason").Sentence())
}

func TestStopReasonJSONIsThePlainString(t *testing.T) {
	tests := []struct {
		reason StopReason
		want   string
	}{
		{StopNone, `""`},
		{StopMaxErrorRate, `"max-error-rate"`},
		{StopWrongServer, `"wrong-server"`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			data, err := json.Marshal(Summary{Stopped: tt.reason})
			require.NoError(t, err)
			var got map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(data, &got))
			assert.JSONEq(t, tt.want, string(got["stopped"]))
		})
	}
}
