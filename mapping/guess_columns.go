package mapping

import (
	"sort"
	"strconv"
	"strings"

	"github.com/xonvo/xonvo-import/wire"
)

// column is one input column as mapping init sees it.
type column struct {
	idx     int
	header  string
	syn     headerSynonym
	known   bool   // the header is in the table
	origin  string // for the comment
	values  []string
	prof    profile
	claimed bool
}

// pick is a column chosen for a target and why.
type pick struct {
	col      int // -1 for none
	why      string
	fallback []int // columns read where col is empty
}

// suggestion is a guess too unsure to make: written commented out.
type suggestion struct {
	target string
	col    int
	why    string
}

// guessed is the outcome of reading a header and its samples.
type guessed struct {
	exporter string
	account  pick
	fields   [wire.NumFields]pick
	attrs    []boundAttr
	skipped  []string
	unsure   []suggestion
	notes    []string
}

// guessColumns assigns columns to the account, the fields and attributes.
// Headers decide first: strong ones (in the table as a field's name), then
// weak ones ("Date", "ID") if the values agree. Among several columns for
// one target, the one with more good values wins, then the preferred one
// (a mobile number before a work one), then the first. Columns whose
// header is unknown are then judged by their values alone; a guess that
// could be wrong is only suggested.
func guessColumns(header []string, samples [][]string, region string) guessed {
	x := newHeaderIndex(header)
	g := guessed{exporter: x.exporter, account: pick{col: -1}}
	for i := range g.fields {
		g.fields[i].col = -1
	}
	dates := newDateMatcher()
	count := map[string]int{}
	for _, h := range header {
		count[h]++
	}
	var cols []*column
	for i, h := range header {
		switch {
		case strings.TrimSpace(h) == "":
			g.skipped = append(g.skipped, "column "+strconv.Itoa(i+1)+" has no header")
			continue
		case count[h] > 1:
			g.skipped = append(g.skipped, strconv.Quote(h)+" appears more than once")
			count[h] = -1 // said once; later copies are skipped quietly
			continue
		case count[h] < 0:
			continue
		}
		c := &column{idx: i, header: h, values: columnValues(samples, i)}
		c.syn, c.origin, c.known = x.lookup(h)
		c.prof = profileColumn(c.values, region, dates)
		cols = append(cols, c)
	}
	for _, c := range cols {
		adjustByValues(c, &g)
	}
	for _, weakPass := range []bool{false, true} {
		g.claimByHeader(cols, weakPass, region)
	}
	g.nameColumns(cols)
	g.claimByValues(cols, region)
	used := map[string]bool{}
	for _, c := range cols {
		if c.claimed {
			continue
		}
		key := upperSnake(c.header)
		if key == "" {
			key = "COLUMN_" + strconv.Itoa(c.idx+1)
		}
		base := key
		for n := 2; used[key]; n++ {
			key = base + "_" + strconv.Itoa(n)
		}
		used[key] = true
		g.attrs = append(g.attrs, boundAttr{key: key, col: c.idx, header: c.header})
	}
	return g
}

// adjustByValues corrects what a header alone would say: a "Lead ID" of
// upper-case UUIDs holds Jornaya tokens (as does a column spelled LeadiD),
// and an address column of whole addresses is not a street.
func adjustByValues(c *column, g *guessed) {
	switch {
	case c.syn.key == "leadid" && (strings.TrimSpace(c.header) == "LeadiD" || allMatch(c.values, isUpperUUID)):
		c.syn.target, c.origin = "jornayaLeadId", "Jornaya"
	case c.syn.target == "street" && c.prof.n > 0 && float64(c.prof.wholeAddress)/float64(c.prof.n) >= maybeShare:
		c.syn.target = targetIgnore
		g.notes = append(g.notes, "column "+strconv.Quote(c.header)+" holds whole addresses (street, city, state and ZIP in one cell); "+
			"the API wants them apart, so it is sent as an attribute")
	}
}

// fromHeader is the comment for a guess made from a header.
func fromHeader(c *column) string {
	why := "from header " + strconv.Quote(c.header)
	if c.origin != "" {
		why += " (" + c.origin + ")"
	}
	return why
}

// claimByHeader assigns the columns whose header names a target, strong
// headers or weak ones.
func (g *guessed) claimByHeader(cols []*column, weakPass bool, region string) {
	byTarget := map[string][]*column{}
	var order []string
	for _, c := range cols {
		t := c.syn.target
		if c.claimed || !c.known || c.syn.weak != weakPass || t == targetIgnore || t == targetFullName {
			continue
		}
		if _, ok := byTarget[t]; !ok {
			order = append(order, t)
		}
		byTarget[t] = append(byTarget[t], c)
	}
	for _, t := range order {
		cands := byTarget[t]
		if g.taken(t) {
			continue
		}
		k := kindOf(t, region)
		sort.SliceStable(cands, func(i, j int) bool {
			a, b := cands[i], cands[j]
			if a.prof.hits[k] != b.prof.hits[k] && k != kindNone {
				return a.prof.hits[k] > b.prof.hits[k]
			}
			return a.syn.rank < b.syn.rank
		})
		best := cands[0]
		why := fromHeader(best)
		if k != kindNone && best.prof.n >= minSure {
			share := best.prof.share(k)
			switch {
			case weakPass && share < maybeShare:
				continue // a generic word, and the values say otherwise
			case weakPass && share < sureShare:
				g.unsure = append(g.unsure, suggestion{target: t, col: best.idx,
					why: why + "; " + best.prof.ofN(k) + " values look like " + k.describe(region)})
				continue
			case share < maybeShare:
				why += "; but only " + best.prof.ofN(k) + " values look like " + k.describe(region)
			}
		}
		var fallback []*column
		for _, other := range cands[1:] {
			switch {
			case canFallBack(t) && other.prof.hits[k] > 0:
				fallback = append(fallback, other)
				why += "; " + strconv.Quote(other.header) + " fills in where it is empty"
			case k == kindNone || other.prof.hits[k] > 0:
				why += "; " + strconv.Quote(other.header) + " also fits and is sent as an attribute"
			}
		}
		g.claim(t, best, why)
		for _, c := range fallback {
			c.claimed = true
			f, _ := wire.FieldByName(t)
			g.fields[f].fallback = append(g.fields[f].fallback, c.idx)
		}
	}
}

// canFallBack reports whether a field may be read from a second column
// where the first is empty: a lead has one phone and one email, whichever
// column holds it; two ids or two dates are different things.
func canFallBack(target string) bool { return target == "phone" || target == "email" }

// taken reports whether target already has a column.
func (g *guessed) taken(target string) bool {
	if target == targetAccount {
		return g.account.col >= 0
	}
	f, ok := wire.FieldByName(target)
	return !ok || g.fields[f].col >= 0
}

func (g *guessed) claim(target string, c *column, why string) {
	c.claimed = true
	if target == targetAccount {
		g.account = pick{col: c.idx, why: why}
		return
	}
	f, _ := wire.FieldByName(target)
	g.fields[f] = pick{col: c.idx, why: why}
}

// nameColumns handles whole-name columns: German and French forms write
// the surname as "Name" or "Nom" beside "Vorname"/"Prénom"; Portuguese
// ones write the first name as "Nome" beside "Sobrenome". Any other
// whole-name column is explained in a note, since the API wants the parts.
func (g *guessed) nameColumns(cols []*column) {
	first, last := g.fields[wire.FirstName].col, g.fields[wire.LastName].col
	for _, c := range cols {
		if c.claimed {
			continue
		}
		switch {
		case c.syn.key == "name" && last < 0 && first >= 0 && normHeader(header(cols, first)) == "vorname":
			g.claim("lastName", c, fromHeader(c)+" (German: the surname, beside \"Vorname\")")
			last = c.idx
		case c.syn.key == "nome" && first < 0 && last >= 0:
			g.claim("firstName", c, fromHeader(c)+" (Portuguese: the first name, beside a surname column)")
			first = c.idx
		case c.syn.target == targetFullName || c.syn.key == "nome":
			if first < 0 || last < 0 {
				g.notes = append(g.notes, "column "+strconv.Quote(c.header)+" holds whole names: the API wants firstName and lastName apart; "+
					"split the column in the sheet, then map both")
			}
		}
	}
}

// header returns the header of the column with input index idx.
func header(cols []*column, idx int) string {
	for _, c := range cols {
		if c.idx == idx {
			return c.header
		}
	}
	return ""
}

// claimByValues judges the columns whose header is unknown by their values.
func (g *guessed) claimByValues(cols []*column, region string) {
	dateCols := 0
	for _, c := range cols {
		if !c.known && !c.claimed && c.prof.n >= minSure && c.prof.share(kindDate) >= sureShare {
			dateCols++
		}
	}
	for k := kindEmail; k < numKinds; k++ {
		t := k.target()
		if g.taken(t) {
			continue
		}
		var best *column
		for _, c := range cols {
			if c.known || c.claimed || bestKind(&c.prof) != k {
				continue
			}
			if best == nil || c.prof.hits[k] > best.prof.hits[k] {
				best = c
			}
		}
		if best == nil || best.prof.share(k) < maybeShare {
			continue
		}
		why := "values look like " + k.describe(region) + " (" + best.prof.ofN(k) + ")"
		p := &best.prof
		sure := p.n >= minSure && p.share(k) >= sureShare
		switch k {
		case kindPhone:
			sure = sure && p.formattedPhone
		case kindZip:
			sure = sure && p.zipEvidence
		case kindState:
			sure = sure && (p.stateName || p.distinct >= 3)
		case kindDate:
			sure = sure && dateCols == 1
		case kindAccount:
			// An account column repeats a few ids; so do many others.
			sure = false
			if p.distinct*2 > p.n || p.n < 4 {
				continue
			}
			why = "values look like account ids (" + strconv.Itoa(p.distinct) + " different numbers in " + strconv.Itoa(p.n) + " rows)"
		}
		if sure {
			g.claim(t, best, why)
		} else {
			g.unsure = append(g.unsure, suggestion{target: t, col: best.idx, why: why})
		}
	}
}

// bestKind is the kind most of a column's values fit; ties go to the more
// distinctive kind (the order of the constants).
func bestKind(p *profile) valueKind {
	best := kindNone
	for k := kindEmail; k < numKinds; k++ {
		if p.hits[k] > 0 && (best == kindNone || p.hits[k] > p.hits[best]) {
			best = k
		}
	}
	return best
}
