package wire

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// distinctLead fills every field of Lead, found by reflection, with a value
// of its own, so a field the table misses shows up as a difference.
func distinctLead(t *testing.T) Lead {
	t.Helper()
	var l Lead
	v := reflect.ValueOf(&l).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		name := v.Type().Field(i).Name
		switch f.Kind() {
		case reflect.String:
			f.SetString(fmt.Sprintf("value-%d-%s <&>", i, name))
		case reflect.Map:
			f.Set(reflect.ValueOf(map[string]string{"Z_" + name: "z", "A_" + name: "a\u2028"}))
		default:
			t.Fatalf("Lead.%s has kind %s: teach this test and the encoder about it", name, f.Kind())
		}
	}
	return l
}

func TestFieldTableMatchesStruct(t *testing.T) {
	typ := reflect.TypeFor[Lead]()
	var stringFields []reflect.StructField
	for i := range typ.NumField() {
		if typ.Field(i).Type.Kind() == reflect.String {
			stringFields = append(stringFields, typ.Field(i))
		}
	}
	require.Len(t, stringFields, int(NumFields), "every string field of Lead needs a Field constant and a table entry")
	for i, sf := range stringFields {
		f := Field(i)
		t.Run(sf.Name, func(t *testing.T) {
			name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
			assert.Equal(t, name, f.Name(), "JSON name")
			assert.Equal(t, opts != "omitempty", f.Required(), "omitempty")
			assert.Equal(t, sf.Offset, fieldSpecs[f].off, "the offset is not the struct field's")
			var l Lead
			l.Set(f, "marker")
			assert.Equal(t, "marker", reflect.ValueOf(l).FieldByIndex(sf.Index).String(), "the accessor reaches the wrong struct field")
			assert.Equal(t, "marker", l.Get(f))
			got, ok := FieldByName(name)
			assert.True(t, ok)
			assert.Equal(t, f, got)
		})
	}
	attr, ok := typ.FieldByName("Attributes")
	require.True(t, ok)
	assert.Equal(t, AttributesName+",omitempty", attr.Tag.Get("json"))
}

func TestAppendLeadJSONMatchesEncodingJSON(t *testing.T) {
	tests := []struct {
		name string
		lead Lead
	}{
		{name: "every field distinct", lead: distinctLead(t)},
		{name: "required only", lead: Lead{FirstName: "John", LastName: "Smith", Phone: "+13331118888", Timestamp: "06-23-2021 22:55:23"}},
		{name: "empty", lead: Lead{}},
		{name: "escaping", lead: Lead{FirstName: "quote \" back \\ nl \n cr \r tab \t ctl \x01 \x1f",
			LastName: "<script>&amp;</script>", Phone: "\u2028\u2029", Timestamp: "bad \xff utf8 \xc3"}},
		{name: "unicode kept", lead: Lead{FirstName: "José", LastName: "Müller Zoë 日本 🙂"}},
		{name: "empty attributes omitted", lead: Lead{FirstName: "a", Attributes: map[string]string{}}},
		{name: "attributes sorted", lead: Lead{Attributes: map[string]string{"Z": "last", "A": "first", "M<&>": "x"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want, err := json.Marshal(&tc.lead)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(AppendLeadJSON(nil, &tc.lead)))
		})
	}
}

// TestAppendLeadJSONAttrsMatchesEncodingJSON holds the attributes given as
// keys and values to encoding/json's encoding of the same map, and keys
// that are not strictly sorted to its fallback.
func TestAppendLeadJSONAttrsMatchesEncodingJSON(t *testing.T) {
	required := Lead{FirstName: "John", LastName: "Smith", Phone: "+13331118888", Timestamp: "06-23-2021 22:55:23"}
	tests := []struct {
		name         string
		lead         Lead
		keys, values []string
	}{
		{name: "no keys", lead: required},
		{name: "every value", lead: required, keys: []string{"A", "B"}, values: []string{"1", "2"}},
		{name: "some values", lead: required, keys: []string{"A", "B", "C", "D"}, values: []string{"", "2", "", "4"}},
		{name: "no values", lead: required, keys: []string{"A", "B"}, values: []string{"", ""}},
		{name: "unsorted keys", lead: required, keys: []string{"B", "A"}, values: []string{"2", "1"}},
		{name: "repeated keys", lead: required, keys: []string{"A", "A"}, values: []string{"1", ""}},
		{name: "escaped keys and values", lead: required, keys: []string{"<&>", "é"}, values: []string{"\"x\"", "\n"}},
		{name: "attributes only", keys: []string{"A"}, values: []string{"1"}},
		{name: "nothing", keys: []string{"A"}, values: []string{""}},
		{name: "the lead's own map is not read", lead: Lead{FirstName: "a", Attributes: map[string]string{"X": "y"}},
			keys: []string{"A"}, values: []string{"1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.lead
			want.Attributes = map[string]string{}
			for i, k := range tc.keys {
				if tc.values[i] != "" {
					want.Attributes[k] = tc.values[i]
				}
			}
			wantJSON, err := json.Marshal(&want)
			require.NoError(t, err)
			assert.Equal(t, string(wantJSON), string(AppendLeadJSONAttrs(nil, &tc.lead, tc.keys, tc.values)))
			got := AppendLeadJSONAttrs([]byte(`{"x":`), &tc.lead, tc.keys, tc.values)
			assert.Equal(t, string(wantJSON), string(got[len(`{"x":`):]), "after other bytes")
		})
	}
}

func TestAgentOf(t *testing.T) {
	l := distinctLead(t)
	a := AgentOf(&l)
	assert.Equal(t, Agent{FirstName: l.FirstName, LastName: l.LastName, Phone: l.Phone, ExternalID: l.ExternalID}, a)
}

func BenchmarkEncodeLead(b *testing.B) {
	l := Lead{FirstName: "María", LastName: "García", Phone: "+12065550100", State: "WA", City: "Seattle",
		Zip: "98121", Timestamp: "06-23-2021 22:55:23", IPAddress: "10.1.2.3", SourceID: "nightly-export",
		JornayaLeadID: "095796C6-4D33-A73C-7BCE-D5563F59E778", Email: "lead1@example.com", Street: "1 Main St",
		ExternalID: "EXT-00000001", Attributes: map[string]string{"ABANDONED_CART_URL": "www.shop.com/1", "DISCOUNT_CODE": "TR44"}}
	b.Run("AppendLeadJSON", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 512)
		for range b.N {
			buf = AppendLeadJSON(buf[:0], &l)
		}
	})
	b.Run("AppendLeadJSONAttrs", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 512)
		keys, values := []string{"ABANDONED_CART_URL", "DISCOUNT_CODE"}, []string{"www.shop.com/1", "TR44"}
		for range b.N {
			buf = AppendLeadJSONAttrs(buf[:0], &l, keys, values)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			_, _ = json.Marshal(&l)
		}
	})
}

// TestAppendStringMatchesEncodingJSON holds the plain-ASCII fast path and
// its fallback to encoding/json for every byte value, alone and in text.
func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	check := func(t *testing.T, s string) {
		t.Helper()
		want, err := json.Marshal(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(appendString(nil, s)), "%q", s)
	}
	t.Run("every byte", func(t *testing.T) {
		for c := range 256 {
			check(t, string([]byte{byte(c)}))
			check(t, "ab"+string([]byte{byte(c)})+"cd")
		}
	})
	// Plain text is tested eight bytes at a time: each byte at each place
	// of a word, and of the tail after it, among neighbours at the edges of
	// the plain range.
	t.Run("every byte at every place", func(t *testing.T) {
		for _, fill := range []byte{'a', ' ', '~', 0x7f, '!', '='} {
			for c := range 256 {
				for at := range 19 {
					s := []byte(strings.Repeat(string(fill), 19))
					s[at] = byte(c)
					check(t, string(s[:at+1]))
					check(t, string(s))
				}
			}
		}
	})
	t.Run("random text", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(9, 10))
		pieces := []string{"a", "Z", "0", " ", "~", "\x7f", "\"", "\\", "<", ">", "&", "\n", "\x00", "é", "\u2028", "\xff", "日"}
		for range 20000 {
			var sb strings.Builder
			for range rng.IntN(8) {
				sb.WriteString(pieces[rng.IntN(len(pieces))])
			}
			check(t, sb.String())
		}
	})
}
