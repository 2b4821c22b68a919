package wire

import "unsafe"

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
// The key is kept ready to append: the encoder writes it in one copy. The
// field is reached by its offset in Lead: an accessor func made every Lead it
// touched escape to the heap (320 bytes a mapped row), and an offset from
// unsafe.Offsetof is checked by TestFieldTableMatchesStruct against the
// struct's own layout.
type fieldSpec struct {
	key       string // the JSON name quoted, with its colon: "firstName":
	omitEmpty bool
	off       uintptr // unsafe.Offsetof the string field in Lead
}

// fieldSpecs is the table of Lead's string fields, indexed by Field. It is
// read-only; TestFieldTableMatchesStruct holds it to the struct's tags.
var fieldSpecs = [NumFields]fieldSpec{
	FirstName:       {`"firstName":`, false, unsafe.Offsetof(Lead{}.FirstName)},
	LastName:        {`"lastName":`, false, unsafe.Offsetof(Lead{}.LastName)},
	Phone:           {`"phone":`, false, unsafe.Offsetof(Lead{}.Phone)},
	State:           {`"state":`, true, unsafe.Offsetof(Lead{}.State)},
	City:            {`"city":`, true, unsafe.Offsetof(Lead{}.City)},
	Zip:             {`"zip":`, true, unsafe.Offsetof(Lead{}.Zip)},
	Timestamp:       {`"timestamp":`, false, unsafe.Offsetof(Lead{}.Timestamp)},
	IPAddress:       {`"ipAddress":`, true, unsafe.Offsetof(Lead{}.IPAddress)},
	SourceID:        {`"sourceId":`, true, unsafe.Offsetof(Lead{}.SourceID)},
	JornayaLeadID:   {`"jornayaLeadId":`, true, unsafe.Offsetof(Lead{}.JornayaLeadID)},
	TrustedFormID:   {`"trustedFormId":`, true, unsafe.Offsetof(Lead{}.TrustedFormID)},
	Email:           {`"email":`, true, unsafe.Offsetof(Lead{}.Email)},
	Street:          {`"street":`, true, unsafe.Offsetof(Lead{}.Street)},
	AgentExternalID: {`"agentExternalId":`, true, unsafe.Offsetof(Lead{}.AgentExternalID)},
	ExternalID:      {`"externalId":`, true, unsafe.Offsetof(Lead{}.ExternalID)},
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

// ptr points at the field of l that spec describes. unsafe.Add stays inside
// l's own allocation, which is what makes it valid.
func (s *fieldSpec) ptr(l *Lead) *string { return (*string)(unsafe.Add(unsafe.Pointer(l), s.off)) }

// Get returns field f of l.
func (l *Lead) Get(f Field) string { return *fieldSpecs[f].ptr(l) }

// Set stores v in field f of l.
func (l *Lead) Set(f Field, v string) { *fieldSpecs[f].ptr(l) = v }
