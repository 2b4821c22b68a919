package xlsx

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestIndexSheetData: the tail search finds what a search for the whole
// word finds, from any start.
func TestIndexSheetData(t *testing.T) {
	tests := []struct {
		name string
		b    string
	}{
		{name: "at the start", b: "sheetData>"},
		{name: "an opening tag", b: `<worksheet><sheetData><row r="1">`},
		{name: "a closing tag", b: `<c r="A1" s="3" t="s"><v>1</v></c></row></sheetData><mergeCells>`},
		{name: "the tail without its head first", b: `<t>meetData</t><t>eetData</t></sheetData>`},
		{name: "the tail at the very start", b: `eetData sheetData`},
		{name: "a head cut off", b: `heetData</sheetData>`},
		{name: "absent", b: strings.Repeat(`<c r="B2" s="1" t="s"><v>7</v></c>`, 50)},
		{name: "empty", b: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := []byte(tt.b)
			for from := 0; from <= len(b)+1; from++ {
				assert.Equal(t, indexFrom(b, from, wordSheetData), indexSheetData(b, from), "from %d", from)
			}
		})
	}
}
