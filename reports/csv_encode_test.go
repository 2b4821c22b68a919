package reports

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// encodingCSVRow is what the writer wrote before it appended rows itself:
// the neutralised cells through encoding/csv.
func encodingCSVRow(t testing.TB, r *RowResult, nOrig int) string {
	t.Helper()
	rec := []string{neutralise(r.File), strconv.Itoa(r.Row), neutralise(string(r.Status)), neutralise(r.Message),
		neutralise(r.AccountID), neutralise(r.ExternalID), neutralise(r.Phone),
		strconv.Itoa(r.HTTPStatus), strconv.Itoa(r.Attempts)}
	for i := range nOrig {
		c := ""
		if i < len(r.Original) {
			c = neutralise(r.Original[i])
		}
		rec = append(rec, c)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	require.NoError(t, w.Write(rec))
	w.Flush()
	require.NoError(t, w.Error())
	return b.String()
}

func TestAppendCSVMatchesEncodingCSV(t *testing.T) {
	cells := []struct{ name, in string }{
		{name: "empty", in: ""},
		{name: "plain", in: "Ann"},
		{name: "comma", in: "Smith, Jr."},
		{name: "quote", in: `say "hi"`},
		{name: "only a quote", in: `"`},
		{name: "newline", in: "line1\nline2"},
		{name: "CRLF", in: "a\r\nb"},
		{name: "lone CR", in: "a\rb"},
		{name: "leading space", in: " padded"},
		{name: "leading tab", in: "\tx"},
		{name: "leading no-break space", in: "\u00a0x"},
		{name: "leading NEL", in: "\u0085x"},
		{name: "leading ideographic space", in: "\u3000x"},
		{name: "trailing space", in: "x "},
		{name: "end-of-data marker", in: `\.`},
		{name: "marker with more", in: `\..`},
		{name: "formula", in: "=SUM(A1)"},
		{name: "phone", in: "+13335550101"},
		{name: "minus", in: "-1"},
		{name: "at", in: "@cmd"},
		{name: "CR first", in: "\rx"},
		{name: "formula with comma", in: "=A1,B1"},
		{name: "formula with quote", in: `=HYPERLINK("x")`},
		{name: "apostrophes then formula", in: "''=1"},
		{name: "apostrophes alone", in: "'''"},
		{name: "apostrophe then text", in: "'abc"},
		{name: "unicode", in: "José 日本語 🙂"},
		{name: "invalid utf-8 first", in: "\xffabc"},
		{name: "invalid utf-8 inside", in: "a\xffb,c"},
	}
	for _, tt := range cells {
		t.Run(tt.name, func(t *testing.T) {
			r := RowResult{File: tt.in, Row: 7, Status: StatusInvalid, Message: tt.in, AccountID: tt.in,
				ExternalID: tt.in, Phone: tt.in, HTTPStatus: 422, Attempts: 2, Original: []string{tt.in, "x"}}
			assert.Equal(t, encodingCSVRow(t, &r, 3), string(appendCSVRow(nil, &r, 3)))
		})
	}
	t.Run("random cells", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		alphabet := []string{"a", "Z", "0", " ", ",", `"`, "\n", "\r", "\t", "'", "=", "+", "-", "@", `\`, ".",
			"é", "\u00a0", "\u2028", "\xff", ";"}
		cell := func() string {
			var b []byte
			for range rng.IntN(6) {
				b = append(b, alphabet[rng.IntN(len(alphabet))]...)
			}
			return string(b)
		}
		for range 20000 {
			r := RowResult{File: cell(), Row: rng.IntN(1 << 20), Status: Status(cell()), Message: cell(),
				AccountID: cell(), ExternalID: cell(), Phone: cell(), HTTPStatus: rng.IntN(600), Attempts: rng.IntN(9)}
			for range rng.IntN(4) {
				r.Original = append(r.Original, cell())
			}
			require.Equal(t, encodingCSVRow(t, &r, 4), string(appendCSVRow(nil, &r, 4)), "%q", r)
		}
	})
}
