package client

import "github.com/xonvo/xonvo-import/wire"

// BulkLeads is the body of POST and PUT /leads/bulk: leads grouped by the
// account they belong to. Account ids are JSON object keys, so strings.
type BulkLeads struct {
	LeadsByAccountID map[string][]wire.Lead `json:"leadsByAccountId"`
}

// Account is the body of POST /accounts and PUT /accounts/{accountId}.
type Account struct {
	Name            string            `json:"name,omitempty"`
	PhoneNumber     string            `json:"phoneNumber,omitempty"`
	Email           string            `json:"email,omitempty"`
	Description     string            `json:"description,omitempty"`
	CountryIso3     string            `json:"countryIso3,omitempty"`
	State           string            `json:"state,omitempty"`
	Timezone        string            `json:"timezone,omitempty"`
	Type            string            `json:"type,omitempty"`
	Attributes      map[string]string `json:"attributes,omitempty"`
	AIAssistantName string            `json:"aiAssistantName,omitempty"`
	Website         string            `json:"website,omitempty"`
	// AreaCode is a number in the collection's example (434).
	AreaCode *int `json:"areaCode,omitempty"`
}

// AccountID is the body the API answers account creation and update with.
type AccountID struct {
	ID int64 `json:"id"`
}

// AccountStatistics is the answer of GET /accounts/{accountId}/statistics.
type AccountStatistics struct {
	EngagedCount     int64   `json:"engagedCount"`
	LeadCount        int64   `json:"leadCount"`
	UnsubscribeCount int64   `json:"unsubscribeCount"`
	DeliveredCount   int64   `json:"deliveredCount"`
	CTR              float64 `json:"ctr"`
}

// LeadStatistics is the answer of
// GET /accounts/{accountId}/leads/{leadExternalId}/statistics.
type LeadStatistics struct {
	DeliveredCount int64 `json:"deliveredCount"`
	Qualified      bool  `json:"qualified"`
	// LastDeliveredTime is kept as the server wrote it (ISO-8601, e.g.
	// "2022-06-01T12:15:55.360Z"), empty when the lead was never delivered.
	LastDeliveredTime string `json:"lastDeliveredTime,omitempty"`
}
