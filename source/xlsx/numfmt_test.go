package xlsx

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSerialTime(t *testing.T) {
	tests := []struct {
		name     string
		serial   float64
		date1904 bool
		want     string
	}{
		{name: "1900 date", serial: 44370, want: "2021-06-23T00:00:00"},
		{name: "1900 date and time", serial: 44370.9551273148, want: "2021-06-23T22:55:23"},
		{name: "half a second rounds up", serial: 44370 + 82523.5/86400, want: "2021-06-23T22:55:24"},
		{name: "just under half a second rounds down", serial: 44370 + 82523.499/86400, want: "2021-06-23T22:55:23"},
		{name: "rounding carries into the next day", serial: 44370 + 86399.6/86400, want: "2021-06-24T00:00:00"},
		{name: "before the phantom leap day", serial: 59, want: "1900-02-28T00:00:00"},
		{name: "after the phantom leap day", serial: 61, want: "1900-03-01T00:00:00"},
		{name: "serial 1", serial: 1, want: "1900-01-01T00:00:00"},
		{name: "day 0 is a time of day", serial: 0.5, want: "1899-12-30T12:00:00"},
		{name: "1904 system", serial: 44370 - 1462, date1904: true, want: "2021-06-23T00:00:00"},
		{name: "1904 zero", serial: 0, date1904: true, want: "1904-01-01T00:00:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := serialTime(tc.serial, tc.date1904)
			require.True(t, ok)
			assert.Equal(t, tc.want, got.Format(DateTimeLayout))
		})
	}
	_, ok := serialTime(-1, false)
	assert.False(t, ok, "negative serials are not dates")
}

func TestNumberFormats(t *testing.T) {
	tests := []struct {
		code     string
		value    string
		date1904 bool
		want     string
	}{
		{code: "00000", value: "2134", want: "02134"},
		{code: "00000", value: "0", want: "00000"},
		{code: "00000", value: "123456", want: "123456"},
		{code: "00000-0000", value: "21341234", want: "02134-1234"},
		{code: "000-00-0000", value: "12345678", want: "012-34-5678"},
		{code: `"ID"\ 000000`, value: "42", want: "ID 000042"},
		{code: "[Red]00000", value: "7", want: "00007"},
		{code: "00000", value: "2134.5", want: "2134.5"},
		{code: "00000", value: "2.134E3", want: "02134"},
		{code: "00000", value: "-7", want: "-7"},
		{code: "#,##0", value: "1234567", want: "1234567"},
		{code: "0.00", value: "3.5", want: "3.5"},
		{code: "0.00E+00", value: "12345678901234", want: "12345678901234"},
		{code: "General", value: "1.2345678901234E+13", want: "12345678901234"},
		{code: "@", value: "7", want: "7"},
		{code: "#", value: "0", want: "0"},
		{code: "yyyy-mm-dd", value: "44370", want: "2021-06-23T00:00:00"},
		{code: "[h]:mm:ss", value: "1.5", want: "1900-01-01T12:00:00"},
		{code: `h "h" mm`, value: "0.5", want: "1899-12-30T12:00:00"},
		{code: `h:mm`, value: "0.75", date1904: true, want: "1899-12-30T18:00:00"},
		{code: `mm:ss`, value: "0.25", date1904: true, want: "1899-12-30T06:00:00"},
		{code: `d/m/yy h:mm`, value: "0.75", date1904: true, want: "1904-01-01T18:00:00"},
		{code: `mmm`, value: "44370", want: "2021-06-23T00:00:00"},
		{code: `_("$"* #,##0.00_)`, value: "3", want: "3"},
		{code: `"days"0`, value: "3", want: "days3"},
		{code: `0;"dd"`, value: "3", want: "3"},
	}
	for _, tc := range tests {
		t.Run(tc.code+"/"+tc.value, func(t *testing.T) {
			cf := classifyNumFmt(200, map[int]string{200: tc.code})
			assert.Equal(t, tc.want, string(appendNumber(nil, []byte(tc.value), cf, tc.date1904)))
		})
	}
}

// TestAppendDateTimeMatchesFormat holds the hand-written layout to
// time.Time.AppendFormat over the whole range of serial dates.
func TestAppendDateTimeMatchesFormat(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
	}{
		{name: "day 0 of the 1900 system", t: time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)},
		{name: "an afternoon", t: time.Date(2021, 6, 23, 22, 55, 23, 0, time.UTC)},
		{name: "last second before year 10000", t: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)},
		{name: "a year under 1000", t: time.Date(999, 1, 2, 3, 4, 5, 0, time.UTC)},
		{name: "year 10000 falls back", t: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.t.Format(DateTimeLayout), string(appendDateTime([]byte("x"), tt.t))[1:])
		})
	}
	t.Run("every serial step", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, 8))
		for range 100000 {
			serial := rng.Float64() * 2958465
			tm, ok := serialTime(serial, rng.IntN(2) == 0)
			require.True(t, ok)
			require.Equal(t, tm.Format(DateTimeLayout), string(appendDateTime(nil, tm)), "serial %v", serial)
		}
	})
}
