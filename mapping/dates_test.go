package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDateParser(t *testing.T) {
	tests := []struct {
		name    string
		formats []string
		tz      string
		in      string
		want    string // "" means rejected
	}{
		{"API format", nil, "", "06-23-2021 22:55:23", "06-23-2021 22:55:23"},
		{"API format always accepted", []string{"M/d/yyyy H:mm"}, "", "06-23-2021 22:55:23", "06-23-2021 22:55:23"},
		{"M/d/yyyy H:mm one digit", []string{"M/d/yyyy H:mm"}, "", "6/3/2021 9:05", "06-03-2021 09:05:00"},
		{"M/d/yyyy H:mm two digits", []string{"M/d/yyyy H:mm"}, "", "12/31/2021 23:59", "12-31-2021 23:59:00"},
		{"date only", []string{"yyyy-MM-dd"}, "", "2021-06-23", "06-23-2021 00:00:00"},
		{"two-digit year 2000s", []string{"M/d/yy"}, "", "6/23/21", "06-23-2021 00:00:00"},
		{"two-digit year 1900s", []string{"M/d/yy"}, "", "6/23/85", "06-23-1985 00:00:00"},
		{"month abbreviation", []string{"MMM d, yyyy h:mm a"}, "", "Jun 3, 2021 9:05 PM", "06-03-2021 21:05:00"},
		{"full month name any case", []string{"d MMMM yyyy"}, "", "3 JUNE 2021", "06-03-2021 00:00:00"},
		{"12 AM is midnight", []string{"M/d/yyyy h:mm a"}, "", "6/3/2021 12:10 am", "06-03-2021 00:10:00"},
		{"12 PM is noon", []string{"M/d/yyyy h:mm a"}, "", "6/3/2021 12:10 PM", "06-03-2021 12:10:00"},
		{"milliseconds dropped", []string{"yyyy-MM-dd HH:mm:ss.SSS"}, "", "2021-06-23 22:55:23.987", "06-23-2021 22:55:23"},
		{"quoted T", []string{"yyyy-MM-dd'T'HH:mm:ss"}, "", "2021-06-23T22:55:23", "06-23-2021 22:55:23"},
		{"pattern is not shifted by timezone", []string{"M/d/yyyy H:mm"}, "America/New_York", "6/3/2021 9:05", "06-03-2021 09:05:00"},
		{"leap day", []string{"M/d/yyyy"}, "", "2/29/2024", "02-29-2024 00:00:00"},
		{"iso Z to UTC", []string{"iso8601"}, "", "2021-06-23T22:55:23Z", "06-23-2021 22:55:23"},
		{"iso offset to UTC", []string{"iso8601"}, "", "2022-02-20T01:30:00.000-05:00", "02-20-2022 06:30:00"},
		{"iso offset into zone", []string{"iso8601"}, "America/Los_Angeles", "2021-06-23T22:55:23Z", "06-23-2021 15:55:23"},
		{"iso into zone in winter", []string{"iso8601"}, "America/New_York", "2022-01-10T12:00:00+00:00", "01-10-2022 07:00:00"},
		{"iso offset without colon", []string{"iso8601"}, "", "2021-06-23T22:55:23+0200", "06-23-2021 20:55:23"},
		{"excel whole day", []string{"excel"}, "", "44370", "06-23-2021 00:00:00"},
		{"excel with time", []string{"excel"}, "", "44370.955127315", "06-23-2021 22:55:23"},
		{"excel rounds to the second", []string{"excel"}, "", "44370.9999999", "06-24-2021 00:00:00"},
		{"excel serial 1", []string{"excel"}, "", "1", "01-01-1900 00:00:00"},
		{"excel after the phantom leap day", []string{"excel"}, "", "61", "03-01-1900 00:00:00"},
		// The XLSX reader's layout is always accepted, as wall time.
		{"reader layout with no formats", nil, "", "2021-06-23T22:55:23", "06-23-2021 22:55:23"},
		{"reader layout whatever the formats", []string{"d/M/yyyy", "excel"}, "", "2021-06-23T22:55:23", "06-23-2021 22:55:23"},
		{"reader layout is not shifted by timezone", []string{"M/d/yyyy"}, "Asia/Tokyo", "2021-06-23T00:05:00", "06-23-2021 00:05:00"},
		{"reader layout listed by the user too", []string{"yyyy-MM-dd'T'HH:mm:ss"}, "", "2024-02-29T12:00:00", "02-29-2024 12:00:00"},
		{"reader layout: day and month are not swapped", []string{"M/d/yyyy"}, "", "2021-23-06T22:55:23", ""},
		{"reader layout with a zone needs iso8601", []string{"M/d/yyyy"}, "", "2021-06-23T22:55:23Z", ""},
		{"reader layout with a fraction", []string{"M/d/yyyy"}, "", "2021-06-23T22:55:23.120", ""},
		{"reader layout without seconds", []string{"M/d/yyyy"}, "", "2021-06-23T22:55", ""},
		// Rejections.
		{"month 13", []string{"yyyy-MM-dd"}, "", "2021-13-45", ""},
		{"day-first not guessed", []string{"M/d/yyyy"}, "", "23/6/2021", ""},
		{"other order not guessed", []string{"M/d/yyyy H:mm"}, "", "2021-06-23 22:55", ""},
		{"31 April", []string{"M/d/yyyy"}, "", "4/31/2021", ""},
		{"29 Feb outside leap year", []string{"M/d/yyyy"}, "", "2/29/2021", ""},
		{"hour 24", nil, "", "06-23-2021 24:00:00", ""},
		{"trailing text", nil, "", "06-23-2021 22:55:23 UTC", ""},
		{"MM needs two digits", nil, "", "6-23-2021 22:55:23", ""},
		{"iso without offset reads as the XLSX reader's wall time", []string{"iso8601"}, "America/New_York", "2021-06-23T22:55:23", "06-23-2021 22:55:23"},
		{"iso with fraction and no offset", []string{"iso8601"}, "", "2021-06-23T22:55:23.5", ""},
		{"excel phantom 29 Feb 1900", []string{"excel"}, "", "60", ""},
		{"excel not a number", []string{"excel"}, "", "44370x", ""},
		{"excel zero", []string{"excel"}, "", "0", ""},
		{"13 PM", []string{"M/d/yyyy h:mm a"}, "", "6/3/2021 13:10 PM", ""},
		{"empty", nil, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := newDateParser(tt.formats, tt.tz)
			require.NoError(t, err)
			got, ok := p.parse(tt.in)
			assert.Equal(t, tt.want != "", ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDateParserExpect(t *testing.T) {
	tests := []struct {
		name    string
		formats []string
		want    string
	}{
		{"none listed", nil, "MM-dd-yyyy HH:mm:ss"},
		{"API listed first", []string{"MM-dd-yyyy HH:mm:ss", "M/d/yyyy H:mm"}, "MM-dd-yyyy HH:mm:ss or M/d/yyyy H:mm"},
		{"API added last", []string{"M/d/yyyy H:mm", "excel"}, "M/d/yyyy H:mm, excel or MM-dd-yyyy HH:mm:ss"},
		{"reader layout named when the user lists it", []string{"yyyy-MM-dd'T'HH:mm:ss"}, "yyyy-MM-dd'T'HH:mm:ss or MM-dd-yyyy HH:mm:ss"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := newDateParser(tt.formats, "")
			require.NoError(t, err)
			assert.Equal(t, tt.want, p.expect)
		})
	}
}

func TestCompileDateFormatErrors(t *testing.T) {
	tests := []struct {
		name, format, wantErr string
	}{
		{"unknown letter", "yyyy-MM-dd Z", `unknown token "Z"`},
		{"unknown run", "yyyy-MM-dd EEE", `unknown token "EEE"`},
		{"five Ms", "MMMMM d yyyy", `unknown token "MMMMM"`},
		{"no year", "MM-dd", "needs a year, a month and a day"},
		{"h without a", "M/d/yyyy h:mm", "h (1-12) and a (AM/PM) go together"},
		{"a without h", "M/d/yyyy H:mm a", "h (1-12) and a (AM/PM) go together"},
		{"month twice", "MM/MMM/yyyy d", `"MMM" given twice`},
		{"unterminated quote", "yyyy-MM-dd'T", "unterminated quote"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := compileDateFormat(tt.format)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}
