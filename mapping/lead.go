package mapping

// Lead is one mapped lead. It has exactly the fields, types, order and tags
// of client.Lead so that the importer converts with client.Lead(m) at no
// cost; this package must not import client, hence the copy. Keep the two in
// step: a test in the importer (which sees both) is the place to prove it.
type Lead struct {
	FirstName       string            `json:"firstName"`
	LastName        string            `json:"lastName"`
	Phone           string            `json:"phone"`
	State           string            `json:"state,omitempty"`
	City            string            `json:"city,omitempty"`
	Zip             string            `json:"zip,omitempty"`
	Timestamp       string            `json:"timestamp"`
	IPAddress       string            `json:"ipAddress,omitempty"`
	SourceID        string            `json:"sourceId,omitempty"`
	JornayaLeadID   string            `json:"jornayaLeadId,omitempty"`
	TrustedFormID   string            `json:"trustedFormId,omitempty"`
	Email           string            `json:"email,omitempty"`
	Street          string            `json:"street,omitempty"`
	AgentExternalID string            `json:"agentExternalId,omitempty"`
	ExternalID      string            `json:"externalId,omitempty"`
	Attributes      map[string]string `json:"attributes,omitempty"`
}

// field identifies one Lead field the mapping can fill. The order follows
// Lead; fieldNames gives the API (JSON) name of each.
type field int

const (
	fFirstName field = iota
	fLastName
	fPhone
	fState
	fCity
	fZip
	fTimestamp
	fIPAddress
	fSourceID
	fJornayaLeadID
	fTrustedFormID
	fEmail
	fStreet
	fAgentExternalID
	fExternalID
	numFields
)

// fieldNames returns the API names of the mappable fields, in Lead order.
// A function, not a package variable, so nothing shared can be mutated.
func fieldNames() [numFields]string {
	return [numFields]string{
		"firstName", "lastName", "phone", "state", "city", "zip", "timestamp",
		"ipAddress", "sourceId", "jornayaLeadId", "trustedFormId", "email",
		"street", "agentExternalId", "externalId",
	}
}

// String returns the API name of f.
func (f field) String() string {
	if f < 0 || f >= numFields {
		return "unknown"
	}
	return fieldNames()[f]
}

// fieldByName returns the field with the API name s.
func fieldByName(s string) (field, bool) {
	names := fieldNames()
	for i, n := range names {
		if n == s {
			return field(i), true
		}
	}
	return 0, false
}

// set stores v in the Lead field f.
func (l *Lead) set(f field, v string) {
	switch f {
	case fFirstName:
		l.FirstName = v
	case fLastName:
		l.LastName = v
	case fPhone:
		l.Phone = v
	case fState:
		l.State = v
	case fCity:
		l.City = v
	case fZip:
		l.Zip = v
	case fTimestamp:
		l.Timestamp = v
	case fIPAddress:
		l.IPAddress = v
	case fSourceID:
		l.SourceID = v
	case fJornayaLeadID:
		l.JornayaLeadID = v
	case fTrustedFormID:
		l.TrustedFormID = v
	case fEmail:
		l.Email = v
	case fStreet:
		l.Street = v
	case fAgentExternalID:
		l.AgentExternalID = v
	case fExternalID:
		l.ExternalID = v
	}
}
