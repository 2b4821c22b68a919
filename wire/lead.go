package wire

// Lead is one lead as the API receives it, on POST /lead and inside a
// leadsByAccountId batch. Field names and JSON tags follow the Postman
// collection exactly; optional fields are omitted when empty so that a
// request carries only what the caller set. The order of the fields is the
// order json.Marshal writes them, and the order of the Field constants.
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

// Field names one string field of Lead (Attributes is not one).
type Field uint8

// The string fields of Lead, in struct order.
const (
	FirstName Field = iota
	LastName
	Phone
	State
	City
	Zip
	Timestamp
	IPAddress
	SourceID
	JornayaLeadID
	TrustedFormID
	Email
	Street
	AgentExternalID
	ExternalID
	// NumFields counts the fields above.
	NumFields
)

// AttributesName is the JSON name of Lead.Attributes.
const AttributesName = "attributes"

// fieldSpec is what the encoder, the mapping and the sandbox need of a field.
// The key is kept ready to append: the encoder writes it in one copy.
type fieldSpec struct {
	key       string // the JSON name quoted, with its colon: "firstName":
	omitEmpty bool
	ptr       func(*Lead) *string
}

// fieldSpecs is the table of Lead's string fields, indexed by Field. It is
// read-only; TestFieldTableMatchesStruct holds it to the struct's tags.
var fieldSpecs = [NumFields]fieldSpec{
	FirstName:       {`"firstName":`, false, func(l *Lead) *string { return &l.FirstName }},
	LastName:        {`"lastName":`, false, func(l *Lead) *string { return &l.LastName }},
	Phone:           {`"phone":`, false, func(l *Lead) *string { return &l.Phone }},
	State:           {`"state":`, true, func(l *Lead) *string { return &l.State }},
	City:            {`"city":`, true, func(l *Lead) *string { return &l.City }},
	Zip:             {`"zip":`, true, func(l *Lead) *string { return &l.Zip }},
	Timestamp:       {`"timestamp":`, false, func(l *Lead) *string { return &l.Timestamp }},
	IPAddress:       {`"ipAddress":`, true, func(l *Lead) *string { return &l.IPAddress }},
	SourceID:        {`"sourceId":`, true, func(l *Lead) *string { return &l.SourceID }},
	JornayaLeadID:   {`"jornayaLeadId":`, true, func(l *Lead) *string { return &l.JornayaLeadID }},
	TrustedFormID:   {`"trustedFormId":`, true, func(l *Lead) *string { return &l.TrustedFormID }},
	Email:           {`"email":`, true, func(l *Lead) *string { return &l.Email }},
	Street:          {`"street":`, true, func(l *Lead) *string { return &l.Street }},
	AgentExternalID: {`"agentExternalId":`, true, func(l *Lead) *string { return &l.AgentExternalID }},
	ExternalID:      {`"externalId":`, true, func(l *Lead) *string { return &l.ExternalID }},
}

// Name is the field's JSON name, as the API and mapping files spell it.
func (f Field) Name() string {
	if f >= NumFields {
		return "unknown"
	}
	return fieldSpecs[f].name()
}

// name is the JSON name inside the key.
func (s *fieldSpec) name() string { return s.key[1 : len(s.key)-2] }

// String is Name.
func (f Field) String() string { return f.Name() }

// Required reports whether the API always expects the field (no omitempty).
func (f Field) Required() bool { return f < NumFields && !fieldSpecs[f].omitEmpty }

// Fields returns every string field, in struct order.
func Fields() []Field {
	out := make([]Field, NumFields)
	for i := range out {
		out[i] = Field(i)
	}
	return out
}

// FieldNames returns the JSON names of every string field, in struct order.
func FieldNames() []string {
	out := make([]string, NumFields)
	for i := range out {
		out[i] = fieldSpecs[i].name()
	}
	return out
}

// FieldByName returns the field whose JSON name is name, exactly.
func FieldByName(name string) (Field, bool) {
	for i := range fieldSpecs {
		if fieldSpecs[i].name() == name {
			return Field(i), true
		}
	}
	return 0, false
}

// Get returns field f of l.
func (l *Lead) Get(f Field) string { return *fieldSpecs[f].ptr(l) }

// Set stores v in field f of l.
func (l *Lead) Set(f Field, v string) { *fieldSpecs[f].ptr(l) = v }
