// Package wire holds the API's request types that more than one package
// builds or reads: the lead and the agent, and the API's timestamp layout.
// The client sends them, the mapping fills them, the sandbox receives them
// and the importer encodes them, all from this one definition.
//
// A lead's string fields are listed once, in lead.go: the struct and, beside
// it, the table (JSON name, omitempty, accessor) that the fast encoder, the
// mapping and the sandbox's scanner walk. A test fills every field by
// reflection and holds the encoder to encoding/json byte for byte, so a field
// added to the struct but not to the table fails at once instead of being
// silently left out of every payload.
package wire
