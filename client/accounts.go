package client

import (
	"context"
	"net/http"
)

// CreateAccount creates an account and returns its id: POST /accounts.
// Unlike the other calls it is not resent when the first request may have
// been applied (no response, or a 2xx whose body broke off): the API does
// not key accounts, so a resend would create a second one.
func (c *Client) CreateAccount(ctx context.Context, a Account) (int64, error) {
	r, err := newRequest(http.MethodPost, "/accounts", nil, a)
	if err != nil {
		return 0, err
	}
	r.noResend = true
	var out AccountID
	if err := c.do(ctx, r, &out); err != nil {
		return 0, err
	}
	return out.ID, nil
}

// UpdateAccount updates an account and returns its id:
// PUT /accounts/{accountID}.
func (c *Client) UpdateAccount(ctx context.Context, accountID string, a Account) (int64, error) {
	path, err := accountPath(accountID, "")
	if err != nil {
		return 0, err
	}
	var out AccountID
	if err := c.send(ctx, http.MethodPut, path, nil, a, &out); err != nil {
		return 0, err
	}
	return out.ID, nil
}

// InactivateAccount inactivates an account: PUT /accounts/{accountID}/inactivate.
func (c *Client) InactivateAccount(ctx context.Context, accountID string) error {
	return c.accountAction(ctx, accountID, "/inactivate")
}

// PauseAccount pauses an account: PUT /accounts/{accountID}/pause.
func (c *Client) PauseAccount(ctx context.Context, accountID string) error {
	return c.accountAction(ctx, accountID, "/pause")
}

// UnpauseAccount resumes a paused account: PUT /accounts/{accountID}/unpause.
func (c *Client) UnpauseAccount(ctx context.Context, accountID string) error {
	return c.accountAction(ctx, accountID, "/unpause")
}

func (c *Client) accountAction(ctx context.Context, accountID, action string) error {
	path, err := accountPath(accountID, action)
	if err != nil {
		return err
	}
	return c.send(ctx, http.MethodPut, path, nil, nil, nil)
}
