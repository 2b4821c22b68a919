package sandbox_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/sandbox"
	"github.com/xonvo/xonvo-import/wire"
)

// fixture is a sandbox with accounts 18 and 21, lead EXT-1 in 18 and agent
// AG-1, and clients pointed at it with good and bad credentials.
type fixture struct {
	srv  *sandbox.Server
	good *client.Client
	bad  *client.Client
}

// mount says where the API lives: at the server's root, or under a path
// prefix through http.StripPrefix.
type mount func(t *testing.T, srv *sandbox.Server) string

func atRoot(_ *testing.T, srv *sandbox.Server) string { return srv.URL() }

func underPrefix(t *testing.T, srv *sandbox.Server) string {
	ts := httptest.NewServer(http.StripPrefix("/api/external", srv.Handler()))
	t.Cleanup(ts.Close)
	return ts.URL + "/api/external"
}

func newFixture(t *testing.T, m mount, opts sandbox.Options) fixture {
	t.Helper()
	if opts.Accounts == nil {
		opts.Accounts = []string{"18", "21"}
	}
	srv, err := sandbox.NewServer(opts)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	base := m(t, srv)
	user, pass := srv.Credentials()
	good, err := client.New(base, client.WithCredentials(user, pass))
	require.NoError(t, err)
	bad, err := client.New(base, client.WithCredentials(user, "wrong"))
	require.NoError(t, err)
	if len(opts.Accounts) > 0 && opts.Accounts[0] == "18" {
		ctx := context.Background()
		require.NoError(t, good.AddLeadsBulk(ctx, client.BulkLeads{LeadsByAccountID: map[string][]wire.Lead{"18": {validLead("EXT-1")}}}))
		require.NoError(t, good.AddAgent(ctx, wire.Agent{FirstName: "A", LastName: "Gent", Phone: "+13444343233", ExternalID: "AG-1"}))
	}
	return fixture{srv: srv, good: good, bad: bad}
}

func validLead(ext string) wire.Lead {
	return wire.Lead{FirstName: "John", LastName: "Smith", Phone: "+1333-111-8888", Timestamp: "06-23-2021 22:55:23",
		Zip: "98121", JornayaLeadID: "095796C6-4D33-A73C-7BCE-D5563F59E778", ExternalID: ext}
}

func oneBulk(account string, l wire.Lead) client.BulkLeads {
	return client.BulkLeads{LeadsByAccountID: map[string][]wire.Lead{account: {l}}}
}

// endpointCase calls one endpoint; a nil want means success.
type endpointCase struct {
	name string
	call func(ctx context.Context, f fixture) error
	want error
	// message is a substring of the APIError message, when want is set.
	message string
	// check runs after a success, on the sandbox's state.
	check func(t *testing.T, f fixture)
	// opts changes the fixture (e.g. no accounts).
	opts *sandbox.Options
}

func endpointCases() []endpointCase {
	noTimestamp := validLead("X")
	noTimestamp.Timestamp = ""
	mid := time.Date(2022, 2, 20, 1, 30, 0, 0, time.FixedZone("", 5*3600))
	acct := client.Account{Name: "Acme Account", CountryIso3: "USA", Timezone: "US/Arizona"}
	return []endpointCase{
		// 1. POST /lead
		{name: "AddLead ok", call: func(ctx context.Context, f fixture) error { return f.good.AddLead(ctx, validLead("L-9")) },
			check: func(t *testing.T, f fixture) { assert.Len(t, f.srv.Leads(), 2) }},
		{name: "AddLead 400", call: func(ctx context.Context, f fixture) error { return f.good.AddLead(ctx, noTimestamp) },
			want: client.ErrBadRequest, message: "timestamp: required"},
		{name: "AddLead 401", call: func(ctx context.Context, f fixture) error { return f.bad.AddLead(ctx, validLead("L-9")) }, want: client.ErrAuth},
		{name: "AddLead 404 without accounts", call: func(ctx context.Context, f fixture) error { return f.good.AddLead(ctx, validLead("L-9")) },
			want: client.ErrNotFound, message: "no account exists", opts: &sandbox.Options{Accounts: []string{}}},
		// 2. POST /agent
		{name: "AddAgent ok", call: func(ctx context.Context, f fixture) error {
			return f.good.AddAgent(ctx, wire.Agent{FirstName: "B", LastName: "C", Phone: "+1555", ExternalID: "AG-2"})
		}, check: func(t *testing.T, f fixture) { assert.Len(t, f.srv.Agents(), 2) }},
		{name: "AddAgent 400", call: func(ctx context.Context, f fixture) error {
			return f.good.AddAgent(ctx, wire.Agent{FirstName: "B", LastName: "C", Phone: "+1555"})
		}, want: client.ErrBadRequest, message: "externalId: required"},
		{name: "AddAgent 401", call: func(ctx context.Context, f fixture) error { return f.bad.AddAgent(ctx, wire.Agent{}) }, want: client.ErrAuth},
		// 3. PUT /lead/unsubscribe?phone=
		{name: "UnsubscribeByPhone ok", call: func(ctx context.Context, f fixture) error { return f.good.UnsubscribeByPhone(ctx, "+13331118888") },
			check: func(t *testing.T, f fixture) { assert.Equal(t, sandbox.LeadUnsubscribed, f.srv.Leads()[0].Status) }},
		{name: "UnsubscribeByPhone formatted ok", call: func(ctx context.Context, f fixture) error { return f.good.UnsubscribeByPhone(ctx, "+1 333-111-8888") }},
		{name: "UnsubscribeByPhone 400", call: func(ctx context.Context, f fixture) error { return f.good.UnsubscribeByPhone(ctx, "none") },
			want: client.ErrBadRequest, message: "has no digits"},
		{name: "UnsubscribeByPhone 401", call: func(ctx context.Context, f fixture) error { return f.bad.UnsubscribeByPhone(ctx, "+13331118888") }, want: client.ErrAuth},
		{name: "UnsubscribeByPhone 404", call: func(ctx context.Context, f fixture) error { return f.good.UnsubscribeByPhone(ctx, "+19999999999") },
			want: client.ErrNotFound, message: `no lead with phone "+19999999999"`},
		// 4. PUT /accounts/{id}/leads/{ext}/unsubscribe
		{name: "UnsubscribeLead ok", call: func(ctx context.Context, f fixture) error { return f.good.UnsubscribeLead(ctx, "18", "EXT-1") },
			check: func(t *testing.T, f fixture) { assert.Equal(t, sandbox.LeadUnsubscribed, f.srv.Leads()[0].Status) }},
		{name: "UnsubscribeLead 401", call: func(ctx context.Context, f fixture) error { return f.bad.UnsubscribeLead(ctx, "18", "EXT-1") }, want: client.ErrAuth},
		{name: "UnsubscribeLead 404", call: func(ctx context.Context, f fixture) error { return f.good.UnsubscribeLead(ctx, "18", "nope") },
			want: client.ErrNotFound, message: `lead "nope" not found in account 18`},
		// 5. POST /leads/bulk
		{name: "AddLeadsBulk ok", call: func(ctx context.Context, f fixture) error {
			return f.good.AddLeadsBulk(ctx, client.BulkLeads{LeadsByAccountID: map[string][]wire.Lead{"18": {validLead("B-1")}, "21": {validLead("B-2")}}})
		}, check: func(t *testing.T, f fixture) { assert.Len(t, f.srv.Leads(), 3) }},
		{name: "AddLeadsBulk 400", call: func(ctx context.Context, f fixture) error {
			return f.good.AddLeadsBulk(ctx, oneBulk("18", noTimestamp))
		},
			want: client.ErrBadRequest, message: `leadsByAccountId["18"][0].timestamp: required`},
		{name: "AddLeadsBulk 401", call: func(ctx context.Context, f fixture) error {
			return f.bad.AddLeadsBulk(ctx, oneBulk("18", validLead("B-1")))
		}, want: client.ErrAuth},
		{name: "AddLeadsBulk 404", call: func(ctx context.Context, f fixture) error {
			return f.good.AddLeadsBulk(ctx, oneBulk("99", validLead("B-1")))
		},
			want: client.ErrNotFound, message: "account 99 not found"},
		// 6. PUT /leads/bulk
		{name: "UpdateLeadsBulk ok", call: func(ctx context.Context, f fixture) error {
			l := validLead("EXT-1")
			l.FirstName = "Johnny"
			return f.good.UpdateLeadsBulk(ctx, oneBulk("18", l))
		}, check: func(t *testing.T, f fixture) {
			leads := f.srv.Leads()
			require.Len(t, leads, 1)
			assert.Equal(t, "Johnny", leads[0].FirstName)
			assert.Equal(t, 2, leads[0].ReceivedCount)
		}},
		{name: "UpdateLeadsBulk 400", call: func(ctx context.Context, f fixture) error {
			return f.good.UpdateLeadsBulk(ctx, oneBulk("18", noTimestamp))
		},
			want: client.ErrBadRequest, message: `leadsByAccountId["18"][0].timestamp`},
		{name: "UpdateLeadsBulk 401", call: func(ctx context.Context, f fixture) error {
			return f.bad.UpdateLeadsBulk(ctx, oneBulk("18", validLead("B-1")))
		}, want: client.ErrAuth},
		{name: "UpdateLeadsBulk 404", call: func(ctx context.Context, f fixture) error {
			return f.good.UpdateLeadsBulk(ctx, oneBulk("99", validLead("B-1")))
		},
			want: client.ErrNotFound, message: "account 99 not found"},
		// 7. reset, 8. stop
		{name: "ResetLead ok", call: func(ctx context.Context, f fixture) error {
			if err := f.good.StopLead(ctx, "18", "EXT-1"); err != nil {
				return err
			}
			return f.good.ResetLead(ctx, "18", "EXT-1")
		}, check: func(t *testing.T, f fixture) { assert.Equal(t, sandbox.LeadActive, f.srv.Leads()[0].Status) }},
		{name: "ResetLead 401", call: func(ctx context.Context, f fixture) error { return f.bad.ResetLead(ctx, "18", "EXT-1") }, want: client.ErrAuth},
		{name: "ResetLead 404", call: func(ctx context.Context, f fixture) error { return f.good.ResetLead(ctx, "77", "EXT-1") },
			want: client.ErrNotFound, message: "account 77 not found"},
		{name: "StopLead ok", call: func(ctx context.Context, f fixture) error { return f.good.StopLead(ctx, "18", "EXT-1") },
			check: func(t *testing.T, f fixture) { assert.Equal(t, sandbox.LeadStopped, f.srv.Leads()[0].Status) }},
		{name: "StopLead 401", call: func(ctx context.Context, f fixture) error { return f.bad.StopLead(ctx, "18", "EXT-1") }, want: client.ErrAuth},
		{name: "StopLead 404", call: func(ctx context.Context, f fixture) error { return f.good.StopLead(ctx, "18", "EXT-2") }, want: client.ErrNotFound},
		// 9. POST /accounts
		{name: "CreateAccount ok", call: func(ctx context.Context, f fixture) error {
			id, err := f.good.CreateAccount(ctx, acct)
			if err == nil && id != 22 {
				return errors.New("want id 22")
			}
			return err
		}, check: func(t *testing.T, f fixture) { assert.Equal(t, "Acme Account", f.srv.Accounts()[2].Name) }},
		{name: "CreateAccount 400", call: func(ctx context.Context, f fixture) error {
			_, err := f.good.CreateAccount(ctx, client.Account{Email: "a@b"})
			return err
		}, want: client.ErrBadRequest, message: "name: required"},
		{name: "CreateAccount 401", call: func(ctx context.Context, f fixture) error {
			_, err := f.bad.CreateAccount(ctx, acct)
			return err
		}, want: client.ErrAuth},
		// 10. PUT /accounts/{id}
		{name: "UpdateAccount ok", call: func(ctx context.Context, f fixture) error {
			id, err := f.good.UpdateAccount(ctx, "21", acct)
			if err == nil && id != 21 {
				return errors.New("want id 21")
			}
			return err
		}, check: func(t *testing.T, f fixture) { assert.Equal(t, "Acme Account", f.srv.Accounts()[1].Name) }},
		{name: "UpdateAccount 400", call: func(ctx context.Context, f fixture) error {
			_, err := f.good.UpdateAccount(ctx, "21", client.Account{Name: "A", CountryIso3: "U"})
			return err
		}, want: client.ErrBadRequest, message: "countryIso3"},
		{name: "UpdateAccount 401", call: func(ctx context.Context, f fixture) error {
			_, err := f.bad.UpdateAccount(ctx, "21", acct)
			return err
		}, want: client.ErrAuth},
		{name: "UpdateAccount 404", call: func(ctx context.Context, f fixture) error {
			_, err := f.good.UpdateAccount(ctx, "99", acct)
			return err
		}, want: client.ErrNotFound},
		// 11-13. inactivate, pause, unpause
		{name: "InactivateAccount ok", call: func(ctx context.Context, f fixture) error { return f.good.InactivateAccount(ctx, "21") },
			check: func(t *testing.T, f fixture) { assert.Equal(t, sandbox.AccountInactive, f.srv.Accounts()[1].Status) }},
		{name: "InactivateAccount 401", call: func(ctx context.Context, f fixture) error { return f.bad.InactivateAccount(ctx, "21") }, want: client.ErrAuth},
		{name: "InactivateAccount 404", call: func(ctx context.Context, f fixture) error { return f.good.InactivateAccount(ctx, "99") }, want: client.ErrNotFound},
		{name: "PauseAccount ok", call: func(ctx context.Context, f fixture) error { return f.good.PauseAccount(ctx, "21") },
			check: func(t *testing.T, f fixture) { assert.Equal(t, sandbox.AccountPaused, f.srv.Accounts()[1].Status) }},
		{name: "PauseAccount 400 inactive", call: func(ctx context.Context, f fixture) error {
			if err := f.good.InactivateAccount(ctx, "21"); err != nil {
				return err
			}
			return f.good.PauseAccount(ctx, "21")
		}, want: client.ErrBadRequest, message: "account 21 is inactive"},
		{name: "PauseAccount 401", call: func(ctx context.Context, f fixture) error { return f.bad.PauseAccount(ctx, "21") }, want: client.ErrAuth},
		{name: "PauseAccount 404", call: func(ctx context.Context, f fixture) error { return f.good.PauseAccount(ctx, "99") }, want: client.ErrNotFound},
		{name: "UnpauseAccount ok", call: func(ctx context.Context, f fixture) error {
			if err := f.good.PauseAccount(ctx, "21"); err != nil {
				return err
			}
			return f.good.UnpauseAccount(ctx, "21")
		}, check: func(t *testing.T, f fixture) { assert.Equal(t, sandbox.AccountActive, f.srv.Accounts()[1].Status) }},
		{name: "UnpauseAccount 400 inactive", call: func(ctx context.Context, f fixture) error {
			if err := f.good.InactivateAccount(ctx, "21"); err != nil {
				return err
			}
			return f.good.UnpauseAccount(ctx, "21")
		}, want: client.ErrBadRequest, message: "cannot be unpaused"},
		{name: "UnpauseAccount 401", call: func(ctx context.Context, f fixture) error { return f.bad.UnpauseAccount(ctx, "21") }, want: client.ErrAuth},
		{name: "UnpauseAccount 404", call: func(ctx context.Context, f fixture) error { return f.good.UnpauseAccount(ctx, "99") }, want: client.ErrNotFound},
		// 14. GET /accounts/{id}/statistics
		{name: "AccountStatistics ok", call: func(ctx context.Context, f fixture) error {
			// A positive offset: the client must send its '+' as %2B.
			st, err := f.good.AccountStatistics(ctx, "18", mid, time.Now().Add(time.Hour))
			if err == nil && st.LeadCount != 1 {
				return errors.New("want leadCount 1")
			}
			return err
		}},
		{name: "AccountStatistics 400", call: func(ctx context.Context, f fixture) error {
			_, err := f.good.AccountStatistics(ctx, "18", mid, mid.Add(-time.Hour))
			return err
		}, want: client.ErrBadRequest, message: "is after to"},
		{name: "AccountStatistics 401", call: func(ctx context.Context, f fixture) error {
			_, err := f.bad.AccountStatistics(ctx, "18", time.Time{}, time.Time{})
			return err
		}, want: client.ErrAuth},
		{name: "AccountStatistics 404", call: func(ctx context.Context, f fixture) error {
			_, err := f.good.AccountStatistics(ctx, "99", time.Time{}, time.Time{})
			return err
		}, want: client.ErrNotFound},
		// 15. GET /accounts/{id}/leads/{ext}/statistics
		{name: "LeadStatistics ok", call: func(ctx context.Context, f fixture) error {
			st, err := f.good.LeadStatistics(ctx, "18", "EXT-1")
			if err == nil && st != (client.LeadStatistics{}) {
				return errors.New("want zero lead statistics")
			}
			return err
		}},
		{name: "LeadStatistics 401", call: func(ctx context.Context, f fixture) error {
			_, err := f.bad.LeadStatistics(ctx, "18", "EXT-1")
			return err
		}, want: client.ErrAuth},
		{name: "LeadStatistics 404", call: func(ctx context.Context, f fixture) error {
			_, err := f.good.LeadStatistics(ctx, "18", "nope")
			return err
		}, want: client.ErrNotFound},
	}
}

func TestClientAgainstSandbox(t *testing.T) {
	mounts := []struct {
		name string
		m    mount
	}{{"at the root", atRoot}, {"under /api/external", underPrefix}}
	for _, mt := range mounts {
		t.Run(mt.name, func(t *testing.T) {
			for _, tc := range endpointCases() {
				t.Run(tc.name, func(t *testing.T) {
					opts := sandbox.Options{}
					if tc.opts != nil {
						opts = *tc.opts
					}
					f := newFixture(t, mt.m, opts)
					err := tc.call(context.Background(), f)
					if tc.want == nil {
						require.NoError(t, err)
						if tc.check != nil {
							tc.check(t, f)
						}
						return
					}
					require.ErrorIs(t, err, tc.want)
					var ae *client.APIError
					require.ErrorAs(t, err, &ae)
					assert.Contains(t, ae.Message, tc.message)
					assert.NotContains(t, err.Error(), "wrong", "the password never shows in an error")
				})
			}
		})
	}
}

func TestClientSeesFaults(t *testing.T) {
	ctx := context.Background()
	t.Run("429 with Retry-After", func(t *testing.T) {
		now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		f := newFixture(t, atRoot, sandbox.Options{RateLimit: 2, Now: func() time.Time { return now }})
		// The fixture's two seeding requests used up this second.
		err := f.good.StopLead(ctx, "18", "EXT-1")
		require.ErrorIs(t, err, client.ErrRateLimited)
		var ae *client.APIError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, time.Second, ae.RetryAfter)
	})
	t.Run("dropped but applied", func(t *testing.T) {
		f := newFixture(t, atRoot, sandbox.Options{Accounts: []string{"5"}, DropRate: 1})
		err := f.good.AddLeadsBulk(ctx, oneBulk("5", validLead("D-1")))
		require.Error(t, err)
		assert.True(t, client.IsNoResponse(err), "%v", err)
		leads := f.srv.Leads()
		require.Len(t, leads, 1)
		assert.Equal(t, "D-1", leads[0].ExternalID)
	})
	t.Run("failure not applied", func(t *testing.T) {
		f := newFixture(t, atRoot, sandbox.Options{Accounts: []string{"5"}, FailRate: 1})
		err := f.good.AddLeadsBulk(ctx, oneBulk("5", validLead("F-1")))
		require.ErrorIs(t, err, client.ErrServer)
		assert.Empty(t, f.srv.Leads())
	})
	t.Run("rejected external id", func(t *testing.T) {
		f := newFixture(t, atRoot, sandbox.Options{RejectExternalIDs: []string{"R-1"}})
		err := f.good.AddLeadsBulk(ctx, client.BulkLeads{LeadsByAccountID: map[string][]wire.Lead{"18": {validLead("ok"), validLead("R-1")}}})
		require.ErrorIs(t, err, client.ErrBadRequest)
		assert.NotContains(t, err.Error(), "R-1")
	})
}

func TestServerClient(t *testing.T) {
	srv, err := sandbox.NewServer(sandbox.Options{Username: "u", Password: "p", Accounts: []string{"18"}})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	c, err := srv.Client()
	require.NoError(t, err)
	require.NoError(t, c.AddLead(context.Background(), validLead("S-1")))
	assert.Len(t, srv.Leads(), 1)

	// Options given later override the credentials.
	c, err = srv.Client(client.WithCredentials("u", "x"))
	require.NoError(t, err)
	require.ErrorIs(t, c.AddLead(context.Background(), validLead("S-2")), client.ErrAuth)
}

// TestClientRecognisesAWrongURL: a client whose base URL misses or adds a
// path prefix reaches no endpoint, and says so (check --url) instead of
// reporting every lead as not found.
func TestClientRecognisesAWrongURL(t *testing.T) {
	srv, err := sandbox.NewServer(sandbox.Options{Accounts: []string{"18"}})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	prefixed := underPrefix(t, srv)
	tests := []struct {
		name, base string
		wantErr    error // nil: success
	}{
		{"right URL", srv.URL(), nil},
		{"right URL under a prefix", prefixed, nil},
		{"a prefix the server does not have", srv.URL() + "/api/external", client.ErrNotAPI},
		{"the prefix left out", prefixed[:len(prefixed)-len("/api/external")], client.ErrNotAPI},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user, pass := srv.Credentials()
			c, err := client.New(tt.base, client.WithCredentials(user, pass))
			require.NoError(t, err)
			err = c.AddLeadsBulk(context.Background(), oneBulk("18", validLead("W-1")))
			if tt.wantErr == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
			assert.False(t, errors.Is(err, client.ErrNotFound), "a missing endpoint is not a missing account")
			assert.Contains(t, err.Error(), "check --url")
			// An unknown account is still the API's own 404.
			c, err = client.New(srv.URL(), client.WithCredentials(user, pass))
			require.NoError(t, err)
			require.ErrorIs(t, c.PauseAccount(context.Background(), "99"), client.ErrNotFound)
		})
	}
}

// TestClientAgainstAutoCreatingSandbox: with AutoCreateAccounts a client
// can send to any account id, and reads the lead statistics' null
// lastDeliveredTime.
func TestClientAgainstAutoCreatingSandbox(t *testing.T) {
	srv, err := sandbox.NewServer(sandbox.Options{AutoCreateAccounts: true})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Close()) })
	c, err := srv.Client()
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, c.AddLeadsBulk(ctx, oneBulk("512", validLead("A-1"))))
	st, err := c.LeadStatistics(ctx, "512", "A-1")
	require.NoError(t, err)
	assert.Equal(t, client.LeadStatistics{}, st)
	accounts := srv.Accounts()
	require.Len(t, accounts, 1)
	assert.Equal(t, "512", accounts[0].ID)
}
