package mapping

import (
	"strconv"
	"testing"
)

// A typical 12-column NANP row, as the dry-run throughput target assumes.
func benchMapper(b *testing.B) (*Mapper, []string) {
	b.Helper()
	y := `version: 1
account: {column: Account}
fields:
  firstName: First Name
  lastName: Last Name
  phone: {column: Phone, region: US}
  email: Email
  state: State
  city: City
  zip: Zip
  timestamp: {column: Lead Date, formats: ["M/d/yyyy H:mm"]}
  jornayaLeadId: Jornaya
  externalId: External ID
attributes:
  DISCOUNT_CODE: Discount
`
	c, err := Parse([]byte(y), "bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	header := []string{"Account", "First Name", "Last Name", "Phone", "Email", "State", "City", "Zip", "Lead Date", "Jornaya", "External ID", "Discount"}
	m, err := c.Bind(header, BindOptions{})
	if err != nil {
		b.Fatal(err)
	}
	cells := []string{"18", "Ann", "Lee", "+1 (206) 555-0100", "ann.lee@example.com", "Washington", "Seattle", "98101",
		"6/23/2021 22:55", "095796C6-4D33-A73C-7BCE-D5563F59E778", "E-1", ""}
	return m, cells
}

func BenchmarkMap(b *testing.B) {
	m, cells := benchMapper(b)
	if r := m.Map(cells); !r.Valid() || len(r.Warnings) > 0 {
		b.Fatal(r.Message())
	}
	b.ReportAllocs()
	for b.Loop() {
		m.Map(cells)
	}
}

// BenchmarkMapExporterValues maps rows as exporters write them: pandas
// floats, a spreadsheet error, an invalid optional value that is dropped.
// They take the slower paths (and allocate their messages).
func BenchmarkMapExporterValues(b *testing.B) {
	m, clean := benchMapper(b)
	rows := map[string][]string{
		"pandas floats": func() []string {
			r := append([]string(nil), clean...)
			r[3], r[7] = "2065550100.0", "2134.0"
			return r
		}(),
		"spreadsheet error": func() []string {
			r := append([]string(nil), clean...)
			r[4] = "#N/A"
			return r
		}(),
		"dropped email": func() []string {
			r := append([]string(nil), clean...)
			r[4] = "ann.lee@"
			return r
		}(),
	}
	for name, cells := range rows {
		b.Run(name, func(b *testing.B) {
			if r := m.Map(cells); !r.Valid() {
				b.Fatal(r.Message())
			}
			b.ReportAllocs()
			for b.Loop() {
				m.Map(cells)
			}
		})
	}
}

// BenchmarkGuess runs mapping init's guess on 1000 rows of a 16-column
// export, as the CLI samples it.
func BenchmarkGuess(b *testing.B) {
	header := []string{"Record ID", "First Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number", "Street Address",
		"City", "State/Region", "Postal Code", "Create Date", "Lifecycle Stage", "Original Source", "Notes", "Field 15", "Field 16"}
	samples := make([][]string, 1000)
	for i := range samples {
		n := strconv.Itoa(1000 + i)
		samples[i] = []string{"5123456" + n, "Ann", "Lee", "ann" + n + "@example.com", "+1 206-555-" + n, "", n + " Pine St",
			"Seattle", "WA", "98" + n[1:], "2024-03-05 14:22", "Lead", "Organic Search", "note " + n, "203.0.113." + strconv.Itoa(i%250),
			"6/23/2021"}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Guess(header, samples, GuessOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPhone(b *testing.B) {
	cases := []struct{ name, in, region string }{
		{"fast/formatted", "+1 (206) 555-0100", "US"},
		{"fast/digits", "2065550100", "US"},
		{"library/GB", "+44 20 7946 0958", "US"},
		{"library/national", "020 7946 0958", "GB"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if !normalizePhone(c.in, c.region).OK {
				b.Fatal("not ok")
			}
			b.ReportAllocs()
			for b.Loop() {
				normalizePhone(c.in, c.region)
			}
		})
	}
}

func BenchmarkDates(b *testing.B) {
	cases := []struct {
		name, in, tz string
		formats      []string
	}{
		{"api", "06-23-2021 22:55:23", "", nil},
		{"M/d/yyyy H:mm", "6/23/2021 22:55", "", []string{"M/d/yyyy H:mm"}},
		{"api after two misses", "06-23-2021 22:55:23", "", []string{"M/d/yyyy H:mm", "yyyy-MM-dd"}},
		{"iso8601", "2021-06-23T22:55:23-05:00", "America/New_York", []string{"iso8601"}},
		{"excel", "44370.955127315", "", []string{"excel"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			p, err := newDateParser(c.formats, c.tz)
			if err != nil {
				b.Fatal(err)
			}
			if _, ok := p.parse(c.in); !ok {
				b.Fatal("no match")
			}
			b.ReportAllocs()
			for b.Loop() {
				p.parse(c.in)
			}
		})
	}
}
