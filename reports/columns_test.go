package reports

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReportColumn(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{name: "plain name kept", input: "First Name", want: "First Name"},
		{name: "similar but different", input: "phone number", want: "phone number"},
		{name: "no underscore is another name", input: "accountid", want: "accountid"},
		{name: "exact fixed name", input: "status", want: "input.status"},
		{name: "other case", input: "Phone", want: "input.Phone"},
		{name: "upper case", input: "FILE", want: "input.FILE"},
		{name: "spaces around", input: " Row ", want: "input. Row "},
		{name: "every fixed name: http_status", input: "http_status", want: "input.http_status"},
		{name: "every fixed name: attempts", input: "Attempts", want: "input.Attempts"},
		{name: "already prefixed", input: "input.status", want: "input.input.status"},
		{name: "prefixed, not a fixed name", input: "input.Notes", want: "input.input.Notes"},
		{name: "prefix in another case", input: "INPUT.x", want: "input.INPUT.x"},
		{name: "prefix after spaces", input: "  input.x", want: "input.  input.x"},
		{name: "prefix alone", input: "input.", want: "input.input."},
		{name: "prefix without the dot", input: "input", want: "input"},
		{name: "prefix inside", input: "my input.x", want: "my input.x"},
		{name: "empty", input: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ReportColumn(tt.input)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.input, InputColumn(got), "InputColumn undoes it")
			for _, f := range FixedColumns() {
				assert.False(t, strings.EqualFold(strings.TrimSpace(got), f), "%q still collides with %q", got, f)
			}
		})
	}
}

// TestReportColumnIsABijection checks, over names built to be awkward, that
// no two inputs share a report name, even case-insensitively after trimming
// (unless the inputs already did), and that InputColumn undoes every one.
func TestReportColumnIsABijection(t *testing.T) {
	var names []string
	for _, base := range append(FixedColumns(), "Notes", "", " x ") {
		for _, p := range []string{"", "input.", "INPUT.", "input.input.", " input.", "Input.input."} {
			names = append(names, p+base, p+strings.ToUpper(base))
		}
	}
	fold := func(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
	byReport := map[string]string{}
	for _, n := range names {
		r := ReportColumn(n)
		assert.Equal(t, n, InputColumn(r), "round trip of %q", n)
		if prev, ok := byReport[fold(r)]; ok {
			assert.Equal(t, fold(prev), fold(n), "%q and %q both give %q", prev, n, r)
		}
		byReport[fold(r)] = n
	}
}

func TestHeader(t *testing.T) {
	tests := []struct {
		name     string
		original []string
		want     []string
	}{
		{name: "none", original: nil, want: nil},
		{name: "no collision", original: []string{"First Name", "Mobile"}, want: []string{"First Name", "Mobile"}},
		{name: "collisions", original: []string{"Phone", "phone", "STATUS", " File"},
			want: []string{"input.Phone", "input.phone", "input.STATUS", "input. File"}},
		{name: "a prefixed input beside the name it would become", original: []string{"status", "input.status"},
			want: []string{"input.status", "input.input.status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := Header(tt.original)
			assert.Equal(t, append(FixedColumns(), tt.want...), h)
			assertNoRepeat(t, h)
			names, ok := InputColumns(h)
			require.True(t, ok)
			assert.Equal(t, nonNil(tt.original), names, "InputColumns gives the input's names back")
		})
	}
}

// assertNoRepeat checks that no name repeats in a report's header, and that
// no input column matches a fixed one even case-insensitively after
// trimming (the way mappings match headers).
func assertNoRepeat(t *testing.T, header []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, h := range header {
		assert.False(t, seen[h], "%q repeated in %q", h, header)
		seen[h] = true
	}
	for _, h := range header[nFixed:] {
		for _, f := range FixedColumns() {
			assert.False(t, strings.EqualFold(strings.TrimSpace(h), f), "%q matches the fixed %q", h, f)
		}
	}
}

// TestReportOfAReport chains reports three deep, as import -> leads stop ->
// stats leads does: each report's whole header is the next run's input.
func TestReportOfAReport(t *testing.T) {
	input := []string{"First Name", "Phone", "status", "input.Notes"}
	r1 := Header(input)
	r2 := Header(r1)
	r3 := Header(r2)
	assert.Equal(t, []string{
		"file", "row", "status", "message", "account_id", "external_id", "phone", "http_status", "attempts",
		"First Name", "input.Phone", "input.status", "input.input.Notes",
	}, r1)
	assert.Equal(t, []string{
		"file", "row", "status", "message", "account_id", "external_id", "phone", "http_status", "attempts",
		"input.file", "input.row", "input.status", "input.message", "input.account_id", "input.external_id",
		"input.phone", "input.http_status", "input.attempts",
		"First Name", "input.input.Phone", "input.input.status", "input.input.input.Notes",
	}, r2)
	assert.Equal(t, "input.input.file", r3[2*nFixed])
	assert.Equal(t, "input.input.input.input.Notes", r3[len(r3)-1])
	for _, h := range [][]string{r1, r2, r3} {
		assertNoRepeat(t, h)
	}

	// Reading back peels one level at a time.
	got2, ok := InputColumns(r3)
	require.True(t, ok)
	assert.Equal(t, r2, got2)
	got1, ok := InputColumns(got2)
	require.True(t, ok)
	assert.Equal(t, r1, got1)
	got0, ok := InputColumns(got1)
	require.True(t, ok)
	assert.Equal(t, input, got0)
	_, ok = InputColumns(got0)
	assert.False(t, ok, "the original input is no report")
}

func TestIsReportHeader(t *testing.T) {
	fixed := FixedColumns()
	tests := []struct {
		name   string
		header []string
		want   bool
	}{
		{name: "fixed only", header: fixed, want: true},
		{name: "with input columns", header: append(FixedColumns(), "A"), want: true},
		{name: "byte order mark", header: append([]string{"\ufefffile"}, fixed[1:]...), want: true},
		{name: "case and spaces", header: append([]string{" File", "ROW"}, fixed[2:]...), want: true},
		{name: "one missing", header: fixed[:nFixed-1], want: false},
		{name: "out of order", header: append([]string{"row", "file"}, fixed[2:]...), want: false},
		{name: "after another column", header: append([]string{"x"}, fixed...), want: false},
		{name: "an input", header: []string{"First Name", "Phone"}, want: false},
		{name: "empty", header: nil, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, IsReportHeader(tt.header))
		})
	}
}

func TestNeutralise(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "empty", in: "", want: ""},
		{name: "plain", in: "Ann", want: "Ann"},
		{name: "equals", in: "=1+1", want: "'=1+1"},
		{name: "plus", in: "+1333", want: "'+1333"},
		{name: "minus", in: "-5", want: "'-5"},
		{name: "at", in: "@x", want: "'@x"},
		{name: "tab", in: "\tx", want: "'\tx"},
		{name: "carriage return", in: "\rx", want: "'\rx"},
		{name: "formula char later", in: "a=b", want: "a=b"},
		{name: "leading space", in: " =x", want: " =x"},
		{name: "quote alone", in: "'", want: "'"},
		{name: "quotes alone", in: "''", want: "''"},
		{name: "quoted text", in: "'tis", want: "'tis"},
		{name: "already quoted formula gets one more", in: "'=x", want: "''=x"},
		{name: "quotes then formula", in: "''+1", want: "'''+1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := neutralise(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.in, Unneutralise(got), "Unneutralise undoes it")
		})
	}
}

func TestUnneutraliseLeavesOtherCells(t *testing.T) {
	for _, s := range []string{"", "'", "'abc", "=x", "O'Brien", "''"} {
		t.Run(s, func(t *testing.T) {
			assert.Equal(t, s, Unneutralise(s))
		})
	}
}
