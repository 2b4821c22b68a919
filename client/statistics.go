package client

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// StatisticsTimeLayout is how AccountStatistics sends from and to: ISO-8601
// with milliseconds and the offset, as in the collection
// (2022-02-20T01:30:00.000-05:00).
const StatisticsTimeLayout = "2006-01-02T15:04:05.000-07:00"

// AccountStatistics returns an account's counters between from and to:
// GET /accounts/{accountID}/statistics?from=&to=. A zero time is left out of
// the query. Times keep their own offset.
func (c *Client) AccountStatistics(ctx context.Context, accountID string, from, to time.Time) (AccountStatistics, error) {
	var out AccountStatistics
	path, err := accountPath(accountID, "/statistics")
	if err != nil {
		return out, err
	}
	q := url.Values{}
	if !from.IsZero() {
		q.Set("from", from.Format(StatisticsTimeLayout))
	}
	if !to.IsZero() {
		q.Set("to", to.Format(StatisticsTimeLayout))
	}
	if err := c.send(ctx, http.MethodGet, path, q, nil, &out); err != nil {
		return AccountStatistics{}, err
	}
	return out, nil
}

// LeadStatistics returns one lead's delivery statistics:
// GET /accounts/{accountID}/leads/{externalID}/statistics.
func (c *Client) LeadStatistics(ctx context.Context, accountID, externalID string) (LeadStatistics, error) {
	var out LeadStatistics
	path, err := leadPath(accountID, externalID, "/statistics")
	if err != nil {
		return out, err
	}
	if err := c.send(ctx, http.MethodGet, path, nil, nil, &out); err != nil {
		return LeadStatistics{}, err
	}
	return out, nil
}
