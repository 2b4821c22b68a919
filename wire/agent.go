package wire

// Agent is the body of POST /agent. Every field is required by the API.
type Agent struct {
	FirstName  string `json:"firstName"`
	LastName   string `json:"lastName"`
	Phone      string `json:"phone"`
	ExternalID string `json:"externalId"`
}

// AgentOf takes an agent's four fields from a mapped lead: agents are mapped
// with the lead's field names.
func AgentOf(l *Lead) Agent {
	return Agent{FirstName: l.FirstName, LastName: l.LastName, Phone: l.Phone, ExternalID: l.ExternalID}
}
