package xlsx

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func scannerOn(text string) *scanner {
	return newScanner(strings.NewReader(text), "test")
}

// TestFastCellTagAgreesWithTheGeneralPath: what fastCellTag reads, the general tag
// path reads the same; what it does not read, it leaves unconsumed.
func TestFastCellTagAgreesWithTheGeneralPath(t *testing.T) {
	tests := []struct {
		name string
		tag  string
		fast bool
		want cellAttrs
		kind tagKind
	}{
		{name: "shared string", tag: `<c r="B12" t="s">`, fast: true, want: cellAttrs{ref: []byte("B12"), typ: []byte("s")}, kind: tagOpen},
		{name: "styled number", tag: `<c r="J2" s="2">`, fast: true, want: cellAttrs{ref: []byte("J2"), style: []byte("2")}, kind: tagOpen},
		{name: "self-closing", tag: `<c r="A4" s="0"/>`, fast: true, want: cellAttrs{ref: []byte("A4"), style: []byte("0")}, kind: tagSelfClose},
		{name: "self-closing after a space", tag: `<c r="A4" />`, fast: true, want: cellAttrs{ref: []byte("A4")}, kind: tagSelfClose},
		{name: "newlines and tabs between attributes", tag: "<c\tr=\"A1\"\n t=\"b\"\r\n>", fast: false},
		{name: "spaces and tabs between attributes", tag: "<c r=\"A1\"\n\tt=\"b\"  >", fast: true, want: cellAttrs{ref: []byte("A1"), typ: []byte("b")}, kind: tagOpen},
		{name: "other and prefixed attributes are skipped", tag: `<c cm="1" x:r="Z9" vm="2" r="C3">`, fast: true, want: cellAttrs{ref: []byte("C3")}, kind: tagOpen},
		{name: "the last of a repeated attribute counts", tag: `<c r="A1" r="B1">`, fast: true, want: cellAttrs{ref: []byte("B1")}, kind: tagOpen},
		{name: "a '>' inside a value", tag: `<c r="A1" x="a>b" t="s">`, fast: true, want: cellAttrs{ref: []byte("A1"), typ: []byte("s")}, kind: tagOpen},
		{name: "single quotes", tag: `<c r='A1' t="s">`, fast: false},
		{name: "spaces around '='", tag: `<c r = "A1">`, fast: false},
		{name: "no attributes", tag: `<c>`, fast: false},
		{name: "a prefixed tag", tag: `<x:c r="A1">`, fast: false},
		{name: "another element", tag: `<cx r="A1">`, fast: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text := tc.tag + `<v>1</v></c>`
			s := scannerOn(text)
			a, got := s.fastCellTag()
			assert.Equal(t, tc.fast, got)
			g := scannerOn(text)
			require.NoError(t, g.next())
			if !got {
				assert.Zero(t, s.pos, "nothing consumed")
				return
			}
			assert.Equal(t, tc.kind, s.kind)
			assert.Equal(t, tc.want, a)
			assert.Equal(t, g.pos, s.pos, "consumed the tag")
			assert.Equal(t, g.depth, s.depth)
			assert.Equal(t, g.kind, s.kind)
			assert.True(t, s.is("c"), "the tag's name")
			assert.Empty(t, s.attrs, "the attributes are returned, not kept")
			assert.Equal(t, readCellAttrs(g.attrs), a, "as the general path reads it")
		})
	}
}

func TestFastText(t *testing.T) {
	long := strings.Repeat("x", 40)
	tests := []struct {
		name  string
		text  string
		limit int
		want  string
		ok    bool
	}{
		{name: "a number", text: `<v>45387.62975694445</v></c>`, want: "45387.62975694445", ok: true},
		{name: "empty", text: `<v></v></c>`, want: "", ok: true},
		{name: "exactly the short loop", text: `<v>` + long[:shortText] + `</v></c>`, want: long[:shortText], ok: true},
		{name: "past the short loop", text: `<v>` + long + `</v></c>`, want: long, ok: true},
		{name: "an entity", text: `<v>a&amp;b</v></c>`},
		{name: "an entity past the short loop", text: `<v>` + long + `&amp;</v></c>`},
		{name: "a CR", text: "<v>a\rb</v></c>"},
		{name: "a CR past the short loop", text: "<v>" + long + "\r</v></c>"},
		{name: "another close", text: `<v>1</v><f>x</f></c>`},
		{name: "not the open tag", text: `<f>1</f></c>`},
		{name: "unterminated", text: `<v>123`},
		{name: "over the limit", text: `<v>` + long + `</v></c>`, limit: 10},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := scannerOn(tc.text)
			s.depth = 2
			limit := tc.limit
			if limit == 0 {
				limit = 1 << 20
			}
			v, ok := s.fastText(fastV, fastVClose, limit)
			assert.Equal(t, tc.ok, ok)
			if !ok {
				assert.Zero(t, s.pos, "nothing consumed")
				return
			}
			assert.Equal(t, tc.want, string(v))
			assert.Equal(t, len(tc.text), s.pos)
			assert.Equal(t, 1, s.depth)
		})
	}
}
