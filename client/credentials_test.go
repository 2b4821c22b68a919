package client

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/wire"
)

// TestCredentialsNeverLeak runs every way a call can fail and checks that no
// form of the password appears in the error text, nor in a panic.
func TestCredentialsNeverLeak(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte(testUser + ":" + testPassword))
	forms := []string{testPassword, url.QueryEscape(testPassword), url.PathEscape(testPassword), basic}
	creds := WithCredentials(testUser, testPassword)
	noRetrySleep := RetryPolicy{MaxRetries: 2, Sleep: (&sleepRecorder{}).sleep}

	// call makes a client for the scenario and returns the error it produced.
	tests := []struct {
		name string
		call func(t *testing.T) error
	}{
		{"400 echoing the password", func(t *testing.T) error {
			api := newFakeAPI(t, reply{status: 400, body: `{"message":"bad login importer:` + testPassword + `"}`})
			return api.newClient(t).AddLead(t.Context(), wire.Lead{})
		}},
		{"400 echoing the Authorization header", func(t *testing.T) error {
			api := newFakeAPI(t, reply{status: 400, body: "got header Authorization: Basic " + basic})
			return api.newClient(t).AddLead(t.Context(), wire.Lead{})
		}},
		{"400 echoing the escaped password", func(t *testing.T) error {
			api := newFakeAPI(t, reply{status: 400, body: "password=" + url.QueryEscape(testPassword)})
			return api.newClient(t).AddLead(t.Context(), wire.Lead{})
		}},
		{"401", func(t *testing.T) error {
			api := newFakeAPI(t, reply{status: 401, header: map[string]string{"WWW-Authenticate": `Basic realm="ALOT-EXTERNAL"`}, body: "bad password " + testPassword})
			return api.newClient(t).AddLead(t.Context(), wire.Lead{})
		}},
		{"500 after retries", func(t *testing.T) error {
			r := reply{status: 500, body: "NullPointerException at auth(" + testPassword + ")"}
			api := newFakeAPI(t, r, r, r)
			return api.newClient(t, WithRetry(noRetrySleep)).AddLead(t.Context(), wire.Lead{})
		}},
		{"200 login page echoing the password", func(t *testing.T) error {
			api := newFakeAPI(t, reply{status: 200, header: map[string]string{"Content-Type": "text/html"},
				body: "<title>Sign in as " + testUser + ":" + testPassword + "</title>"})
			return api.newClient(t).AddLead(t.Context(), wire.Lead{})
		}},
		{"404 page echoing the Authorization header", func(t *testing.T) error {
			api := newFakeAPI(t, reply{status: 404, body: "no route; you sent Basic " + basic})
			return api.newClient(t).AddLead(t.Context(), wire.Lead{})
		}},
		{"redirect carrying the password", func(t *testing.T) error {
			api := newFakeAPI(t, reply{status: 302, header: map[string]string{"Location": "/login/" + url.PathEscape(testPassword)}})
			return api.newClient(t).AddLead(t.Context(), wire.Lead{})
		}},
		{"retry-after too long", func(t *testing.T) error {
			api := newFakeAPI(t, reply{status: 429, header: map[string]string{"Retry-After": "999999"}, body: testPassword})
			return api.newClient(t, WithRetry(noRetrySleep)).AddLead(t.Context(), wire.Lead{})
		}},
		{"body cut off", func(t *testing.T) error {
			api := newFakeAPI(t, reply{status: 200, body: testPassword, cut: true})
			return api.newClient(t).AddLead(t.Context(), wire.Lead{})
		}},
		{"transport error", func(t *testing.T) error {
			api := newFakeAPI(t, reply{drop: true})
			return api.newClient(t).AddLead(t.Context(), wire.Lead{})
		}},
		{"timeout", func(t *testing.T) error {
			api := newFakeAPI(t, reply{hang: true})
			return api.newClient(t, WithTimeout(50*time.Millisecond)).AddLead(t.Context(), wire.Lead{})
		}},
		{"connection refused", func(t *testing.T) error {
			srv := httptest.NewServer(http.NotFoundHandler())
			srv.Close()
			c, err := New(srv.URL+testPrefix, creds)
			require.NoError(t, err)
			return c.AddLead(t.Context(), wire.Lead{})
		}},
		{"cancelled while waiting", func(t *testing.T) error {
			api := newFakeAPI(t, reply{status: 503, body: testPassword})
			ctx, cancel := context.WithCancel(t.Context())
			c := api.newClient(t, WithRetry(RetryPolicy{MaxRetries: 1, Sleep: func(ctx context.Context, _ time.Duration) error {
				cancel()
				return ctx.Err()
			}}))
			return c.AddLead(ctx, wire.Lead{})
		}},
		{"bad base URL with userinfo", func(t *testing.T) error {
			_, err := New("https://"+testUser+":"+testPassword+"@admin.xonvo.com/api", creds)
			return err
		}},
		{"bad base URL with escaped userinfo", func(t *testing.T) error {
			_, err := New("https://"+testUser+":"+url.QueryEscape(testPassword)+"@admin.xonvo.com/api", creds)
			return err
		}},
		{"unparsable base URL quoting the password", func(t *testing.T) error {
			_, err := New("https://admin.xonvo.com:"+url.QueryEscape(testPassword)+"/api", creds)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { err = tt.call(t) })
			require.Error(t, err)
			texts := []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err)}
			for _, text := range texts {
				for _, form := range forms {
					assert.NotContains(t, text, form)
				}
			}
		})
	}
}

// TestClientPrintsWithoutCredentials: logging a Client, or a struct holding
// one, must not print the password.
func TestClientPrintsWithoutCredentials(t *testing.T) {
	c, err := New("https://admin.xonvo.com/api", WithCredentials(testUser, testPassword))
	require.NoError(t, err)
	holder := struct{ Client *Client }{c}
	tests := []struct {
		name string
		text string
	}{
		{"%v pointer", fmt.Sprintf("%v", c)},
		{"%+v pointer", fmt.Sprintf("%+v", c)},
		{"%#v pointer", fmt.Sprintf("%#v", c)},
		{"%+v value", fmt.Sprintf("%+v", *c)},
		{"%#v value", fmt.Sprintf("%#v", *c)},
		{"%+v holder", fmt.Sprintf("%+v", holder)},
		{"%#v holder", fmt.Sprintf("%#v", holder)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.NotContains(t, tt.text, testPassword)
			assert.NotContains(t, tt.text, base64.StdEncoding.EncodeToString([]byte(testUser+":"+testPassword)))
		})
	}
}

func TestMaskSecret(t *testing.T) {
	tests := []struct {
		name, secret, in, want string
	}{
		{"long secret anywhere", "s3cr3t-P@ss", "xs3cr3t-P@ssy and s3cr3t-P@ss", "x***y and ***"},
		{"short secret alone", "p", "password=p;", "password=***;"},
		{"short secret at the ends", "pw", "pw is pw", "*** is ***"},
		{"short secret inside a word kept", "p", "dial tcp 127.0.0.1", "dial tcp 127.0.0.1"},
		{"short secret mixed", "ab", "tab ab abc (ab)", "tab *** abc (***)"},
		{"no occurrence", "zz", "nothing here", "nothing here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, maskSecret(tt.in, tt.secret))
		})
	}
}

// TestShortPasswordKeepsMessagesReadable: a one-letter password is masked
// where it stands alone, without garbling transport errors.
func TestShortPasswordKeepsMessagesReadable(t *testing.T) {
	api := newFakeAPI(t, reply{status: 400, body: "password p is wrong"})
	c, err := New(api.url, WithCredentials("u", "p"))
	require.NoError(t, err)
	err = c.AddLead(t.Context(), wire.Lead{})
	require.Error(t, err)
	assert.Equal(t, "POST /lead: 400 Bad Request: password *** is wrong", err.Error())
}
