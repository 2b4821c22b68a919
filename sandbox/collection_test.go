package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// postmanCollection is the part of a Postman v2.0 collection the replay
// needs.
type postmanCollection struct {
	Auth postmanAuth   `json:"auth"`
	Item []postmanItem `json:"item"`
}

type postmanAuth struct {
	Basic struct {
		BasicConfig []struct {
			Key   string `json:"key"`
			Value string `json:"value"`
		} `json:"basicConfig"`
	} `json:"basic"`
}

type postmanItem struct {
	Name     string           `json:"name"`
	Item     []postmanItem    `json:"item"`
	Request  *postmanRequest  `json:"request"`
	Response []postmanExample `json:"response"`
}

type postmanExample struct {
	Name            string          `json:"name"`
	OriginalRequest *postmanRequest `json:"originalRequest"`
	Code            int             `json:"code"`
	Body            string          `json:"body"`
}

type postmanRequest struct {
	Method string `json:"method"`
	Header []struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	} `json:"header"`
	Body *struct {
		Raw string `json:"raw"`
	} `json:"body"`
	URL postmanURL `json:"url"`
}

// postmanURL is either a string or an object with "raw".
type postmanURL string

func (u *postmanURL) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*u = postmanURL(s)
		return nil
	}
	var obj struct {
		Raw string `json:"raw"`
	}
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	*u = postmanURL(obj.Raw)
	return nil
}

// loadCollection reads testdata's copy of the collection, flattened to
// requests by name.
func loadCollection(t *testing.T) (postmanCollection, map[string]postmanItem) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "xonvo-external-api.postman.json"))
	require.NoError(t, err)
	var c postmanCollection
	require.NoError(t, json.Unmarshal(b, &c))
	byName := map[string]postmanItem{}
	var walk func([]postmanItem)
	walk = func(items []postmanItem) {
		for _, it := range items {
			if it.Request != nil {
				byName[it.Name] = it
			}
			walk(it.Item)
		}
	}
	walk(c.Item)
	return c, byName
}

// replayOrder is a sensible order for the collection: agents before the
// leads that name them, leads before their actions, inactivation last.
func replayOrder() []string {
	return []string{
		"Add an agent",
		"Add a lead",
		"Add leads (bulk)",
		"Update leads (bulk)",
		"Unsubscribe a lead",
		"Unsubscribe lead by external id",
		"Reset a lead",
		"Stop a lead",
		"Lead statistics",
		"Get account statistics",
		"Create an account",
		"Update an account",
		"Pause an account",
		"Unpause an account",
		"Inactivate an account",
	}
}

func TestCollectionReplay(t *testing.T) {
	mounts := []struct {
		name   string
		prefix string
	}{
		{name: "at the root", prefix: ""},
		{name: "under a path prefix", prefix: "/api/external"},
	}
	for _, m := range mounts {
		t.Run(m.name, func(t *testing.T) {
			srv := startServer(t, Options{Username: "partner", Password: "s3cret"})
			base := srv.URL()
			if m.prefix != "" {
				ts := httptest.NewServer(http.StripPrefix(m.prefix, srv.Handler()))
				t.Cleanup(ts.Close)
				base = ts.URL + m.prefix
			}
			coll, byName := loadCollection(t)
			require.Len(t, byName, 15, "the collection has 15 requests")
			require.ElementsMatch(t, replayOrder(), keys(byName))
			vars := map[string]string{
				"environment":    base,
				"accountId":      "18",
				"leadExternalId": "EXT-32342-TR",
				"username":       "partner",
				"password":       "s3cret",
			}
			user, pass := basicFromCollection(coll, vars)
			// Each request, then its examples' original requests (one carries
			// the statistics window as a query string).
			for _, name := range replayOrder() {
				t.Run(name, func(t *testing.T) {
					status, body := replay(t, byName[name].Request, vars, user, pass)
					assert.True(t, status >= 200 && status < 300, "%d %s", status, body)
					for _, ex := range byName[name].Response {
						if ex.OriginalRequest == nil {
							continue
						}
						status, body := replay(t, ex.OriginalRequest, vars, user, pass)
						assert.True(t, status >= 200 && status < 300, "example %q: %d %s", ex.Name, status, body)
					}
				})
			}

			leads := srv.Leads()
			require.Len(t, leads, 3)
			assert.Equal(t, "2", leads[0].ExternalID)
			assert.Equal(t, LeadUnsubscribed, leads[0].Status, "unsubscribed by phone")
			assert.Equal(t, "18", leads[1].AccountID)
			assert.Equal(t, LeadStopped, leads[1].Status, "reset, then stopped")
			assert.Equal(t, "21", leads[2].AccountID)
			assert.Equal(t, LeadActive, leads[2].Status, "another phone, another account")
			require.Len(t, srv.Agents(), 1)
			accounts := srv.Accounts()
			assert.Equal(t, AccountInactive, accounts[0].Status)
			assert.Equal(t, "Acme Account", accounts[0].Name)
		})
	}
}

func keys(m map[string]postmanItem) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func substitute(s string, vars map[string]string) string {
	for k, v := range vars {
		s = strings.ReplaceAll(s, "{{"+k+"}}", v)
	}
	return s
}

func basicFromCollection(c postmanCollection, vars map[string]string) (user, pass string) {
	for _, kv := range c.Auth.Basic.BasicConfig {
		switch kv.Key {
		case "username":
			user = substitute(kv.Value, vars)
		case "password":
			pass = substitute(kv.Value, vars)
		}
	}
	return user, pass
}

// replay sends one collection request exactly as written there, with the
// variables substituted.
func replay(t *testing.T, pr *postmanRequest, vars map[string]string, user, pass string) (int, string) {
	t.Helper()
	var body io.Reader
	if pr.Body != nil && pr.Body.Raw != "" {
		body = strings.NewReader(substitute(pr.Body.Raw, vars))
	}
	req, err := http.NewRequest(pr.Method, substitute(string(pr.URL), vars), body)
	require.NoError(t, err)
	for _, h := range pr.Header {
		req.Header.Set(h.Key, h.Value)
	}
	req.SetBasicAuth(user, pass)
	resp, err := rawClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// TestAnswersCarryTheCollectionKeys compares the sandbox's JSON answers with
// the collection's example answers key by key: a client that parses the
// documented shape must find every key, with the same JSON type, also when
// the value is empty (lastDeliveredTime is null before any delivery).
func TestAnswersCarryTheCollectionKeys(t *testing.T) {
	_, byName := loadCollection(t)
	tests := []struct {
		name, method, path, body string
		nullable                 []string // keys whose value may be null in the sandbox
	}{
		{name: "Get account statistics", method: "GET", path: "/accounts/18/statistics"},
		{name: "Lead statistics", method: "GET", path: "/accounts/18/leads/L1/statistics", nullable: []string{"lastDeliveredTime"}},
		{name: "Create an account", method: "POST", path: "/accounts", body: `{"name":"Shop"}`},
		{name: "Update an account", method: "PUT", path: "/accounts/18", body: `{"name":"Shop"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, Options{})
			require.Equal(t, 200, send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{"18": {bulkLead("L1")}})).status)
			item, ok := byName[tt.name]
			require.True(t, ok)
			var example map[string]any
			for _, ex := range item.Response {
				if ex.Code == 200 && strings.TrimSpace(ex.Body) != "" {
					require.NoError(t, json.Unmarshal([]byte(ex.Body), &example))
				}
			}
			require.NotNil(t, example, "the collection has an example answer")

			a := send(t, srv, tt.method, tt.path, tt.body)
			require.Equal(t, 200, a.status, "%s", a.body)
			var got map[string]any
			require.NoError(t, json.Unmarshal(a.body, &got))
			assert.ElementsMatch(t, mapKeys(example), mapKeys(got))
			for k, v := range example {
				if got[k] == nil && slices.Contains(tt.nullable, k) {
					continue
				}
				assert.IsType(t, v, got[k], "key %s", k)
			}
		})
	}
}

func mapKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
