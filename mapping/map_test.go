package mapping

import (
	"maps"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/wire"
)

func TestMapGoodRow(t *testing.T) {
	m, _ := fullMapper(t, BindOptions{})
	r := m.Map(row(nil))
	require.True(t, r.Valid(), r.Message())
	assert.Empty(t, r.Warnings)
	assert.Equal(t, "", r.Message())
	assert.Equal(t, "18", r.AccountID)
	assert.Equal(t, wire.Lead{
		FirstName: "Ann", LastName: "Lee", Phone: "+12065550100", State: "WA", City: "Seattle", Zip: "98101",
		Timestamp: "06-23-2021 22:55:23", IPAddress: "10.0.0.1", SourceID: "nightly-export",
		JornayaLeadID: "095796C6-4D33-A73C-7BCE-D5563F59E778", Email: "ann@example.com",
		AgentExternalID: "AG-7", ExternalID: "E-1",
		Attributes: map[string]string{"ABANDONED_CART_URL": "www.shop.com/123", "DISCOUNT_CODE": "TR44"},
	}, r.Lead)
}

func TestMapValidation(t *testing.T) {
	tests := []struct {
		name     string
		opts     BindOptions
		cells    []string
		errors   []string
		warnings []string
	}{
		{"report fed back: neutralised phone", BindOptions{}, row(map[int]string{3: "'+12065550100"}), nil, nil},
		{"every problem listed", BindOptions{},
			row(map[int]string{0: "Acme", 1: "", 3: "abc", 4: "ann@", 8: "2021-13-45", 7: "ABCDE"}),
			[]string{`account id "Acme" in column "Account" is not a number`, `firstName is required but column "First Name" is empty`,
				`phone "abc" in column "Phone" is not a possible phone number (region US)`,
				`timestamp "2021-13-45" in column "Lead Date" does not match MM-dd-yyyy HH:mm:ss or M/d/yyyy H:mm`},
			[]string{`zip "ABCDE" in column "Zip" is not a 5-digit ZIP or ZIP+4 (12345-6789); left out`,
				`email "ann@" in column "Email" is not a valid email address; left out`}},
		{"short row", BindOptions{}, []string{"18", "Ann"},
			[]string{`lastName is required but column "Last Name" is empty`, `phone is required but column "Phone" is empty`,
				`timestamp is required but column "Lead Date" is empty`},
			[]string{"location: needs state and city, or zip", "consent: needs jornayaLeadId or trustedFormId"}},
		{"empty account", BindOptions{}, row(map[int]string{0: " "}),
			[]string{`account id is required but column "Account" is empty`}, nil},
		{"name too long", BindOptions{}, row(map[int]string{2: strings.Repeat("é", 251)}),
			[]string{`lastName in column "Last Name" is longer than 250 characters`}, nil},
		{"name of 250 runes is fine", BindOptions{}, row(map[int]string{2: strings.Repeat("é", 250)}), nil, nil},
		{"warnings only", BindOptions{}, row(map[int]string{5: "Ontario", 7: "2134", 3: "206-555-0100 x12"}), nil,
			[]string{`phone "206-555-0100 x12" in column "Phone": extension 12 dropped (the API takes no extensions)`,
				`state "Ontario" in column "State" is not a US state, territory or USPS code; sent as given`,
				`zip "2134" in column "Zip" has 4 digits, padded to "02134" (a spreadsheet probably dropped the leading zero)`}},
		{"location by zip alone", BindOptions{}, row(map[int]string{5: "", 6: ""}), nil, nil},
		{"location: state without city", BindOptions{}, row(map[int]string{6: "", 7: ""}), nil,
			[]string{"location: needs state and city, or zip"}},
		{"single lead: the file's warn stands", BindOptions{SingleLead: true}, row(map[int]string{6: "", 7: "", 10: ""}),
			nil, []string{"location: needs state and city, or zip", "consent: needs jornayaLeadId or trustedFormId"}},
		{"consent by trustedForm", BindOptions{SingleLead: true}, row(map[int]string{10: "", 11: "https://cert.trustedform.com/abc"}), nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := fullMapper(t, tt.opts)
			r := m.Map(tt.cells)
			assert.Equal(t, tt.errors, r.Errors)
			assert.Equal(t, tt.warnings, r.Warnings)
			assert.Equal(t, len(tt.errors) == 0, r.Valid())
		})
	}
}

func TestMapRuleLevelsFromFile(t *testing.T) {
	base := "version: 1\naccount: {value: \"18\"}\nfields: {firstName: F, lastName: L, phone: P, timestamp: T}\n"
	cells := []string{"Ann", "Lee", "2065550100", "06-23-2021 22:55:23"}
	header := []string{"F", "L", "P", "T"}
	tests := []struct {
		name     string
		rules    string
		single   bool
		errors   []string
		warnings []string
	}{
		{"default warn", "", false, nil, []string{"location: needs state and city, or zip", "consent: needs jornayaLeadId or trustedFormId"}},
		{"off", "rules: {location: off, consent: off}\n", false, nil, nil},
		{"single lead defaults to error", "", true, []string{"location: needs state and city, or zip", "consent: needs jornayaLeadId or trustedFormId"}, nil},
		{"error", "rules: {location: error, consent: off}\n", false, []string{"location: needs state and city, or zip"}, nil},
		{"file wins over single-lead default", "rules: {location: warn, consent: off}\n", true, nil, []string{"location: needs state and city, or zip"}},
		{"single lead fills the unset one", "rules: {location: off}\n", true, []string{"consent: needs jornayaLeadId or trustedFormId"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := mustParse(t, base+tt.rules).Bind(header, BindOptions{SingleLead: tt.single})
			require.NoError(t, err)
			r := m.Map(cells)
			assert.Equal(t, tt.errors, r.Errors)
			assert.Equal(t, tt.warnings, r.Warnings)
			assert.Equal(t, "18", r.AccountID)
		})
	}
}

func TestMapKinds(t *testing.T) {
	y := "version: 1\naccount: Account\nfields: {firstName: F, lastName: L, phone: P, externalId: E, city: C, timestamp: T}\nattributes: {X: C}\n"
	header := []string{"Account", "F", "L", "P", "E", "C", "T"}
	tests := []struct {
		name    string
		kind    Kind
		cells   []string
		account string
		lead    wire.Lead
		errors  []string
	}{
		{"agent fills its four fields", KindAgent, []string{"18", "Al", "Bo", "2065550100", "AG-1", "Seattle", "x"}, "",
			wire.Lead{FirstName: "Al", LastName: "Bo", Phone: "+12065550100", ExternalID: "AG-1"}, nil},
		{"agent requires externalId", KindAgent, []string{"18", "Al", "Bo", "2065550100", ""}, "",
			wire.Lead{FirstName: "Al", LastName: "Bo", Phone: "+12065550100"}, []string{`externalId is required but column "E" is empty`}},
		{"keys fill phone and externalId", KindKeys, []string{"018", "Al", "Bo", "'+12065550100", "L-9", "Seattle"}, "18",
			wire.Lead{Phone: "+12065550100", ExternalID: "L-9"}, nil},
		{"keys need nothing", KindKeys, []string{"", "", "", "", ""}, "", wire.Lead{}, nil},
		{"keys still check values", KindKeys, []string{"Acme", "", "", "12", ""}, "Acme", wire.Lead{Phone: "12"},
			[]string{`account id "Acme" in column "Account" is not a number`, `phone "12" in column "P" is not a possible phone number (region US)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := mustParse(t, y).Bind(header, BindOptions{Kind: tt.kind})
			require.NoError(t, err)
			r := m.Map(tt.cells)
			assert.Equal(t, tt.account, r.AccountID)
			assert.Equal(t, tt.lead, r.Lead)
			assert.Equal(t, tt.errors, r.Errors)
			assert.Empty(t, r.Warnings)
		})
	}
}

func TestMapConstantsAndAttributes(t *testing.T) {
	y := `version: 1
account: {value: "0018"}
fields:
  firstName: F
  lastName: {value: Unknown}
  phone: P
  timestamp: {value: "06-23-2021 22:55:23"}
  state: {value: Ontario}
attributes:
  EMPTY_ONE: A
  KEPT: B
rules: {location: off, consent: off}
`
	m, err := mustParse(t, y).Bind([]string{"F", "P", "A", "B"}, BindOptions{})
	require.NoError(t, err)
	r := m.Map([]string{"Ann", "2065550100", "  ", "'=1+1"})
	assert.Equal(t, "18", r.AccountID)
	assert.Equal(t, "Unknown", r.Lead.LastName)
	assert.Equal(t, "06-23-2021 22:55:23", r.Lead.Timestamp)
	assert.Equal(t, "Ontario", r.Lead.State)
	assert.Equal(t, map[string]string{"KEPT": "=1+1"}, r.Lead.Attributes)
	assert.Equal(t, []string{`state "Ontario" is not a US state, territory or USPS code; sent as given`}, r.Warnings)

	r = m.Map([]string{"Ann", "2065550100"})
	assert.Nil(t, r.Lead.Attributes, "no attribute map when every value is empty")
}

func TestResultMessage(t *testing.T) {
	tests := []struct {
		name string
		r    Result
		want string
	}{
		{"clean", Result{}, ""},
		{"errors then warnings", Result{Errors: []string{"a", "b"}, Warnings: []string{"c"}}, "a; b; warning: c"},
		{"warnings only", Result{Warnings: []string{"c", "d"}}, "warning: c; warning: d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.r.Message())
		})
	}
}

// TestMapIntoMatchesMap maps rows one after another into one Result: each
// must read as Map reads it alone, whatever the row before it held, and a
// copy of the attributes taken before the next row must not change.
func TestMapIntoMatchesMap(t *testing.T) {
	m, _ := fullMapper(t, BindOptions{})
	rows := []struct {
		name  string
		cells []string
	}{
		{"clean", row(nil)},
		{"bad phone and date", row(map[int]string{3: "abc", 8: "2021-13-45"})},
		{"no attributes", row(map[int]string{14: "", 15: ""})},
		{"other attributes", row(map[int]string{14: "www.shop.com/9", 15: ""})},
		{"attribute holds a sheet error", row(map[int]string{14: "#REF!"})},
		{"warnings only", row(map[int]string{5: "Ontario", 7: "2134"})},
		{"short row", []string{"18", "Ann"}},
		{"clean again", row(nil)},
	}
	var into Result
	var kept []map[string]string
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			want := m.Map(tt.cells)
			m.MapInto(tt.cells, &into)
			assert.Equal(t, want.AccountID, into.AccountID)
			assert.Equal(t, want.Lead, into.Lead)
			assert.Equal(t, want.Message(), into.Message())
			assert.Equal(t, want.Valid(), into.Valid())
			assert.Equal(t, len(want.Errors), len(into.Errors))
			assert.Equal(t, len(want.Warnings), len(into.Warnings))
			assert.Equal(t, want.Lead.Attributes, attributesOf(t, &into))
			kept = append(kept, maps.Clone(into.Lead.Attributes))
		})
	}
	for i, tt := range rows {
		assert.Equal(t, m.Map(tt.cells).Lead.Attributes, kept[i], tt.name)
	}
	t.Run("another mapper's keys are not kept", func(t *testing.T) {
		c, err := Load("testdata/full.yaml")
		require.NoError(t, err)
		c.Attributes = map[string]string{"PROMO": "Discount"}
		_, header := fullMapper(t, BindOptions{})
		other, err := c.Bind(header, BindOptions{File: "other.csv"})
		require.NoError(t, err)
		m.MapInto(row(nil), &into)
		other.MapInto(row(nil), &into)
		assert.Equal(t, map[string]string{"PROMO": "TR44"}, into.Lead.Attributes)
		assert.Equal(t, into.Lead.Attributes, attributesOf(t, &into))
		m.MapInto(row(map[int]string{15: ""}), &into)
		assert.Equal(t, map[string]string{"ABANDONED_CART_URL": "www.shop.com/123"}, into.Lead.Attributes)
		assert.Equal(t, into.Lead.Attributes, attributesOf(t, &into))
	})
	t.Run("a Result from Map has its attributes in order too", func(t *testing.T) {
		r := m.Map(row(map[int]string{14: ""}))
		assert.Equal(t, map[string]string{"DISCOUNT_CODE": "TR44"}, r.Lead.Attributes)
		assert.Equal(t, r.Lead.Attributes, attributesOf(t, &r))
	})
}

// TestMapAttributesInOrderOnly: a mapper bound with AttributesInOrderOnly
// leaves Lead.Attributes nil and gives the attributes a mapper with the map
// gives, through Result.Attributes, row after row and alone.
func TestMapAttributesInOrderOnly(t *testing.T) {
	withMap, _ := fullMapper(t, BindOptions{})
	inOrder, _ := fullMapper(t, BindOptions{AttributesInOrderOnly: true})
	rows := []struct {
		name  string
		cells []string
	}{
		{"clean", row(nil)},
		{"no attributes", row(map[int]string{14: "", 15: ""})},
		{"one attribute", row(map[int]string{14: "www.shop.com/9", 15: ""})},
		{"attribute holds a sheet error", row(map[int]string{14: "#REF!"})},
		{"clean again", row(nil)},
	}
	var into Result
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			want := withMap.Map(tt.cells)
			inOrder.MapInto(tt.cells, &into)
			assert.Nil(t, into.Lead.Attributes)
			assert.Equal(t, want.Lead.Attributes, attributesOf(t, &into))
			lone := inOrder.Map(tt.cells)
			assert.Nil(t, lone.Lead.Attributes)
			assert.Equal(t, want.Lead.Attributes, attributesOf(t, &lone))
			want.Lead.Attributes = nil
			assert.Equal(t, want.Lead, into.Lead, "the rest of the lead as with the map")
			assert.Equal(t, want.Message(), into.Message())
		})
	}
}

// attributesOf is r.Attributes as a map (nil when empty, as Lead.Attributes
// is), after checking that its keys are strictly sorted.
func attributesOf(t *testing.T, r *Result) map[string]string {
	t.Helper()
	keys, values, ok := r.Attributes()
	require.True(t, ok)
	require.Len(t, values, len(keys))
	var out map[string]string
	for i, k := range keys {
		if i > 0 {
			require.Less(t, keys[i-1], k, "keys sorted, without repeats")
		}
		if values[i] != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[k] = values[i]
		}
	}
	return out
}
