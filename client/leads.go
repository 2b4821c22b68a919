package client

import (
	"context"
	"net/http"
	"net/url"

	"github.com/xonvo/xonvo-import/wire"
)

// AddLead adds one lead: POST /lead.
func (c *Client) AddLead(ctx context.Context, lead wire.Lead) error {
	return c.send(ctx, http.MethodPost, "/lead", nil, lead, nil)
}

// AddAgent adds an agent that leads can name in agentExternalId: POST /agent.
func (c *Client) AddAgent(ctx context.Context, agent wire.Agent) error {
	return c.send(ctx, http.MethodPost, "/agent", nil, agent, nil)
}

// UnsubscribeByPhone unsubscribes the lead with this phone:
// PUT /lead/unsubscribe?phone=... (a leading + is sent as %2B).
func (c *Client) UnsubscribeByPhone(ctx context.Context, phone string) error {
	if phone == "" {
		return invalidArgument("phone", phone)
	}
	return c.send(ctx, http.MethodPut, "/lead/unsubscribe", url.Values{"phone": {phone}}, nil, nil)
}

// UnsubscribeLead unsubscribes a lead by account and external id:
// PUT /accounts/{accountID}/leads/{externalID}/unsubscribe.
func (c *Client) UnsubscribeLead(ctx context.Context, accountID, externalID string) error {
	return c.leadAction(ctx, accountID, externalID, "/unsubscribe")
}

// ResetLead restarts a lead's interaction:
// PUT /accounts/{accountID}/leads/{externalID}/reset.
func (c *Client) ResetLead(ctx context.Context, accountID, externalID string) error {
	return c.leadAction(ctx, accountID, externalID, "/reset")
}

// StopLead stops further campaign messages in the lead's current
// interaction: PUT /accounts/{accountID}/leads/{externalID}/stop.
func (c *Client) StopLead(ctx context.Context, accountID, externalID string) error {
	return c.leadAction(ctx, accountID, externalID, "/stop")
}

// AddLeadsBulk adds leads grouped by account: POST /leads/bulk.
func (c *Client) AddLeadsBulk(ctx context.Context, b BulkLeads) error {
	return c.send(ctx, http.MethodPost, "/leads/bulk", nil, b, nil)
}

// UpdateLeadsBulk updates leads grouped by account: PUT /leads/bulk.
func (c *Client) UpdateLeadsBulk(ctx context.Context, b BulkLeads) error {
	return c.send(ctx, http.MethodPut, "/leads/bulk", nil, b, nil)
}

// PostLeadsBulkJSON is AddLeadsBulk with the body already encoded (a
// BulkLeads document). body is sent as is on every attempt and must not be
// modified until the call returns.
func (c *Client) PostLeadsBulkJSON(ctx context.Context, body []byte) error {
	return c.do(ctx, &request{method: http.MethodPost, endpoint: "/leads/bulk", body: nonNil(body)}, nil)
}

// PutLeadsBulkJSON is UpdateLeadsBulk with the body already encoded; see
// PostLeadsBulkJSON.
func (c *Client) PutLeadsBulkJSON(ctx context.Context, body []byte) error {
	return c.do(ctx, &request{method: http.MethodPut, endpoint: "/leads/bulk", body: nonNil(body)}, nil)
}

func (c *Client) leadAction(ctx context.Context, accountID, externalID, action string) error {
	path, err := leadPath(accountID, externalID, action)
	if err != nil {
		return err
	}
	return c.send(ctx, http.MethodPut, path, nil, nil, nil)
}

// nonNil keeps an empty pre-encoded body a body (with its Content-Type).
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
