package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/internal/golden"
	"github.com/xonvo/xonvo-import/wire"
)

func decodeFixture[T any](t *testing.T, name string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(readFixture(t, name), &v))
	return v
}

// TestEndpoints checks, for every endpoint, what goes on the wire (method,
// path under the prefix, query, body, headers) and what comes back decoded.
func TestEndpoints(t *testing.T) {
	lead := decodeFixture[wire.Lead](t, "lead.json")
	agent := decodeFixture[wire.Agent](t, "agent.json")
	bulkAdd := decodeFixture[BulkLeads](t, "bulk_add.json")
	bulkUpdate := decodeFixture[BulkLeads](t, "bulk_update.json")
	accCreate := decodeFixture[Account](t, "account_create.json")
	accUpdate := decodeFixture[Account](t, "account_update.json")
	est := time.FixedZone("EST", -5*3600)
	from := time.Date(2022, 2, 20, 1, 30, 0, 0, est)
	to := time.Date(2022, 3, 1, 23, 59, 59, 999_000_000, time.UTC)

	tests := []struct {
		name      string
		call      func(context.Context, *Client) (any, error)
		replyBody string
		method    string
		path      string
		query     string
		golden    string // "" when the request has no body
		rawBody   []byte // when set, the body must be exactly these bytes
		want      any
	}{
		{
			name:   "add lead",
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.AddLead(ctx, lead) },
			method: http.MethodPost, path: "/lead", golden: "add_lead.json",
		},
		{
			name:   "add agent",
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.AddAgent(ctx, agent) },
			method: http.MethodPost, path: "/agent", golden: "add_agent.json",
		},
		{
			name: "unsubscribe by phone",
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.UnsubscribeByPhone(ctx, "+1333-111-8888")
			},
			method: http.MethodPut, path: "/lead/unsubscribe", query: "phone=%2B1333-111-8888",
		},
		{
			name: "unsubscribe lead",
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.UnsubscribeLead(ctx, "18", "EXT-32342-TR")
			},
			method: http.MethodPut, path: "/accounts/18/leads/EXT-32342-TR/unsubscribe",
		},
		{
			name:   "add leads bulk",
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.AddLeadsBulk(ctx, bulkAdd) },
			method: http.MethodPost, path: "/leads/bulk", golden: "add_leads_bulk.json",
		},
		{
			name:   "update leads bulk",
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.UpdateLeadsBulk(ctx, bulkUpdate) },
			method: http.MethodPut, path: "/leads/bulk", golden: "update_leads_bulk.json",
		},
		{
			name: "post leads bulk json",
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.PostLeadsBulkJSON(ctx, readFixture(t, "bulk_add.json"))
			},
			method: http.MethodPost, path: "/leads/bulk", rawBody: readFixture(t, "bulk_add.json"),
		},
		{
			name: "put leads bulk json",
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.PutLeadsBulkJSON(ctx, readFixture(t, "bulk_update.json"))
			},
			method: http.MethodPut, path: "/leads/bulk", rawBody: readFixture(t, "bulk_update.json"),
		},
		{
			name:   "reset lead",
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.ResetLead(ctx, "18", "2") },
			method: http.MethodPut, path: "/accounts/18/leads/2/reset",
		},
		{
			name:   "stop lead",
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.StopLead(ctx, "18", "2") },
			method: http.MethodPut, path: "/accounts/18/leads/2/stop",
		},
		{
			name:      "create account",
			call:      func(ctx context.Context, c *Client) (any, error) { return c.CreateAccount(ctx, accCreate) },
			replyBody: "{\n    \"id\": 18\n}",
			method:    http.MethodPost, path: "/accounts", golden: "create_account.json",
			want: int64(18),
		},
		{
			name:      "update account",
			call:      func(ctx context.Context, c *Client) (any, error) { return c.UpdateAccount(ctx, "18", accUpdate) },
			replyBody: `{"id": 18}`,
			method:    http.MethodPut, path: "/accounts/18", golden: "update_account.json",
			want: int64(18),
		},
		{
			name:   "inactivate account",
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.InactivateAccount(ctx, "18") },
			method: http.MethodPut, path: "/accounts/18/inactivate",
		},
		{
			name:   "pause account",
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.PauseAccount(ctx, "18") },
			method: http.MethodPut, path: "/accounts/18/pause",
		},
		{
			name:   "unpause account",
			call:   func(ctx context.Context, c *Client) (any, error) { return nil, c.UnpauseAccount(ctx, "18") },
			method: http.MethodPut, path: "/accounts/18/unpause",
		},
		{
			name: "account statistics with range",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.AccountStatistics(ctx, "18", from, to)
			},
			replyBody: `{"engagedCount": 0, "leadCount": 1, "unsubscribeCount": 0, "deliveredCount": 0, "ctr": 3}`,
			method:    http.MethodGet, path: "/accounts/18/statistics",
			query: "from=2022-02-20T01%3A30%3A00.000-05%3A00&to=2022-03-01T23%3A59%3A59.999%2B00%3A00",
			want:  AccountStatistics{LeadCount: 1, CTR: 3},
		},
		{
			name: "account statistics without range",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.AccountStatistics(ctx, "18", time.Time{}, time.Time{})
			},
			replyBody: `{"engagedCount": 4, "leadCount": 10, "unsubscribeCount": 2, "deliveredCount": 9, "ctr": 0.25}`,
			method:    http.MethodGet, path: "/accounts/18/statistics",
			want: AccountStatistics{EngagedCount: 4, LeadCount: 10, UnsubscribeCount: 2, DeliveredCount: 9, CTR: 0.25},
		},
		{
			name: "account statistics from only",
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.AccountStatistics(ctx, "18", from, time.Time{})
			},
			replyBody: `{"leadCount": 1}`,
			method:    http.MethodGet, path: "/accounts/18/statistics",
			query: "from=2022-02-20T01%3A30%3A00.000-05%3A00",
			want:  AccountStatistics{LeadCount: 1},
		},
		{
			name:      "lead statistics",
			call:      func(ctx context.Context, c *Client) (any, error) { return c.LeadStatistics(ctx, "18", "2") },
			replyBody: `{"deliveredCount": 2, "qualified": true, "lastDeliveredTime": "2022-06-01T12:15:55.360Z"}`,
			method:    http.MethodGet, path: "/accounts/18/leads/2/statistics",
			want: LeadStatistics{DeliveredCount: 2, Qualified: true, LastDeliveredTime: "2022-06-01T12:15:55.360Z"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, reply{status: http.StatusOK, header: map[string]string{"Content-Type": "application/json"}, body: tt.replyBody})
			c := api.newClient(t)

			got, err := tt.call(t.Context(), c)
			require.NoError(t, err)
			if tt.want != nil {
				assert.Equal(t, tt.want, got)
			}

			reqs := api.seenRequests()
			require.Len(t, reqs, 1)
			r := reqs[0]
			assert.Equal(t, tt.method, r.method)
			assert.Equal(t, tt.path, r.path)
			assert.Equal(t, tt.query, r.query)
			user, pass, ok := (&http.Request{Header: r.header}).BasicAuth()
			require.True(t, ok, "Basic auth header missing")
			assert.Equal(t, testUser, user)
			assert.Equal(t, testPassword, pass)
			assert.Equal(t, "xonvo-import/"+testVersion, r.header.Get("User-Agent"))
			assert.Equal(t, "application/json", r.header.Get("Accept"))

			switch {
			case tt.golden != "":
				assert.Equal(t, "application/json", r.header.Get("Content-Type"))
				golden.Assert(t, tt.golden, r.body)
			case tt.rawBody != nil:
				assert.Equal(t, "application/json", r.header.Get("Content-Type"))
				assert.Equal(t, string(tt.rawBody), string(r.body))
			default:
				assert.Empty(t, r.header.Get("Content-Type"))
				assert.Empty(t, r.body)
			}
		})
	}
}

// TestEndpointsBodiesMatchCollection proves the typed bodies carry exactly
// the fields of the collection's examples (no renamed or dropped field).
func TestEndpointsBodiesMatchCollection(t *testing.T) {
	tests := []struct {
		golden, fixture string
	}{
		{"add_lead.json", "lead.json"},
		{"add_agent.json", "agent.json"},
		{"add_leads_bulk.json", "bulk_add.json"},
		{"update_leads_bulk.json", "bulk_update.json"},
		{"create_account.json", "account_create.json"},
		{"update_account.json", "account_update.json"},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			got := readFixture(t, "golden/"+tt.golden)
			assert.JSONEq(t, string(readFixture(t, tt.fixture)), string(got))
		})
	}
}

// TestPathEscaping checks that ids are sent as single escaped path segments.
func TestPathEscaping(t *testing.T) {
	tests := []struct {
		name, account, external string
		wantPath                string
	}{
		{"slash", "a/b", "x/y", "/accounts/a%2Fb/leads/x%2Fy/reset"},
		{"space", "x y", "first last", "/accounts/x%20y/leads/first%20last/reset"},
		{"query and fragment characters", "18?x=1", "id#frag", "/accounts/18%3Fx=1/leads/id%23frag/reset"},
		{"percent", "100%", "50%25", "/accounts/100%25/leads/50%2525/reset"},
		{"unicode", "18", "Zoë", "/accounts/18/leads/Zo%C3%AB/reset"},
		{"dots inside", "18", "a..b", "/accounts/18/leads/a..b/reset"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, reply{})
			c := api.newClient(t)
			require.NoError(t, c.ResetLead(t.Context(), tt.account, tt.external))
			reqs := api.seenRequests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.wantPath, reqs[0].path)
			// The server must decode each segment back to the id as given.
			u, err := url.Parse("http://h" + reqs[0].path)
			require.NoError(t, err)
			assert.Equal(t, "/accounts/"+tt.account+"/leads/"+tt.external+"/reset", u.Path)
		})
	}
}

// TestEveryIDEndpointEscapes runs the "a/b", "x y" pair through every
// endpoint that takes ids.
func TestEveryIDEndpointEscapes(t *testing.T) {
	const a, e = "a/b", "x y"
	tests := []struct {
		name string
		call func(context.Context, *Client) error
		path string
	}{
		{"unsubscribe lead", func(ctx context.Context, c *Client) error { return c.UnsubscribeLead(ctx, a, e) }, "/accounts/a%2Fb/leads/x%20y/unsubscribe"},
		{"reset lead", func(ctx context.Context, c *Client) error { return c.ResetLead(ctx, a, e) }, "/accounts/a%2Fb/leads/x%20y/reset"},
		{"stop lead", func(ctx context.Context, c *Client) error { return c.StopLead(ctx, a, e) }, "/accounts/a%2Fb/leads/x%20y/stop"},
		{"update account", func(ctx context.Context, c *Client) error { _, err := c.UpdateAccount(ctx, a, Account{}); return err }, "/accounts/a%2Fb"},
		{"inactivate account", func(ctx context.Context, c *Client) error { return c.InactivateAccount(ctx, a) }, "/accounts/a%2Fb/inactivate"},
		{"pause account", func(ctx context.Context, c *Client) error { return c.PauseAccount(ctx, a) }, "/accounts/a%2Fb/pause"},
		{"unpause account", func(ctx context.Context, c *Client) error { return c.UnpauseAccount(ctx, a) }, "/accounts/a%2Fb/unpause"},
		{"account statistics", func(ctx context.Context, c *Client) error {
			_, err := c.AccountStatistics(ctx, a, time.Time{}, time.Time{})
			return err
		}, "/accounts/a%2Fb/statistics"},
		{"lead statistics", func(ctx context.Context, c *Client) error { _, err := c.LeadStatistics(ctx, a, e); return err }, "/accounts/a%2Fb/leads/x%20y/statistics"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, reply{body: `{"id": 1}`})
			c := api.newClient(t)
			require.NoError(t, tt.call(t.Context(), c))
			reqs := api.seenRequests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.path, reqs[0].path)
		})
	}
}

func TestPhoneQueryEscaping(t *testing.T) {
	tests := []struct {
		name, phone, wantQuery string
	}{
		{"plus with dashes", "+1333-111-8888", "phone=%2B1333-111-8888"},
		{"plus digits", "+13444343233", "phone=%2B13444343233"},
		{"spaces and brackets", "+1 (333) 111-8888", "phone=%2B1+%28333%29+111-8888"},
		{"ampersand cannot inject a parameter", "123&phone=999", "phone=123%26phone%3D999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, reply{})
			c := api.newClient(t)
			require.NoError(t, c.UnsubscribeByPhone(t.Context(), tt.phone))
			reqs := api.seenRequests()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.wantQuery, reqs[0].query)
			q, err := url.ParseQuery(reqs[0].query)
			require.NoError(t, err)
			assert.Equal(t, []string{tt.phone}, q["phone"], "the server decodes the phone as given")
		})
	}
}

// TestInvalidArguments checks that ids which would change the path are
// refused before anything is sent.
func TestInvalidArguments(t *testing.T) {
	tests := []struct {
		name string
		call func(context.Context, *Client) error
	}{
		{"empty account", func(ctx context.Context, c *Client) error { return c.PauseAccount(ctx, "") }},
		{"dot account", func(ctx context.Context, c *Client) error { return c.InactivateAccount(ctx, ".") }},
		{"dotdot external id", func(ctx context.Context, c *Client) error { return c.StopLead(ctx, "18", "..") }},
		{"empty external id", func(ctx context.Context, c *Client) error { return c.ResetLead(ctx, "18", "") }},
		{"empty account on update", func(ctx context.Context, c *Client) error { _, err := c.UpdateAccount(ctx, "", Account{}); return err }},
		{"empty ids on statistics", func(ctx context.Context, c *Client) error { _, err := c.LeadStatistics(ctx, "", ""); return err }},
		{"empty phone", func(ctx context.Context, c *Client) error { return c.UnsubscribeByPhone(ctx, "") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t)
			c := api.newClient(t)
			err := tt.call(t.Context(), c)
			require.ErrorIs(t, err, ErrInvalidArgument)
			assert.Empty(t, api.seenRequests())
		})
	}
}

// TestDecodeErrors covers 2xx answers that do not carry the promised JSON.
func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, body string
		wantNotAPI bool
	}{
		{"empty body", "", false},
		{"not json", "<html>ok</html>", true},
		{"wrong type", `{"id": "eighteen"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, reply{body: tt.body})
			c := api.newClient(t)
			id, err := c.CreateAccount(t.Context(), Account{Name: "x"})
			require.Error(t, err)
			assert.Zero(t, id)
			assert.Contains(t, err.Error(), "POST ")
			assert.Contains(t, err.Error(), "/accounts")
			assert.Equal(t, tt.wantNotAPI, errors.Is(err, ErrNotAPI), "errors.Is(err, ErrNotAPI)")
			assert.False(t, IsNoResponse(err))
		})
	}
}
