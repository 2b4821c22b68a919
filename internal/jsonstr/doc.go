// Package jsonstr appends strings as JSON without reflection, for the two
// hand-written encoders on hot paths: the importer's lead payloads (which must
// match encoding/json byte for byte) and the JSONL report.
package jsonstr
