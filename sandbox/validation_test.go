package sandbox

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/wire"
)

type ruleCase struct {
	name    string
	method  string
	path    string
	body    string
	mods    []reqMod
	status  int
	message string // substring of the JSON message; "" for a success
}

func runRuleCases(t *testing.T, srv *Server, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := send(t, srv, tc.method, tc.path, tc.body, tc.mods...)
			require.Equal(t, tc.status, a.status, "body: %s", a.body)
			if tc.status >= 400 {
				assert.Equal(t, "application/json", a.header.Get("Content-Type"))
				assert.Contains(t, a.message(t), tc.message)
			}
		})
	}
}

func TestAuth(t *testing.T) {
	srv := startServer(t, Options{Username: "u", Password: "p"})
	const msg = "authentication required"
	cases := []ruleCase{
		{name: "no credentials", method: "POST", path: "/lead", body: mustJSON(lead()), mods: []reqMod{noAuth()}, status: 401, message: msg},
		{name: "wrong password", method: "POST", path: "/lead", body: mustJSON(lead()), mods: []reqMod{withAuth("u", "x")}, status: 401, message: msg},
		{name: "wrong username", method: "GET", path: "/accounts/18/statistics", mods: []reqMod{withAuth("x", "p")}, status: 401, message: msg},
		{name: "not basic", method: "GET", path: "/accounts/18/statistics", mods: []reqMod{withHeader("Authorization", "Bearer abc")}, status: 401, message: msg},
		{name: "inspection needs auth", method: "GET", path: "/_sandbox/leads", mods: []reqMod{noAuth()}, status: 401, message: msg},
		{name: "unknown path still needs auth", method: "GET", path: "/nope", mods: []reqMod{noAuth()}, status: 401, message: msg},
		{name: "right credentials", method: "GET", path: "/accounts/18/statistics", status: 200},
	}
	runRuleCases(t, srv, cases)
	a := send(t, srv, "PUT", "/accounts/18/pause", "", noAuth())
	assert.Equal(t, `Basic realm="ALOT-EXTERNAL"`, a.header.Get("WWW-Authenticate"))
	assert.Empty(t, srv.Leads(), "a refused request must not be applied")
}

func TestDefaultCredentials(t *testing.T) {
	srv := startServer(t, Options{})
	u, p := srv.Credentials()
	assert.Equal(t, DefaultUsername, u)
	assert.Equal(t, DefaultPassword, p)
	assert.Equal(t, 200, send(t, srv, "GET", "/_sandbox/accounts", "", withAuth(u, p)).status)
}

func TestRoutes(t *testing.T) {
	srv := startServer(t, Options{})
	cases := []ruleCase{
		{name: "wrong method", method: "GET", path: "/lead", status: 405, message: "allowed: POST"},
		{name: "wrong method on a pattern", method: "POST", path: "/accounts/18/pause", status: 405, message: "allowed: PUT"},
	}
	runRuleCases(t, srv, cases)
	assert.Equal(t, "POST", send(t, srv, "GET", "/lead", "").header.Get("Allow"))
}

// TestUnknownPathIsNotJSON: a path no endpoint serves is answered like a
// web server's missing page, unlike the API's JSON 404 for an unknown
// account, so that a client can tell a wrong base URL.
func TestUnknownPathIsNotJSON(t *testing.T) {
	srv := startServer(t, Options{})
	tests := []struct {
		name, method, path string
	}{
		{"unknown path", "GET", "/leads"},
		{"under a wrong prefix", "POST", "/api/v2/leads/bulk"},
		{"unknown inspection route", "GET", "/_sandbox/nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := send(t, srv, tt.method, tt.path, "")
			assert.Equal(t, http.StatusNotFound, a.status)
			assert.Equal(t, "text/plain; charset=utf-8", a.header.Get("Content-Type"))
			assert.Equal(t, "404 page not found: no endpoint "+tt.method+" "+tt.path+"\n", string(a.body))
		})
	}
	unknownAccount := send(t, srv, "PUT", "/accounts/99/pause", "")
	assert.Equal(t, http.StatusNotFound, unknownAccount.status)
	assert.Equal(t, "application/json", unknownAccount.header.Get("Content-Type"))
	assert.Equal(t, "account 99 not found", unknownAccount.message(t))
}

func TestLeadFieldRules(t *testing.T) {
	srv := startServer(t, Options{})
	long := strings.Repeat("a", 251)
	cases := []ruleCase{
		{name: "valid lead", body: mustJSON(lead()), status: 200},
		{name: "firstName missing", body: mustJSON(lead(del("firstName"))), status: 400, message: "firstName: required"},
		{name: "firstName blank", body: mustJSON(lead(set("firstName", "  "))), status: 400, message: "firstName: required"},
		{name: "firstName null", body: mustJSON(lead(set("firstName", nil))), status: 400, message: "firstName: required"},
		{name: "firstName too long", body: mustJSON(lead(set("firstName", long))), status: 400, message: "firstName: longer than 250 characters (251)"},
		{name: "firstName 250 multibyte characters", body: mustJSON(lead(set("firstName", strings.Repeat("é", 250)))), status: 200},
		{name: "lastName missing", body: mustJSON(lead(del("lastName"))), status: 400, message: "lastName: required"},
		{name: "lastName too long", body: mustJSON(lead(set("lastName", long))), status: 400, message: "lastName: longer than 250"},
		{name: "phone missing", body: mustJSON(lead(del("phone"))), status: 400, message: "phone: required"},
		{name: "phone too long", body: mustJSON(lead(set("phone", strings.Repeat("1", 101)))), status: 400, message: "phone: longer than 100 characters"},
		{name: "phone 100", body: mustJSON(lead(set("phone", strings.Repeat("1", 100)))), status: 200},
		{name: "phone without digits", body: mustJSON(lead(set("phone", "n/a"))), status: 400, message: `phone: "n/a" has no digits`},
		{name: "timestamp missing", body: mustJSON(lead(del("timestamp"))), status: 400, message: "timestamp: required"},
		{name: "timestamp ISO", body: mustJSON(lead(set("timestamp", "2021-06-23 22:55:23"))), status: 400, message: `timestamp: "2021-06-23 22:55:23" does not match MM-dd-yyyy HH:mm:ss`},
		{name: "timestamp one-digit month", body: mustJSON(lead(set("timestamp", "6-23-2021 22:55:23"))), status: 400, message: "does not match MM-dd-yyyy HH:mm:ss"},
		{name: "timestamp one-digit hour", body: mustJSON(lead(set("timestamp", "06-23-2021 2:55:23"))), status: 400, message: "does not match"},
		{name: "timestamp fraction", body: mustJSON(lead(set("timestamp", "06-23-2021 22:55:23.5"))), status: 400, message: "does not match"},
		{name: "timestamp no time", body: mustJSON(lead(set("timestamp", "06-23-2021"))), status: 400, message: "does not match"},
		{name: "timestamp month 13", body: mustJSON(lead(set("timestamp", "13-01-2021 10:00:00"))), status: 400, message: "is not a real date and time"},
		{name: "timestamp 30 February", body: mustJSON(lead(set("timestamp", "02-30-2021 10:00:00"))), status: 400, message: `"02-30-2021 10:00:00" is not a real date and time`},
		{name: "timestamp hour 24", body: mustJSON(lead(set("timestamp", "06-23-2021 24:00:00"))), status: 400, message: "is not a real date and time"},
		{name: "timestamp 29 February leap year", body: mustJSON(lead(set("timestamp", "02-29-2024 00:00:00"))), status: 200},
		{name: "no location", body: mustJSON(lead(del("state", "zip"))), status: 400, message: "lead: either state and city, or zip, is required"},
		{name: "state without city or zip", body: mustJSON(lead(del("zip"))), status: 400, message: "either state and city, or zip"},
		{name: "state and city", body: mustJSON(lead(del("zip"), set("city", "Seattle"))), status: 200},
		{name: "zip only", body: mustJSON(lead(del("state"))), status: 200},
		{name: "no consent id", body: mustJSON(lead(del("jornayaLeadId"))), status: 400, message: "lead: either jornayaLeadId or trustedFormId is required"},
		{name: "trustedFormId only", body: mustJSON(lead(del("jornayaLeadId"), set("trustedFormId", "tf-1"))), status: 200},
		{name: "wrong type", body: mustJSON(lead(set("firstName", 5))), status: 400, message: "firstName: expected a string, got number"},
		{name: "attribute of wrong type", body: mustJSON(lead(set("attributes", map[string]any{"X": 1}))), status: 400, message: `attributes["X"]: expected a string, got number`},
		{name: "attributes as array", body: mustJSON(lead(set("attributes", []string{"x"}))), status: 400, message: "attributes: expected an object of strings, got array"},
		{name: "unknown field", body: mustJSON(lead(set("first_name", "x"))), status: 400, message: `unknown field "first_name"`},
		{name: "array body", body: `[]`, status: 400, message: "body: expected an object, got array"},
		{name: "malformed", body: `{"firstName": "John",}`, status: 400, message: "body: malformed JSON at byte"},
		{name: "truncated", body: `{"firstName": "Jo`, status: 400, message: "body: malformed JSON: the body ends too early"},
		{name: "empty body", body: ``, status: 400, message: "request body is empty"},
		{name: "trailing data", body: mustJSON(lead()) + `{}`, status: 400, message: "after the JSON value"},
		{name: "text content type", body: mustJSON(lead()), mods: []reqMod{withHeader("Content-Type", "text/plain")}, status: 415, message: `Content-Type "text/plain" is not application/json`},
		{name: "json with charset", body: mustJSON(lead()), mods: []reqMod{withHeader("Content-Type", "application/json; charset=utf-8")}, status: 200},
	}
	for i := range cases {
		cases[i].method, cases[i].path = "POST", "/lead"
	}
	runRuleCases(t, srv, cases)
}

func TestBulkRules(t *testing.T) {
	srv := startServer(t, Options{})
	four := []map[string]any{bulkLead("a"), bulkLead("b"), bulkLead("c"), bulkLead("d", set("timestamp", "x"))}
	cases := []ruleCase{
		{name: "valid without location or consent", body: bulk(map[string][]map[string]any{"18": {bulkLead("e1")}}), status: 200},
		{name: "index and account in message", body: bulk(map[string][]map[string]any{"18": four}), status: 400, message: `leadsByAccountId["18"][3].timestamp: "x" does not match MM-dd-yyyy HH:mm:ss`},
		{name: "wrong type in a lead", body: bulk(map[string][]map[string]any{"21": {bulkLead("a", set("phone", 13331118888))}}), status: 400, message: `leadsByAccountId["21"][0].phone: expected a string, got number`},
		{name: "unknown field in a lead", body: bulk(map[string][]map[string]any{"18": {bulkLead("a", set("zipCode", "1"))}}), status: 400, message: `leadsByAccountId["18"][0]: unknown field "zipCode"`},
		{name: "lead not an object", body: `{"leadsByAccountId": {"18": [1]}}`, status: 400, message: `leadsByAccountId["18"][0]: expected an object, got number`},
		{name: "malformed inside a lead", body: `{"leadsByAccountId": {"18": [{"firstName" "x"}]}}`, status: 400, message: `leadsByAccountId["18"][0]: malformed JSON at byte`},
		{name: "truncated", body: `{"leadsByAccountId": {"18": [`, status: 400, message: "malformed JSON: the body ends too early"},
		{name: "empty object", body: `{}`, status: 400, message: "the batch is empty"},
		{name: "no accounts", body: `{"leadsByAccountId": {}}`, status: 400, message: "leadsByAccountId: no accounts and no leads"},
		{name: "null accounts", body: `{"leadsByAccountId": null}`, status: 400, message: "the batch is empty"},
		{name: "account with no leads", body: `{"leadsByAccountId": {"18": []}}`, status: 400, message: `leadsByAccountId["18"]: no leads: the batch is empty`},
		{name: "leads not an array", body: `{"leadsByAccountId": {"18": {}}}`, status: 400, message: `leadsByAccountId["18"]: expected an array of leads, got an object`},
		{name: "accounts not an object", body: `{"leadsByAccountId": []}`, status: 400, message: "leadsByAccountId: expected an object keyed by account id, got an array"},
		{name: "unknown top-level field", body: `{"leads": []}`, status: 400, message: `body: unknown field "leads"`},
		{name: "top-level array", body: `[]`, status: 400, message: "body: expected an object, got an array"},
		{name: "empty account id", body: bulk(map[string][]map[string]any{"": {bulkLead("a")}}), status: 400, message: `leadsByAccountId[""]: the account id is empty`},
		{name: "trailing data", body: bulk(map[string][]map[string]any{"18": {bulkLead("a")}}) + "x", status: 400, message: "malformed JSON"},
		{name: "unknown account", body: bulk(map[string][]map[string]any{"99": {bulkLead("a")}}), status: 404, message: `leadsByAccountId["99"]: account 99 not found`},
		{name: "empty body", body: ``, status: 400, message: "request body is empty"},
	}
	for _, method := range []string{"POST", "PUT"} {
		t.Run(method, func(t *testing.T) {
			for i := range cases {
				cases[i].method, cases[i].path = method, "/leads/bulk"
			}
			runRuleCases(t, srv, cases)
		})
	}
	leads := srv.Leads()
	require.Len(t, leads, 1, "only the valid request is stored: a bulk request is all or nothing")
	assert.Equal(t, "e1", leads[0].ExternalID)
}

func TestBulkAllOrNothing(t *testing.T) {
	srv := startServer(t, Options{})
	body := bulk(map[string][]map[string]any{
		"18": {bulkLead("good-1"), bulkLead("good-2")},
		"21": {bulkLead("bad", del("lastName"))},
	})
	a := send(t, srv, "POST", "/leads/bulk", body)
	require.Equal(t, http.StatusBadRequest, a.status)
	assert.Contains(t, a.message(t), `leadsByAccountId["21"][0].lastName: required`)

	body = bulk(map[string][]map[string]any{"18": {bulkLead("good-1")}, "77": {bulkLead("x")}})
	a = send(t, srv, "POST", "/leads/bulk", body)
	require.Equal(t, http.StatusNotFound, a.status)
	assert.Empty(t, srv.Leads())
}

func TestBodyLimit(t *testing.T) {
	srv := startServer(t, Options{MaxBodyBytes: 1024})
	big := bulk(map[string][]map[string]any{"18": {bulkLead("a", set("street", strings.Repeat("x", 2000)))}})
	cases := []ruleCase{
		{name: "bulk with length", method: "POST", path: "/leads/bulk", body: big, status: 413, message: "request body is larger than 1024 bytes"},
		{name: "bulk chunked", method: "PUT", path: "/leads/bulk", body: big, mods: []reqMod{chunked()}, status: 413, message: "larger than 1024 bytes"},
		{name: "lead chunked", method: "POST", path: "/lead", body: mustJSON(lead(set("street", strings.Repeat("x", 2000)))), mods: []reqMod{chunked()}, status: 413, message: "larger than 1024 bytes"},
		{name: "agent with length", method: "POST", path: "/agent", body: `{"firstName":"` + strings.Repeat("x", 2000) + `"}`, status: 413, message: "larger than 1024 bytes"},
		{name: "under the cap", method: "POST", path: "/leads/bulk", body: bulk(map[string][]map[string]any{"18": {bulkLead("a")}}), mods: []reqMod{chunked()}, status: 200},
	}
	runRuleCases(t, srv, cases)
}

func TestAgentRules(t *testing.T) {
	srv := startServer(t, Options{})
	agent := func(edits ...func(map[string]any)) string {
		a := map[string]any{"firstName": "John", "lastName": "Agent", "phone": "+13444343233", "externalId": "2"}
		for _, e := range edits {
			e(a)
		}
		return mustJSON(a)
	}
	cases := []ruleCase{
		{name: "valid", body: agent(), status: 200},
		{name: "same externalId replaces", body: agent(set("firstName", "Jack")), status: 200},
		{name: "firstName missing", body: agent(del("firstName")), status: 400, message: "firstName: required"},
		{name: "lastName too long", body: agent(set("lastName", strings.Repeat("x", 251))), status: 400, message: "lastName: longer than 250"},
		{name: "phone missing", body: agent(del("phone")), status: 400, message: "phone: required"},
		{name: "phone too long", body: agent(set("phone", strings.Repeat("1", 101))), status: 400, message: "phone: longer than 100"},
		{name: "externalId missing", body: agent(del("externalId")), status: 400, message: "externalId: required"},
		{name: "wrong type", body: agent(set("externalId", 2)), status: 400, message: "externalId: expected a string, got number"},
		{name: "unknown field", body: agent(set("email", "a@b")), status: 400, message: `unknown field "email"`},
	}
	for i := range cases {
		cases[i].method, cases[i].path = "POST", "/agent"
	}
	runRuleCases(t, srv, cases)
	agents := srv.Agents()
	require.Len(t, agents, 1)
	assert.Equal(t, "Jack", agents[0].FirstName)
}

// TestRealDateTimeMatchesTimeParse holds realDateTime to time.Parse over
// every month and day for years that differ in leap rules, and every hour,
// minute and second.
func TestRealDateTimeMatchesTimeParse(t *testing.T) {
	check := func(t *testing.T, v string) {
		t.Helper()
		require.True(t, timestampShape(v), v)
		_, err := time.Parse(wire.TimestampLayout, v)
		assert.Equal(t, err == nil, realDateTime(v), v)
	}
	t.Run("dates", func(t *testing.T) {
		for _, year := range []string{"0000", "0004", "1900", "2000", "2021", "2024", "2100", "9999"} {
			for month := range 100 {
				for day := range 100 {
					check(t, fmt.Sprintf("%02d-%02d-%s 12:00:00", month, day, year))
				}
			}
		}
	})
	t.Run("times", func(t *testing.T) {
		for n := range 100 {
			check(t, fmt.Sprintf("06-23-2021 %02d:00:00", n))
			check(t, fmt.Sprintf("06-23-2021 00:%02d:00", n))
			check(t, fmt.Sprintf("06-23-2021 00:00:%02d", n))
		}
	})
}

func TestHasDigit(t *testing.T) {
	tests := []struct {
		name string
		v    string
		want bool
	}{
		{name: "empty", v: ""},
		{name: "letters and signs", v: "n/a +()-"},
		{name: "digit first", v: "0abc", want: true},
		{name: "digit last", v: "abc9", want: true},
		{name: "non-ASCII digit-like", v: "\u0663\uff11"}, // Arabic-Indic three, fullwidth one: not ASCII digits
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, hasDigit(tt.v))
			assert.Equal(t, strings.ContainsAny(tt.v, "0123456789"), hasDigit(tt.v), "as strings.ContainsAny")
		})
	}
}
