package pushgatewaytest

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStart(t *testing.T) {
	tests := []struct {
		name       string
		opts       Options
		wantAnonym int // status of /metrics without credentials
	}{
		{name: "open", wantAnonym: http.StatusOK},
		{name: "basic auth", opts: Options{Username: "u", Password: "p w:\"x"}, wantAnonym: http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := Start(t, tt.opts)
			assert.True(t, strings.HasPrefix(g.URL, "http://127.0.0.1:"), g.URL)
			text, mfs := g.Scrape(t)
			assert.Contains(t, mfs, "pushgateway_build_info")
			assert.Contains(t, text, "# TYPE pushgateway_build_info gauge")

			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, g.URL+"/metrics", nil)
			require.NoError(t, err)
			resp, err := g.client.Do(req)
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, resp.Body)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, tt.wantAnonym, resp.StatusCode)
		})
	}
}

func TestValueAndLines(t *testing.T) {
	const scrape = `# HELP a_total A.
# TYPE a_total counter
a_total{job="x",k="1"} 3
a_total{job="x",k="2"} 4
# HELP b B.
# TYPE b gauge
b{job="x"} 1.5
# TYPE c untyped
c 7
`
	parser := expfmt.NewTextParser(model.LegacyValidation)
	mfs, err := parser.TextToMetricFamilies(strings.NewReader(scrape))
	require.NoError(t, err)
	tests := []struct {
		name    string
		metric  string
		labels  map[string]string
		want    float64
		wantErr bool
	}{
		{name: "counter by label", metric: "a_total", labels: map[string]string{"k": "2"}, want: 4},
		{name: "gauge, labels a subset", metric: "b", labels: nil, want: 1.5},
		{name: "untyped", metric: "c", want: 7},
		{name: "no such label value", metric: "a_total", labels: map[string]string{"k": "3"}, wantErr: true},
		{name: "no such metric", metric: "d", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Value(mfs, tt.metric, tt.labels)
			if tt.wantErr {
				require.ErrorIs(t, err, ErrNoSample)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	assert.Equal(t, "# HELP b B.\n# TYPE b gauge\nb{job=\"x\"} 1.5\n", Lines(scrape, "b"))
}
