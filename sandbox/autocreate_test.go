package sandbox

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAutoCreateAccounts checks which requests create an unknown account
// when AutoCreateAccounts is on, and that without it they are 404.
func TestAutoCreateAccounts(t *testing.T) {
	oneLead := func(account string) string {
		return bulk(map[string][]map[string]any{account: {bulkLead("L1")}})
	}
	tests := []struct {
		name         string
		auto         bool
		method, path string
		body         string
		wantStatus   int
		wantAccounts []StoredAccount // after the request; seeded: 18 (inactive)
	}{
		{
			name: "bulk to an unknown account creates it", auto: true,
			method: "POST", path: "/leads/bulk", body: oneLead("77"), wantStatus: 200,
			wantAccounts: []StoredAccount{{ID: "18", Status: AccountInactive}, {ID: "77", Status: AccountActive, LeadCount: 1}},
		},
		{
			name: "bulk update to an unknown account creates it", auto: true,
			method: "PUT", path: "/leads/bulk", body: oneLead("shop-9"), wantStatus: 200,
			wantAccounts: []StoredAccount{{ID: "18", Status: AccountInactive}, {ID: "shop-9", Status: AccountActive, LeadCount: 1}},
		},
		{
			name: "a refused bulk request creates nothing", auto: true,
			method: "POST", path: "/leads/bulk",
			body:         bulk(map[string][]map[string]any{"77": {bulkLead("L1")}, "18": {bulkLead("L2")}}),
			wantStatus:   http.StatusBadRequest,
			wantAccounts: []StoredAccount{{ID: "18", Status: AccountInactive}},
		},
		{
			name: "an invalid bulk request creates nothing", auto: true,
			method: "POST", path: "/leads/bulk",
			body:         bulk(map[string][]map[string]any{"77": {bulkLead("L1", del("phone"))}}),
			wantStatus:   http.StatusBadRequest,
			wantAccounts: []StoredAccount{{ID: "18", Status: AccountInactive}},
		},
		{
			name: "pause creates the account paused", auto: true,
			method: "PUT", path: "/accounts/77/pause", wantStatus: 200,
			wantAccounts: []StoredAccount{{ID: "18", Status: AccountInactive}, {ID: "77", Status: AccountPaused}},
		},
		{
			name: "statistics of an unknown account", auto: true,
			method: "GET", path: "/accounts/77/statistics", wantStatus: 200,
			wantAccounts: []StoredAccount{{ID: "18", Status: AccountInactive}, {ID: "77", Status: AccountActive}},
		},
		{
			name: "a lead action creates the account, the lead is still unknown", auto: true,
			method: "PUT", path: "/accounts/77/leads/L1/reset", wantStatus: http.StatusNotFound,
			wantAccounts: []StoredAccount{{ID: "18", Status: AccountInactive}, {ID: "77", Status: AccountActive}},
		},
		{
			name:   "without the option bulk to an unknown account is 404",
			method: "POST", path: "/leads/bulk", body: oneLead("77"), wantStatus: http.StatusNotFound,
			wantAccounts: []StoredAccount{{ID: "18", Status: AccountInactive}},
		},
		{
			name:   "without the option pause of an unknown account is 404",
			method: "PUT", path: "/accounts/77/pause", wantStatus: http.StatusNotFound,
			wantAccounts: []StoredAccount{{ID: "18", Status: AccountInactive}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, Options{Accounts: []string{"18"}, AutoCreateAccounts: tt.auto})
			require.Equal(t, 200, send(t, srv, "PUT", "/accounts/18/inactivate", "").status)
			a := send(t, srv, tt.method, tt.path, tt.body)
			assert.Equal(t, tt.wantStatus, a.status, "%s", a.body)
			assert.Equal(t, tt.wantAccounts, srv.Accounts())
		})
	}
}

// TestAutoCreatedAccountsCountForNewIDs: POST /accounts answers an id above
// every account held, auto-created ones included.
func TestAutoCreatedAccountsCountForNewIDs(t *testing.T) {
	srv := startServer(t, Options{Accounts: []string{}, AutoCreateAccounts: true})
	require.Equal(t, 200, send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{"40": {bulkLead("L1")}})).status)
	a := send(t, srv, "POST", "/accounts", `{"name":"Shop"}`)
	require.Equal(t, 200, a.status)
	assert.JSONEq(t, `{"id": 41}`, string(a.body))
}
