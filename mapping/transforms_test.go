package mapping

import (
	"net/mail"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"trims spaces", "  Ann \t", "Ann"},
		{"trims non-breaking space", "\u00a0Ann\u00a0", "Ann"},
		{"neutralised plus", "'+12065550100", "+12065550100"},
		{"neutralised equals", "'=SUM(A1)", "=SUM(A1)"},
		{"neutralised minus", "'-5", "-5"},
		{"neutralised at", "'@home", "@home"},
		{"neutralised tab", "'\tx", "x"},
		{"apostrophe kept before a letter", "'Neill", "'Neill"},
		{"lone apostrophe kept", "'", "'"},
		{"spaces around neutralised", "  '+1 ", "+1"},
		{"empty", "   ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, clean(tt.in))
		})
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		name, in, region string
		want, ext        string
		ok               bool
	}{
		{"seed: formatted +1", "+1 (206) 555-0100", "US", "+12065550100", "", true},
		{"seed: API example", "+1333-111-8888", "US", "+13331118888", "", true},
		{"seed: API example plain", "+13444343233", "US", "+13444343233", "", true},
		{"ten digits", "2065550100", "US", "+12065550100", "", true},
		{"eleven digits with 1", "1-206-555-0100", "US", "+12065550100", "", true},
		{"dots", "206.555.0100", "US", "+12065550100", "", true},
		{"canada region", "(416) 555-0199", "CA", "+14165550199", "", true},
		{"+1 with another region", "+1 206 555 0100", "GB", "+12065550100", "", true},
		{"extension x", "206-555-0100 x123", "US", "+12065550100", "123", true},
		{"extension ext.", "206-555-0100 ext. 45", "US", "+12065550100", "45", true},
		{"extension hash", "2065550100#9", "US", "+12065550100", "9", true},
		{"UK number with plus", "+44 20 7946 0958", "US", "+442079460958", "", true},
		{"UK national with region GB", "020 7946 0958", "GB", "+442079460958", "", true},
		{"german number", "+49 30 901820", "US", "+4930901820", "", true},
		{"letters", "abc", "US", "", "", false},
		{"local-only seven digits", "555-0100", "US", "", "", false},
		{"too short", "20655", "US", "", "", false},
		{"too long", "206555010012345", "US", "", "", false},
		{"+1 too short", "+1 206 555", "US", "", "", false},
		{"empty-ish punctuation", "()-", "US", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := normalizePhone(tt.in, tt.region)
			assert.Equal(t, tt.ok, got.OK)
			assert.Equal(t, tt.want, got.E164)
			assert.Equal(t, tt.ext, got.Extension)
		})
	}
}

// The fast path must never disagree with the library it short-cuts.
func TestNANPFastAgreesWithLibrary(t *testing.T) {
	inputs := []string{
		"+1 (206) 555-0100", "+1333-111-8888", "2065550100", "12065550100", "(206) 555 0100",
		"206.555.0100", "+12065550100", "1 206 555 0100", "206-555-0100 x123", "206-555-0100 ext 7",
	}
	for _, in := range inputs {
		t.Run(in, func(t *testing.T) {
			fast, ok := nanpFast(in)
			require.True(t, ok, "fast path should take it")
			lib := libraryPhone(in, "US")
			assert.Equal(t, lib, fast)
		})
	}
}

func TestStateCode(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"name", "Washington", "WA", true},
		{"lower-case two words", "new york", "NY", true},
		{"upper-case name", "CALIFORNIA", "CA", true},
		{"extra spaces", "North   Carolina", "NC", true},
		{"code upper", "TX", "TX", true},
		{"code lower", "tx", "TX", true},
		{"DC name", "District of Columbia", "DC", true},
		{"DC with dots", "Washington D.C.", "DC", true},
		{"territory", "Puerto Rico", "PR", true},
		{"territory code", "gu", "GU", true},
		{"virgin islands", "U.S. Virgin Islands", "VI", true},
		{"mariana islands", "Northern Mariana Islands", "MP", true},
		{"unknown province", "Ontario", "", false},
		{"unknown code", "ZZ", "ZZ", false},
		{"non-ascii", "Méxíco", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := stateCode(tt.in)
			assert.Equal(t, tt.ok, ok)
			if tt.ok {
				assert.Equal(t, tt.want, got)
			}
		})
	}
}

func TestValidEmail(t *testing.T) {
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"plain", "ann@example.com", true},
		{"plus and dots", "ann.lee+promo@mail.example.co.uk", true},
		{"upper case", "Ann@Example.COM", true},
		{"quoted local part is rewritten by net/mail", `"ann lee"@example.com`, false},
		{"no domain dot", "ann@localhost", false},
		{"no at", "ann.example.com", false},
		{"empty local", "@example.com", false},
		{"trailing at", "ann@", false},
		{"display name", "Ann <ann@example.com>", false},
		{"double dot", "ann..lee@example.com", false},
		{"space inside", "ann lee@example.com", false},
		{"two ats", "a@b@example.com", false},
		{"trailing dot domain", "ann@example.com.", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.ok, validEmail(tt.in))
		})
	}
}

// plainEmail is a shortcut for net/mail: whatever it accepts, net/mail must
// accept unchanged.
func TestPlainEmailIsSubsetOfNetMail(t *testing.T) {
	for _, in := range []string{"a@b.co", "ann.lee+x@example.com", "a_b-c@d-e.f.g", "x!#$%&'*+/=?^_`{|}~@ex.com", "1@2.3"} {
		t.Run(in, func(t *testing.T) {
			at := strings.LastIndexByte(in, '@')
			require.True(t, plainEmail(in, at))
			addr, err := mail.ParseAddress(in)
			require.NoError(t, err)
			assert.Equal(t, in, addr.Address)
		})
	}
}

func TestNormalizeZip(t *testing.T) {
	tests := []struct {
		name, in, want string
		res            zipResult
	}{
		{"five digits", "98101", "98101", zipOK},
		{"leading zero kept", "02134", "02134", zipOK},
		{"zip+4", "02134-1234", "02134-1234", zipOK},
		{"four digits padded", "2134", "02134", zipPadded},
		{"letters", "ABCDE", "ABCDE", zipBad},
		{"six digits", "981011", "981011", zipBad},
		{"nine digits no dash", "021341234", "021341234", zipBad},
		{"canadian postal code", "K1A 0B1", "K1A 0B1", zipBad},
		{"zip+4 short tail", "02134-123", "02134-123", zipBad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, res := normalizeZip(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.res, res)
		})
	}
}

func TestNormalizeAccount(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"digits", "18", "18", true},
		{"leading zeros dropped", "0018", "18", true},
		{"zero", "0", "0", true},
		{"name", "Acme", "", false},
		{"decimal", "18.0", "", false},
		{"negative", "-18", "", false},
		{"too long", "12345678901234567890", "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := normalizeAccount(tt.in)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}
