package leadgen

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/xonvo/xonvo-import/wire"
)

// Header is the column header of generated files; samples/mapping.yaml maps it.
func Header() []string {
	return []string{"Account ID", "External ID", "First Name", "Last Name", "Phone", "Email", "Street",
		"City", "State", "Zip", "Lead Date", "IP Address", "Jornaya ID", "TrustedForm ID", "Cart URL", "Discount Code"}
}

// Row is one generated lead. Date is kept as a time so each format writes
// it its own way.
type Row struct {
	Account, ExternalID, First, Last, Phone, Email, Street, City, State string
	Zip                                                                 int
	Date                                                                time.Time
	IP, Jornaya, TrustedForm, CartURL, Discount                         string
}

// vocabulary is the material rows are drawn from.
type vocabulary struct {
	firstNames, lastNames []string
	places                []place
}

type place struct {
	city, state string
	zip         int
	area        int
}

func newVocabulary() vocabulary {
	return vocabulary{firstNames: []string{"John", "Janet", "María", "José", "Aoife", "Chen", "Fatima", "Liam", "Olivia", "Noah",
		"Sofía", "Zoë", "Kwame", "Priya", "Mateo", "Hannah", "Diego", "Yuki", "Amara", "Lukas"},
		lastNames: []string{"Smith", "Johnson", "García", "Núñez", "O'Brien", "Wang", "Khan", "Murphy", "Brown",
			"López", "Schmidt", "Dubois", "Mensah", "Patel", "Rossi", "Lee", "Fernández", "Tanaka", "Okafor", "Müller"},
		places: []place{{"Seattle", "WA", 98121, 206}, {"Austin", "TX", 73301, 512}, {"Boston", "MA", 2134, 617},
			{"Miami", "FL", 33101, 305}, {"Denver", "CO", 80202, 303}, {"Phoenix", "AZ", 85001, 602},
			{"Newark", "NJ", 7102, 973}, {"Portland", "OR", 97201, 503}},
	}
}

// Generator produces rows deterministically from a seed.
type Generator struct {
	rnd      *rand.Rand
	v        vocabulary
	accounts int
	n        int
	base     time.Time
}

// New returns a generator spreading rows over the given number of accounts
// (ids 18, 19, ...).
func New(seed uint64, accounts int) *Generator {
	return &Generator{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), v: newVocabulary(), accounts: max(accounts, 1),
		base: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// Next returns the next row.
func (g *Generator) Next() Row {
	i := g.n
	g.n++
	r := g.rnd
	p := g.v.places[r.IntN(len(g.v.places))]
	first := g.v.firstNames[r.IntN(len(g.v.firstNames))]
	last := g.v.lastNames[r.IntN(len(g.v.lastNames))]
	row := Row{
		Account:    fmt.Sprint(18 + r.IntN(g.accounts)),
		ExternalID: fmt.Sprintf("EXT-%08d", i+1),
		First:      first,
		Last:       last,
		Phone:      fmt.Sprintf("+1 (%d) 555-%04d", p.area, r.IntN(10000)),
		Email:      fmt.Sprintf("lead%d@example.com", i+1),
		Street:     fmt.Sprintf("%d Main St", 1+r.IntN(9999)),
		City:       p.city,
		State:      p.state,
		Zip:        p.zip,
		Date:       g.base.Add(time.Duration(r.IntN(365*24*3600)) * time.Second),
		IP:         fmt.Sprintf("10.%d.%d.%d", r.IntN(256), r.IntN(256), 1+r.IntN(254)),
		CartURL:    fmt.Sprintf("www.shop.com/cart/%d", r.IntN(100000)),
		Discount:   fmt.Sprintf("TR%02d", r.IntN(100)),
	}
	if r.IntN(2) == 0 {
		row.Jornaya = fmt.Sprintf("%08X-4D33-A73C-7BCE-%012X", r.Uint32(), r.Uint64()&0xffffffffffff)
	} else {
		row.TrustedForm = fmt.Sprintf("https://cert.trustedform.com/%016x", r.Uint64())
	}
	return row
}

// DateText is how CSV rows write dates: the API's own format.
func (r Row) DateText() string { return r.Date.Format(wire.TimestampLayout) }

// Cells returns the row as text cells in Header order.
func (r Row) Cells() []string {
	return []string{r.Account, r.ExternalID, r.First, r.Last, r.Phone, r.Email, r.Street, r.City, r.State,
		fmt.Sprintf("%05d", r.Zip), r.DateText(), r.IP, r.Jornaya, r.TrustedForm, r.CartURL, r.Discount}
}
