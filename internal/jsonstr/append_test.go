package jsonstr

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendMatchesEncodingJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "plain", in: "John Smith"},
		{name: "empty", in: ""},
		{name: "quote and backslash", in: `say "hi" \ bye`},
		{name: "controls", in: "nl \n cr \r tab \t bs \b ff \f \x01 \x1f \x7f"},
		{name: "html", in: "<script>&amp;</script>"},
		{name: "unicode", in: "José Müller Zoë 日本 🙂"},
		{name: "invalid utf8", in: "bad \xff end \xc3"},
		{name: "line separators", in: "a\u2028b\u2029c"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			html, err := json.Marshal(tc.in)
			require.NoError(t, err)
			assert.Equal(t, string(html), string(Append(nil, tc.in, true)), "html-safe = json.Marshal")

			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			require.NoError(t, enc.Encode(tc.in))
			assert.Equal(t, string(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), string(Append(nil, tc.in, false)))
		})
	}
}
