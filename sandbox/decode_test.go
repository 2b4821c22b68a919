package sandbox

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bulkOutcome is everything handleBulk takes from decoding a bulk body.
type bulkOutcome struct {
	Groups   []bulkGroup
	Count    int
	Rejected bool
	Status   int
	Message  string
}

func outcomeOf(b *bulkBody, err error) bulkOutcome {
	var o bulkOutcome
	if b != nil {
		o.Count = b.count
	}
	if err != nil {
		o.Message = err.Error()
		var ae *apiError
		if errors.As(err, &ae) {
			o.Status = ae.status
		}
		return o
	}
	o.Groups, o.Rejected = b.groups, b.rejected
	return o
}

func decodeTestServer(t testing.TB) *Server {
	t.Helper()
	srv, err := newServer(Options{Accounts: []string{"18"}, RejectExternalIDs: []string{"BAD"}})
	require.NoError(t, err)
	return srv
}

// A compact valid lead, and pieces to build bodies from.
const (
	okLead  = `{"firstName":"John","lastName":"Smith","phone":"+1 333 111 8888","timestamp":"06-23-2021 22:55:23","externalId":"E1"}`
	okLead2 = `{"firstName":"Ann","lastName":"Lee","phone":"+13331118889","timestamp":"02-29-2024 00:00:00","attributes":{"K":"v","L":null}}`
)

func wrap(accounts string) string { return `{"leadsByAccountId":{` + accounts + `}}` }

// bulkDecodeCases are bodies whose answer the fast path must give exactly as
// the streaming decoder does. fast says whether the fast path takes it alone.
var bulkDecodeCases = []struct {
	name string
	body string
	fast bool
}{
	{name: "one lead", body: wrap(`"18":[` + okLead + `]`), fast: true},
	{name: "two accounts, three leads", body: wrap(`"18":[` + okLead + `,` + okLead2 + `],"21":[` + okLead + `]`), fast: true},
	{name: "whitespace everywhere", body: " \n{ \"leadsByAccountId\" :\t{ \"18\" : [ \r\n" +
		`{ "firstName" : "J" , "lastName" : "S" , "phone" : "1" , "timestamp" : "01-01-2020 00:00:00" , "attributes" : { "a" : "b" , "c" : null } }` +
		" , " + okLead + " ] } } \n", fast: true},
	{name: "same account twice", body: wrap(`"18":[` + okLead + `],"18":[` + okLead2 + `]`), fast: true},
	{name: "escapes in values and keys", body: wrap(`"1\u0038":[{"first\u004eame":"J\"o\\h\/n\u00e9\b\f\n\r\t","lastName":"S","phone":"\u002b1","timestamp":"06-23-2021 22:55:23","attributes":{"k\"":"v\u2028"}}]`), fast: true},
	{name: "escaped top-level key", body: `{"leadsByAccount\u0049d":{"18":[` + okLead + `]}}`, fast: true},
	{name: "invalid UTF-8 account id", body: wrap("\"1\xff8\":[" + okLead + `]`), fast: true},
	{name: "invalid UTF-8 in a value", body: wrap("\"18\":[{\"firstName\":\"J\xffn\",\"lastName\":\"S\",\"phone\":\"1\",\"timestamp\":\"06-23-2021 22:55:23\"}]"), fast: true},
	{name: "case-insensitive field names", body: wrap(`"18":[{"FIRSTNAME":"J","lastname":"S","Phone":"1","timeStamp":"06-23-2021 22:55:23","EXTERNALID":"X"}]`), fast: true},
	{name: "null fields and attributes", body: wrap(`"18":[{"firstName":"J","lastName":"S","phone":"1","timestamp":"06-23-2021 22:55:23","email":null,"attributes":null}]`), fast: true},
	{name: "no external id", body: wrap(`"18":[{"firstName":"J","lastName":"S","phone":"+1 (333) 111-8888","timestamp":"06-23-2021 22:55:23"}]`), fast: true},
	{name: "rejected external id", body: wrap(`"18":[` + okLead + `,{"firstName":"J","lastName":"S","phone":"1","timestamp":"06-23-2021 22:55:23","externalId":"BAD"}]`), fast: true},
	{name: "unknown account is for applyBulk", body: wrap(`"99":[` + okLead + `]`), fast: true},

	{name: "empty body", body: ``},
	{name: "only space", body: " \n"},
	{name: "top-level array", body: `[]`},
	{name: "top-level null", body: `null`},
	{name: "top-level string", body: `"x"`},
	{name: "empty object", body: `{}`},
	{name: "null accounts", body: `{"leadsByAccountId":null}`},
	{name: "no accounts", body: `{"leadsByAccountId":{}}`},
	{name: "accounts not an object", body: `{"leadsByAccountId":[]}`},
	{name: "accounts a number", body: `{"leadsByAccountId":12}`},
	{name: "unknown top-level field", body: `{"leads":[]}`},
	{name: "leadsByAccountId twice", body: `{"leadsByAccountId":{"18":[` + okLead + `]},"leadsByAccountId":{}}`},
	{name: "empty account id", body: wrap(`" ":[` + okLead + `]`)},
	{name: "account with no leads", body: wrap(`"18":[]`)},
	{name: "leads not an array", body: wrap(`"18":{}`)},
	{name: "leads null", body: wrap(`"18":null`)},
	{name: "lead not an object", body: wrap(`"18":[1]`)},
	{name: "lead an array", body: wrap(`"18":[[]]`)},
	{name: "wrong type in a lead", body: wrap(`"18":[{"phone":13331118888}]`)},
	{name: "unknown field in a lead", body: wrap(`"18":[{"zipCode":"1"}]`)},
	{name: "attribute not a string", body: wrap(`"18":[{"attributes":{"X\"":true}}]`)},
	{name: "attributes an array", body: wrap(`"18":[{"attributes":["x"]}]`)},
	{name: "bad timestamp in the fourth lead", body: wrap(`"18":[` + okLead + `,` + okLead + `,` + okLead + `,{"firstName":"J","lastName":"S","phone":"1","timestamp":"02-30-2021 10:00:00"}]`)},
	{name: "missing lastName in the second account", body: wrap(`"18":[` + okLead + `],"21":[{"firstName":"J","phone":"1","timestamp":"06-23-2021 22:55:23"}]`)},
	{name: "lead problem before a syntax error", body: wrap(`"18":[{"phone":1},{"firstName" "x"}]`)},
	{name: "syntax error inside the lead with a problem", body: wrap(`"18":[{"phone":1,"x" "y"}]`)},
	{name: "syntax error before a lead problem", body: wrap(`"18":[{"firstName" "x"},{"phone":1}]`)},
	{name: "missing colon", body: wrap(`"18":[{"firstName" "x"}]`)},
	{name: "missing comma between members", body: wrap(`"18":[{"firstName":"x" "lastName":"y"}]`)},
	{name: "missing comma between leads", body: wrap(`"18":[` + okLead + okLead + `]`)},
	{name: "trailing comma in a lead", body: wrap(`"18":[{"firstName":"x",}]`)},
	{name: "trailing comma in the array", body: wrap(`"18":[` + okLead + `,]`)},
	{name: "leading comma", body: wrap(`"18":[,` + okLead + `]`)},
	{name: "control character in a string", body: wrap("\"18\":[{\"firstName\":\"a\tb\"}]")},
	{name: "bad escape", body: wrap(`"18":[{"firstName":"a\xb"}]`)},
	{name: "short unicode escape", body: wrap(`"18":[{"firstName":"a\u12"}]`)},
	{name: "nul instead of null", body: wrap(`"18":[{"firstName":nul}]`)},
	{name: "nullx", body: wrap(`"18":[{"firstName":nullx}]`)},
	{name: "single quotes", body: wrap(`"18":[{'firstName':"x"}]`)},
	{name: "truncated", body: `{"leadsByAccountId": {"18": [`},
	{name: "truncated in a string", body: wrap(`"18":[{"firstName":"Jo`)},
	{name: "trailing data", body: wrap(`"18":[`+okLead+`]`) + "x"},
	{name: "two objects", body: wrap(`"18":[`+okLead+`]`) + "{}"},
	{name: "byte order mark", body: "\ufeff" + wrap(`"18":[`+okLead+`]`)},
	{name: "unterminated lead", body: `{"leadsByAccountId":{"18":[{"firstName":"J"`},
}

func TestDecodeBulkMatchesStream(t *testing.T) {
	srv := decodeTestServer(t)
	for _, tc := range bulkDecodeCases {
		t.Run(tc.name, func(t *testing.T) {
			got := outcomeOf(srv.decodeBulk(strings.NewReader(tc.body), int64(len(tc.body))))
			want := outcomeOf(srv.decodeBulkStream(strings.NewReader(tc.body)))
			assert.Equal(t, want, got)
			_, fast := srv.scanBulk(tc.body)
			assert.Equal(t, tc.fast, fast, "taken by the fast path")
			if tc.fast {
				assert.Empty(t, got.Message)
			} else {
				assert.NotEmpty(t, got.Message)
			}
		})
	}
}

func TestDecodeBulkKeepsLeadText(t *testing.T) {
	srv := decodeTestServer(t)
	body := " {\"leadsByAccountId\" : {\"18\" : [ " + okLead + " ,\n" + okLead2 + " ] } }"
	b, err := srv.decodeBulk(strings.NewReader(body), -1)
	require.NoError(t, err)
	require.Len(t, b.groups, 1)
	assert.Equal(t, []preparedLead{
		{raw: okLead, externalID: "E1", phone: "+13331118888"},
		{raw: okLead2, phone: "+13331118889"},
	}, b.groups[0].leads)
	assert.Equal(t, 2, b.count)
}

func TestDecodeBulkReadError(t *testing.T) {
	srv := decodeTestServer(t)
	badFirst := wrap(`"18":[{"firstName":"J","phone":"1","timestamp":"06-23-2021 22:55:23"},` + strings.Repeat(okLead+",", 20) + okLead + `]`)
	goodFirst := wrap(`"18":[` + strings.Repeat(okLead+",", 20) + okLead + `]`)
	cut := errors.New("connection reset")
	cases := []struct {
		name   string
		reader func(body string) io.Reader
		body   string
		status int
		prefix string
	}{
		{name: "lead problem before the cap", body: badFirst, status: 400, prefix: `leadsByAccountId["18"][0].lastName: required`,
			reader: func(body string) io.Reader {
				return http.MaxBytesReader(nil, io.NopCloser(strings.NewReader(body)), 1024)
			}},
		{name: "too large", body: goodFirst, status: 413, prefix: "request body is larger than",
			reader: func(body string) io.Reader {
				return http.MaxBytesReader(nil, io.NopCloser(strings.NewReader(body)), 1024)
			}},
		{name: "cut off", body: goodFirst, status: 400, prefix: `leadsByAccountId["18"][5]: connection reset`,
			reader: func(body string) io.Reader {
				return io.MultiReader(strings.NewReader(body[:700]), errorReader{err: cut})
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := outcomeOf(srv.decodeBulk(tc.reader(tc.body), -1))
			want := outcomeOf(srv.decodeBulkStream(tc.reader(tc.body)))
			assert.Equal(t, want, got)
			assert.Equal(t, tc.status, got.Status)
			assert.True(t, strings.HasPrefix(got.Message, tc.prefix), got.Message)
		})
	}
}

// FuzzDecodeBulk holds the fast path to the streaming decoder's answers on
// any body: go test -fuzz FuzzDecodeBulk ./sandbox/
func FuzzDecodeBulk(f *testing.F) {
	for _, tc := range bulkDecodeCases {
		f.Add([]byte(tc.body))
	}
	srv := decodeTestServer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		got := outcomeOf(srv.decodeBulk(strings.NewReader(string(body)), int64(len(body))))
		want := outcomeOf(srv.decodeBulkStream(strings.NewReader(string(body))))
		if !assert.Equal(t, want, got) {
			t.Logf("body %q", body)
		}
	})
}

// TestBulkBufferReuse: a bulk body is read into a buffer an earlier request
// used, when it is large enough, and what the store keeps of it must not
// change when the buffer is written over for the next request.
func TestBulkBufferReuse(t *testing.T) {
	body := wrap(`"18":[` + okLead + `,` + okLead2 + `]`)
	tests := []struct {
		name      string
		buf       []byte
		hint      int64
		wantReuse bool
	}{
		{name: "no buffer", buf: nil, hint: int64(len(body))},
		{name: "a buffer too small", buf: make([]byte, 0, 16), hint: int64(len(body))},
		{name: "a buffer large enough", buf: make([]byte, 7, 4096), hint: int64(len(body)), wantReuse: true},
		{name: "a buffer and no declared length", buf: make([]byte, 0, 4096), hint: -1, wantReuse: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := decodeTestServer(t)
			b, data, err := srv.decodeBulkInto(tt.buf, strings.NewReader(body), tt.hint)
			require.NoError(t, err)
			assert.Equal(t, body, string(data))
			if tt.wantReuse {
				assert.Same(t, &tt.buf[:1][0], &data[0], "read into the buffer given")
			}
			require.NoError(t, srv.applyBulk(b))
			require.Len(t, srv.Leads(), 2)
			want := mustJSON(srv.Leads()) // a copy of every byte
			for i := range data {
				data[i] = 'Z' // the next request's bytes
			}
			assert.Equal(t, want, mustJSON(srv.Leads()), "the stored leads do not share the buffer")
		})
	}
	t.Run("a buffer given back comes back empty", func(t *testing.T) {
		srv := decodeTestServer(t)
		held := srv.takeBody()
		srv.giveBody(held, []byte("used"))
		assert.Empty(t, *held)
		srv.giveBody(srv.takeBody(), make([]byte, 0, maxPooledBody+1))
		for range 4 {
			assert.LessOrEqual(t, cap(*srv.takeBody()), maxPooledBody, "a huge buffer is not kept")
		}
	})
}
