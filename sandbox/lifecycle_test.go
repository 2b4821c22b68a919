package sandbox

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/client"
)

func findLead(t *testing.T, srv *Server, account, ext string) StoredLead {
	t.Helper()
	for _, l := range srv.Leads() {
		if l.AccountID == account && l.ExternalID == ext {
			return l
		}
	}
	require.Failf(t, "lead not stored", "account %s external id %q", account, ext)
	return StoredLead{}
}

func TestUpdateByExternalID(t *testing.T) {
	clock := newTestClock(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC))
	srv := startServer(t, Options{Now: clock.Now})

	require.Equal(t, 200, send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{
		"18": {bulkLead("EXT-1")},
		"21": {bulkLead("EXT-1")}, // same id, other account: another lead
	})).status)
	clock.Set(clock.Now().Add(time.Hour))
	require.Equal(t, 200, send(t, srv, "PUT", "/leads/bulk", bulk(map[string][]map[string]any{
		"18": {bulkLead("EXT-1", set("firstName", "Johnny"), set("phone", "+1 (444) 555-0000"))},
	})).status)

	require.Len(t, srv.Leads(), 2)
	got := findLead(t, srv, "18", "EXT-1")
	assert.Equal(t, "Johnny", got.FirstName)
	assert.Equal(t, "+1 (444) 555-0000", got.Phone, "fields as last received")
	assert.Equal(t, 2, got.ReceivedCount)
	assert.Equal(t, time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), got.FirstReceived)
	assert.Equal(t, time.Date(2024, 5, 1, 11, 0, 0, 0, time.UTC), got.LastReceived)
	assert.Equal(t, map[string]string{"DISCOUNT_CODE": "TR44"}, got.Attributes)
	assert.Equal(t, 1, findLead(t, srv, "21", "EXT-1").ReceivedCount)

	// The phone index follows the update: the old phone no longer matches.
	assert.Equal(t, 404, send(t, srv, "PUT", "/lead/unsubscribe?phone=%2B1333-111-9999", "").status)
	require.Equal(t, 200, send(t, srv, "PUT", "/lead/unsubscribe?phone=%2B14445550000", "").status)
	assert.Equal(t, LeadUnsubscribed, findLead(t, srv, "18", "EXT-1").Status)
	assert.Equal(t, LeadActive, findLead(t, srv, "21", "EXT-1").Status)
}

func TestLeadsWithoutExternalIDAreKeyedByPhone(t *testing.T) {
	srv := startServer(t, Options{})
	for _, phone := range []string{"+1333-111-8888", "+13331118888", "+1 (333) 111 8888"} {
		require.Equal(t, 200, send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{
			"18": {bulkLead("", del("externalId"), set("phone", phone))},
		})).status)
	}
	leads := srv.Leads()
	require.Len(t, leads, 1)
	assert.Equal(t, 3, leads[0].ReceivedCount)
	assert.Equal(t, "+1 (333) 111 8888", leads[0].Phone)
}

func TestSameLeadTwiceInOneRequest(t *testing.T) {
	srv := startServer(t, Options{})
	require.Equal(t, 200, send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{
		"18": {bulkLead("A"), bulkLead("A", set("firstName", "Second"))},
	})).status)
	got := findLead(t, srv, "18", "A")
	assert.Equal(t, 2, got.ReceivedCount)
	assert.Equal(t, "Second", got.FirstName)
}

func TestAddLeadGoesToDefaultAccount(t *testing.T) {
	srv := startServer(t, Options{Accounts: []string{"21", "18"}})
	require.Equal(t, 200, send(t, srv, "POST", "/lead", mustJSON(lead())).status)
	assert.Equal(t, "21", findLead(t, srv, "21", "2").AccountID)

	empty := startServer(t, Options{Accounts: []string{}})
	a := send(t, empty, "POST", "/lead", mustJSON(lead()))
	assert.Equal(t, 404, a.status)
	assert.Contains(t, a.message(t), "no account exists")
}

func TestUnsubscribeByPhone(t *testing.T) {
	srv := startServer(t, Options{})
	require.Equal(t, 200, send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{
		"18": {bulkLead("a", set("phone", "+1 (333) 111-8888")), bulkLead("other", set("phone", "+15550000000"))},
		"21": {bulkLead("b", set("phone", "+13331118888"))},
	})).status)
	cases := []ruleCase{
		{name: "formatted differently, every account", path: "/lead/unsubscribe?phone=%2B1333-111-8888", status: 200},
		{name: "unknown phone", path: "/lead/unsubscribe?phone=%2B19999999999", status: 404, message: `no lead with phone "+19999999999"`},
		{name: "plus not encoded", path: "/lead/unsubscribe?phone=+1333-111-8888", status: 404, message: `a "+" in a query string must be sent as %2B`},
		{name: "no phone", path: "/lead/unsubscribe", status: 400, message: "phone: the query parameter is required"},
		{name: "phone without digits", path: "/lead/unsubscribe?phone=abc", status: 400, message: "has no digits"},
	}
	for i := range cases {
		cases[i].method = "PUT"
	}
	runRuleCases(t, srv, cases)
	assert.Equal(t, LeadUnsubscribed, findLead(t, srv, "18", "a").Status)
	assert.Equal(t, LeadUnsubscribed, findLead(t, srv, "21", "b").Status)
	assert.Equal(t, LeadActive, findLead(t, srv, "18", "other").Status)
}

func TestLeadStatusChanges(t *testing.T) {
	srv := startServer(t, Options{})
	require.Equal(t, 200, send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{
		"18": {bulkLead("x/1")}, // a slash: the path carries it escaped
	})).status)
	const lead = "/accounts/18/leads/x%2F1/"
	steps := []struct {
		name, path string
		status     int
		want       string
	}{
		{name: "stop", path: lead + "stop", status: 200, want: LeadStopped},
		{name: "reset after stop", path: lead + "reset", status: 200, want: LeadActive},
		{name: "unsubscribe", path: lead + "unsubscribe", status: 200, want: LeadUnsubscribed},
		{name: "stop keeps unsubscribed", path: lead + "stop", status: 200, want: LeadUnsubscribed},
		{name: "reset makes active", path: lead + "reset", status: 200, want: LeadActive},
		{name: "unknown lead", path: "/accounts/18/leads/nope/stop", status: 404, want: LeadActive},
		{name: "unknown account", path: "/accounts/99/leads/x%2F1/reset", status: 404, want: LeadActive},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			a := send(t, srv, "PUT", st.path, "")
			require.Equal(t, st.status, a.status, "body %s", a.body)
			assert.Equal(t, st.want, findLead(t, srv, "18", "x/1").Status)
		})
	}
	a := send(t, srv, "PUT", "/accounts/18/leads/nope/unsubscribe", "")
	assert.Contains(t, a.message(t), `lead "nope" not found in account 18`)
	a = send(t, srv, "PUT", "/accounts/99/leads/x/unsubscribe", "")
	assert.Contains(t, a.message(t), "account 99 not found")
}

func TestAccountLifecycle(t *testing.T) {
	srv := startServer(t, Options{})
	account := mustJSON(map[string]any{"name": "Acme", "countryIso3": "USA", "areaCode": 434})
	one := func(ext string) string { return bulk(map[string][]map[string]any{"18": {bulkLead(ext)}}) }
	steps := []ruleCase{
		{name: "create", method: "POST", path: "/accounts", body: account, status: 200},
		{name: "create without name", method: "POST", path: "/accounts", body: `{"email": "a@b"}`, status: 400, message: "name: required"},
		{name: "create with bad country", method: "POST", path: "/accounts", body: `{"name": "A", "countryIso3": "US"}`, status: 400, message: `countryIso3: "US" is not a three-letter country code`},
		{name: "create with areaCode as string", method: "POST", path: "/accounts", body: `{"name": "A", "areaCode": "434"}`, status: 400, message: "areaCode: expected a number, got string"},
		{name: "update", method: "PUT", path: "/accounts/18", body: account, status: 200},
		{name: "update unknown", method: "PUT", path: "/accounts/99", body: account, status: 404, message: "account 99 not found"},
		{name: "pause", method: "PUT", path: "/accounts/18/pause", status: 200},
		{name: "pause again", method: "PUT", path: "/accounts/18/pause", status: 200},
		{name: "paused accepts leads", method: "POST", path: "/leads/bulk", body: one("held"), status: 200},
		{name: "unpause", method: "PUT", path: "/accounts/18/unpause", status: 200},
		{name: "inactivate", method: "PUT", path: "/accounts/18/inactivate", status: 200},
		{name: "inactive refuses bulk", method: "POST", path: "/leads/bulk", body: one("late"), status: 400, message: `leadsByAccountId["18"]: account 18 is inactive`},
		{name: "inactive refuses a lead", method: "POST", path: "/lead", body: mustJSON(lead()), status: 400, message: "account 18 is inactive"},
		{name: "unpause inactive", method: "PUT", path: "/accounts/18/unpause", status: 400, message: "account 18 is inactive and cannot be unpaused"},
		{name: "pause inactive", method: "PUT", path: "/accounts/18/pause", status: 400, message: "account 18 is inactive and cannot be paused"},
		{name: "inactivate again", method: "PUT", path: "/accounts/18/inactivate", status: 200},
		{name: "unsubscribe still works", method: "PUT", path: "/accounts/18/leads/held/unsubscribe", status: 200},
		{name: "pause unknown", method: "PUT", path: "/accounts/99/pause", status: 404, message: "account 99 not found"},
		{name: "unpause unknown", method: "PUT", path: "/accounts/99/unpause", status: 404, message: "account 99 not found"},
		{name: "inactivate unknown", method: "PUT", path: "/accounts/99/inactivate", status: 404, message: "account 99 not found"},
	}
	runRuleCases(t, srv, steps)

	// Ids: one above the highest held.
	var id client.AccountID
	a := send(t, srv, "POST", "/accounts", account)
	require.NoError(t, json.Unmarshal(a.body, &id))
	assert.Equal(t, int64(23), id.ID, "22 was created above")
	a = send(t, srv, "PUT", "/accounts/21", account)
	require.NoError(t, json.Unmarshal(a.body, &id))
	assert.Equal(t, int64(21), id.ID)

	accounts := srv.Accounts()
	require.Len(t, accounts, 4)
	assert.Equal(t, []string{"18", "21", "22", "23"}, []string{accounts[0].ID, accounts[1].ID, accounts[2].ID, accounts[3].ID})
	assert.Equal(t, AccountInactive, accounts[0].Status)
	assert.Equal(t, "Acme", accounts[0].Name)
	assert.Equal(t, 1, accounts[0].LeadCount)
	require.NotNil(t, accounts[2].AreaCode)
	assert.Equal(t, 434, *accounts[2].AreaCode)
}

func TestPausedAccountHoldsLeads(t *testing.T) {
	srv := startServer(t, Options{})
	require.Equal(t, 200, send(t, srv, "PUT", "/accounts/18/pause", "").status)
	require.Equal(t, 200, send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{
		"18": {bulkLead("p")}, "21": {bulkLead("q")},
	})).status)
	assert.True(t, findLead(t, srv, "18", "p").Held)
	assert.False(t, findLead(t, srv, "21", "q").Held)
	require.Equal(t, 200, send(t, srv, "PUT", "/accounts/18/unpause", "").status)
	assert.False(t, findLead(t, srv, "18", "p").Held)
}

func TestAccountStatisticsWindow(t *testing.T) {
	clock := newTestClock(time.Date(2022, 3, 1, 12, 0, 0, 0, time.UTC))
	srv := startServer(t, Options{Now: clock.Now})
	add := func(ext string) {
		require.Equal(t, 200, send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{"18": {bulkLead(ext)}})).status)
	}
	add("march")
	clock.Set(time.Date(2022, 6, 1, 12, 0, 0, 0, time.UTC))
	add("june")
	add("march") // received again: still counted at its first receive time
	require.Equal(t, 200, send(t, srv, "PUT", "/accounts/18/leads/june/unsubscribe", "").status)

	cases := []struct {
		name, query string
		status      int
		want        client.AccountStatistics
		message     string
	}{
		{name: "all time", query: "", status: 200, want: client.AccountStatistics{LeadCount: 2, UnsubscribeCount: 1}},
		{name: "collection window", query: "?from=2022-02-20T01:30:00.000-05:00&to=2022-10-31T01:30:00.000-05:00", status: 200, want: client.AccountStatistics{LeadCount: 2, UnsubscribeCount: 1}},
		{name: "from only", query: "?from=2022-04-01T00:00:00Z", status: 200, want: client.AccountStatistics{LeadCount: 1, UnsubscribeCount: 1}},
		{name: "to only", query: "?to=2022-04-01T00:00:00Z", status: 200, want: client.AccountStatistics{LeadCount: 1}},
		{name: "bounds inclusive", query: "?from=2022-03-01T07:00:00-05:00&to=2022-03-01T12:00:00Z", status: 200, want: client.AccountStatistics{LeadCount: 1}},
		{name: "empty window", query: "?from=2023-01-01T00:00:00Z", status: 200},
		{name: "bad from", query: "?from=yesterday", status: 400, message: `from: "yesterday" is not an ISO-8601 date-time with offset`},
		{name: "no offset", query: "?to=2022-04-01T00:00:00", status: 400, message: "to: "},
		{name: "plus not encoded", query: "?from=2022-04-01T00:00:00+02:00", status: 400, message: `a "+" in a query string must be sent as %2B`},
		{name: "plus encoded", query: "?from=2022-04-01T00:00:00%2B02:00", status: 200, want: client.AccountStatistics{LeadCount: 1, UnsubscribeCount: 1}},
		{name: "from after to", query: "?from=2022-05-01T00:00:00Z&to=2022-04-01T00:00:00Z", status: 400, message: "is after to"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := send(t, srv, "GET", "/accounts/18/statistics"+tc.query, "")
			require.Equal(t, tc.status, a.status, "body %s", a.body)
			if tc.status != 200 {
				assert.Contains(t, a.message(t), tc.message)
				return
			}
			var got client.AccountStatistics
			require.NoError(t, json.Unmarshal(a.body, &got))
			assert.Equal(t, tc.want, got)
		})
	}
	a := send(t, srv, "GET", "/accounts/99/statistics", "")
	assert.Equal(t, http.StatusNotFound, a.status)
}

func TestLeadStatistics(t *testing.T) {
	srv := startServer(t, Options{})
	require.Equal(t, 200, send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{"18": {bulkLead("L1")}})).status)
	a := send(t, srv, "GET", "/accounts/18/leads/L1/statistics", "")
	require.Equal(t, 200, a.status)
	assert.JSONEq(t, `{"deliveredCount": 0, "qualified": false, "lastDeliveredTime": null}`, string(a.body))
	a = send(t, srv, "GET", "/accounts/18/leads/L2/statistics", "")
	assert.Equal(t, 404, a.status)
	assert.Contains(t, a.message(t), `lead "L2" not found in account 18`)
	assert.Equal(t, 404, send(t, srv, "GET", "/accounts/99/leads/L1/statistics", "").status)
}

func TestInspectionEndpoints(t *testing.T) {
	clock := newTestClock(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	srv := startServer(t, Options{Now: clock.Now})
	require.Equal(t, 200, send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{"18": {bulkLead("a")}, "21": {bulkLead("b")}})).status)
	require.Equal(t, 200, send(t, srv, "POST", "/agent", `{"firstName":"A","lastName":"B","phone":"+1555","externalId":"ag"}`).status)

	var leads []map[string]any
	a := send(t, srv, "GET", "/_sandbox/leads?account=21", "")
	require.Equal(t, 200, a.status)
	require.NoError(t, json.Unmarshal(a.body, &leads))
	require.Len(t, leads, 1)
	assert.Equal(t, "21", leads[0]["accountId"])
	assert.Equal(t, "b", leads[0]["externalId"])
	assert.Equal(t, "active", leads[0]["status"])
	assert.EqualValues(t, 1, leads[0]["receivedCount"])
	assert.Equal(t, "06-23-2021 22:55:23", leads[0]["timestamp"])

	a = send(t, srv, "GET", "/_sandbox/agents", "")
	assert.JSONEq(t, `[{"firstName":"A","lastName":"B","phone":"+1555","externalId":"ag"}]`, string(a.body))
	a = send(t, srv, "GET", "/_sandbox/accounts", "")
	assert.JSONEq(t, `[{"id":"18","status":"active","leadCount":1},{"id":"21","status":"active","leadCount":1}]`, string(a.body))

	var reqs []RequestRecord
	a = send(t, srv, "GET", "/_sandbox/requests", "")
	require.NoError(t, json.Unmarshal(a.body, &reqs))
	assert.Equal(t, []RequestRecord{
		{Time: clock.Now(), Method: "POST", Path: "/leads/bulk", Status: 200, Leads: 2},
		{Time: clock.Now(), Method: "POST", Path: "/agent", Status: 200},
	}, reqs, "inspection requests are not recorded")

	var stats RequestStats
	a = send(t, srv, "GET", "/_sandbox/stats", "")
	require.NoError(t, json.Unmarshal(a.body, &stats))
	assert.Equal(t, RequestStats{Total: 2, Leads: 2, ByStatus: map[int]int64{200: 2}, ByFault: map[string]int64{}}, stats)
}

func TestRequestLogIsBounded(t *testing.T) {
	l := newRequestLog()
	for i := range requestLogSize + 5 {
		l.add(RequestRecord{Leads: i, Status: 200})
	}
	recs := l.records()
	require.Len(t, recs, requestLogSize)
	assert.Equal(t, 5, recs[0].Leads, "oldest kept first")
	assert.Equal(t, requestLogSize+4, recs[len(recs)-1].Leads)
	assert.Equal(t, int64(requestLogSize+5), l.totals().Total)
}

func TestInvalidOptions(t *testing.T) {
	cases := []struct {
		name string
		opts Options
	}{
		{name: "negative rate limit", opts: Options{RateLimit: -1}},
		{name: "fail rate above 1", opts: Options{FailRate: 1.5}},
		{name: "negative drop rate", opts: Options{DropRate: -0.1}},
		{name: "negative latency", opts: Options{Latency: -time.Second}},
		{name: "negative body cap", opts: Options{MaxBodyBytes: -1}},
		{name: "empty account id", opts: Options{Accounts: []string{""}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewServer(tc.opts)
			require.ErrorIs(t, err, ErrInvalidOptions)
		})
	}
}
