package notify

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/golden"
)

// failedMessage is the run of the package doc's example, with a pipeline.
func failedMessage() Message {
	return Message{
		Labels:   map[string]string{"pipeline": "crm-nightly"},
		ExitCode: 1,
		Duration: 12345 * time.Millisecond,
		Rows:     map[string]int64{"sent": 1100, "invalid": 104},
		Files:    []string{"in/leads.csv"},
		Report:   "out/r.csv",
		Stopped:  "unreachable",
	}
}

// withJob is m with Job set.
func withJob(m Message, job string) Message {
	m.Job = job
	return m
}

func TestText(t *testing.T) {
	tests := []struct {
		name string
		msg  Message
		want string
	}{
		{name: "failed run", msg: Message{ExitCode: 1, Duration: 12300 * time.Millisecond,
			Rows: map[string]int64{"sent": 1100, "invalid": 104}, Report: "out/r.csv", Stopped: "unreachable"},
			want: "xonvo-import FAILED (exit 1) after 12.3s: 1,204 rows: 1,100 sent, 104 invalid — report out/r.csv — stopped: unreachable"},
		{name: "success with job and labels", msg: Message{Job: "nightly",
			Labels: map[string]string{"pipeline": "crm", "env": "prod"}, Duration: 245 * time.Second,
			Rows: map[string]int64{"sent": 249_990, "unchanged": 10, "failed": 0}, Files: []string{"leads.csv"},
			Report: "out/r.csv"},
			want: "xonvo-import [job=nightly env=prod pipeline=crm] OK (exit 0) after 4m5s: 250,000 rows: " +
				"249,990 sent, 10 unchanged — input leads.csv — report out/r.csv"},
		{name: "some rows not sent", msg: Message{ExitCode: 3, Duration: 90 * time.Minute,
			Rows: map[string]int64{"sent": 5, "rejected": 2, "duplicate": 1}},
			want: "xonvo-import FINISHED WITH UNSENT ROWS (exit 3) after 1h30m0s: 8 rows: 5 sent, 1 duplicate, 2 rejected"},
		{name: "too many errors", msg: Message{ExitCode: 4, Duration: time.Second, Rows: map[string]int64{"invalid": 50, "not_sent": 950},
			Stopped: "max-errors"},
			want: "xonvo-import STOPPED: TOO MANY ERRORS (exit 4) after 1.0s: 1,000 rows: 50 invalid, 950 not_sent — stopped: max-errors"},
		{name: "refused by a guard, nothing counted", msg: Message{ExitCode: 5, Duration: 200 * time.Millisecond,
			Files: []string{"a.csv"}, Stopped: "guard"},
			want: "xonvo-import REFUSED BY A GUARD (exit 5) after 0.2s: 0 rows — input a.csv — stopped: guard"},
		{name: "interrupted", msg: Message{ExitCode: 130, Duration: 61500 * time.Millisecond, Rows: map[string]int64{"sent": 7, "not_sent": 3},
			Stopped: "interrupted"},
			want: "xonvo-import INTERRUPTED (exit 130) after 1m2s: 10 rows: 7 sent, 3 not_sent — stopped: interrupted"},
		{name: "usage error", msg: Message{ExitCode: 2},
			want: "xonvo-import USAGE ERROR (exit 2) after 0.0s: 0 rows"},
		{name: "unknown exit code", msg: Message{ExitCode: 42},
			want: "xonvo-import ENDED (exit 42) after 0.0s: 0 rows"},
		{name: "unknown status listed after the known ones", msg: Message{ExitCode: 3,
			Rows: map[string]int64{"zeta": 1, "sent": 1, "alpha": 2}},
			want: "xonvo-import FINISHED WITH UNSENT ROWS (exit 3) after 0.0s: 4 rows: 1 sent, 2 alpha, 1 zeta"},
		{name: "many files", msg: Message{ExitCode: 1, Files: []string{"a.csv", "b.csv", "c.csv", "d.csv", "e.csv"}},
			want: "xonvo-import FAILED (exit 1) after 0.0s: 0 rows — input a.csv, b.csv, c.csv (+2 more)"},
		{name: "Slack markup escaped", msg: Message{ExitCode: 1, Files: []string{"<!channel>&<http://evil|click>.csv"},
			Labels: map[string]string{"pipeline": "a<b"}},
			want: "xonvo-import [pipeline=a&lt;b] FAILED (exit 1) after 0.0s: 0 rows — input &lt;!channel&gt;&amp;&lt;http://evil|click&gt;.csv"},
		{name: "control characters flattened", msg: Message{ExitCode: 1, Files: []string{"a\nb.csv"}, Stopped: "fatal:\tx"},
			want: "xonvo-import FAILED (exit 1) after 0.0s: 0 rows — input a b.csv — stopped: fatal: x"},
		{name: "credentials in input URLs dropped", msg: Message{ExitCode: 1,
			Files:  []string{"s3://AKIAEXAMPLE:wJalrXUtnFEMI@bucket/leads.csv?region=us-east-1", "azblob://c/leads.csv?sig=SAS-TOKEN#frag"},
			Report: "https://user:pw@files.example/r.csv?token=T"},
			want: "xonvo-import FAILED (exit 1) after 0.0s: 0 rows — input s3://bucket/leads.csv, azblob://c/leads.csv" +
				" — report https://files.example/r.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := build(tt.msg)
			assert.Equal(t, tt.want, p.Text)
		})
	}
}

func TestPayloadGolden(t *testing.T) {
	tests := []struct {
		name   string
		msg    Message
		golden string
	}{
		{name: "failed run", msg: failedMessage(), golden: "failed.json"},
		{name: "successful run without labels", msg: Message{Duration: 3 * time.Second,
			Rows: map[string]int64{"sent": 3}, Files: []string{"a.csv"}}, golden: "success.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Payload(tt.msg)
			require.NoError(t, err)
			require.True(t, json.Valid(got))
			var indented bytes.Buffer
			require.NoError(t, json.Indent(&indented, got, "", "  "))
			indented.WriteByte('\n')
			golden.Assert(t, tt.golden, indented.Bytes())
		})
	}
}

func TestPayloadShape(t *testing.T) {
	tests := []struct {
		name        string
		msg         Message
		wantRunKeys []string
	}{
		{name: "with job and labels", msg: withJob(failedMessage(), "crm"), wantRunKeys: []string{"counts", "duration_seconds",
			"exit_code", "files", "job", "labels", "outcome", "report", "rows", "stopped"}},
		{name: "without", msg: Message{ExitCode: 3}, wantRunKeys: []string{"counts", "duration_seconds",
			"exit_code", "files", "outcome", "report", "rows", "stopped"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := Payload(tt.msg)
			require.NoError(t, err)
			var top map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(body, &top))
			assert.ElementsMatch(t, []string{"text", "summary"}, keys(top))

			var run map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(top["summary"], &run))
			assert.Equal(t, tt.wantRunKeys, keys(run))

			var counts map[string]int64
			require.NoError(t, json.Unmarshal(run["counts"], &counts))
			for _, s := range statuses() {
				assert.Contains(t, counts, s, "every status is present, 0 included")
			}
			assert.NotEqual(t, "null", string(run["files"]), "files is a list, even empty")
		})
	}

	t.Run("values", func(t *testing.T) {
		body, err := Payload(withJob(failedMessage(), "crm"))
		require.NoError(t, err)
		var p struct {
			Text    string
			Summary struct {
				Outcome         string            `json:"outcome"`
				ExitCode        int               `json:"exit_code"`
				DurationSeconds float64           `json:"duration_seconds"`
				Rows            int64             `json:"rows"`
				Counts          map[string]int64  `json:"counts"`
				Files           []string          `json:"files"`
				Report          string            `json:"report"`
				Stopped         string            `json:"stopped"`
				Job             string            `json:"job"`
				Labels          map[string]string `json:"labels"`
			}
		}
		require.NoError(t, json.Unmarshal(body, &p))
		assert.Equal(t, "failed", p.Summary.Outcome)
		assert.Equal(t, 1, p.Summary.ExitCode)
		assert.Equal(t, 12.345, p.Summary.DurationSeconds)
		assert.Equal(t, int64(1204), p.Summary.Rows)
		assert.Equal(t, int64(1100), p.Summary.Counts["sent"])
		assert.Equal(t, int64(104), p.Summary.Counts["invalid"])
		assert.Equal(t, int64(0), p.Summary.Counts["failed"])
		assert.Equal(t, []string{"in/leads.csv"}, p.Summary.Files)
		assert.Equal(t, "out/r.csv", p.Summary.Report)
		assert.Equal(t, "unreachable", p.Summary.Stopped)
		assert.Equal(t, "crm", p.Summary.Job)
		assert.Equal(t, map[string]string{"pipeline": "crm-nightly"}, p.Summary.Labels)
	})
}

func TestOutcomeTokens(t *testing.T) {
	tests := []struct {
		code      int
		wantToken string
	}{
		{0, "ok"}, {1, "failed"}, {2, "usage"}, {3, "partial"}, {4, "max_errors"}, {5, "refused"},
		{130, "interrupted"}, {-1, "unknown"}, {137, "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.wantToken, func(t *testing.T) {
			_, token := outcome(tt.code)
			assert.Equal(t, tt.wantToken, token)
		})
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestDocsShowTheRealPayload(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "monitoring.md"))
	require.NoError(t, err)
	golden, err := os.ReadFile(filepath.Join("testdata", "golden", "failed.json"))
	require.NoError(t, err)
	assert.Contains(t, string(doc), "```json\n"+string(golden)+"```",
		"docs/monitoring.md shows testdata/golden/failed.json as it is")
}

func BenchmarkPayload(b *testing.B) {
	m := failedMessage()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Payload(m); err != nil {
			b.Fatal(err)
		}
	}
}
