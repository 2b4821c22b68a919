package mapping

import (
	"strconv"
	"strings"
	"time"

	"github.com/xonvo/xonvo-import/wire"
)

// dateCandidates lists the formats mapping init tries, most specific first.
// Day-first and month-first variants of one shape sit side by side so that an
// ambiguity can be spotted.
func dateCandidates() []string {
	out := []string{wire.TimestampFormat, FormatISO8601}
	times := []string{"", " H:mm", " H:mm:ss", " h:mm a", " h:mm:ss a"}
	for _, sep := range []string{"/", "-", "."} {
		for _, y := range []string{"yyyy", "yy"} {
			for _, t := range times {
				out = append(out, "M"+sep+"d"+sep+y+t, "d"+sep+"M"+sep+y+t)
			}
		}
		for _, t := range times {
			out = append(out, "yyyy"+sep+"M"+sep+"d"+t)
		}
	}
	for _, t := range []string{"'T'HH:mm:ss", "'T'HH:mm:ss.SSS", " HH:mm:ss.SSS"} {
		out = append(out, "yyyy-MM-dd"+t)
	}
	out = append(out, "yyyyMMdd", "MMM d, yyyy", "MMM d, yyyy h:mm a", "d MMM yyyy", "d MMM yyyy HH:mm", "MMMM d, yyyy", FormatExcel)
	return out
}

// guessDateFormat picks the formats for the timestamp column and a comment
// explaining anything uncertain.
func guessDateFormat(values []string, region string) ([]string, string) {
	if len(values) == 0 {
		return []string{wire.TimestampFormat}, "no sample dates to guess from: list the column's formats"
	}
	compiled := map[string]*dateParser{}
	matches := func(f string, v string) bool {
		p, ok := compiled[f]
		if !ok {
			df, err := compileDateFormat(f)
			if err != nil {
				return false // the candidates are ours; a bad one is skipped, not fatal
			}
			p = &dateParser{formats: []dateFormat{df}, loc: time.UTC}
			compiled[f] = p
		}
		_, ok = p.parse(v)
		return ok
	}
	var full []string
	for _, f := range dateCandidates() {
		hits := 0
		for _, v := range values {
			if matches(f, v) {
				hits++
			}
		}
		if hits == len(values) {
			full = append(full, f)
		}
	}
	if len(full) == 0 {
		return coverDates(values, region, matches)
	}
	chosen := full[0]
	if swapped := swapDayMonth(chosen); swapped != chosen && contains(full, swapped) {
		monthFirst, dayFirst := chosen, swapped
		if strings.HasPrefix(chosen, "d") {
			monthFirst, dayFirst = swapped, chosen
		}
		chosen = dayFirst
		why := "day first, region " + region
		if region == "US" || region == "CA" {
			chosen, why = monthFirst, "month first, region "+region
		}
		return []string{chosen}, "ambiguous: every sample fits both " + monthFirst + " and " + dayFirst +
			"; chose " + chosen + " (" + why + "). Check it."
	}
	return []string{chosen}, ""
}

// maxGuessedFormats bounds how many formats a guess lists for one column.
const maxGuessedFormats = 4

// coverDates handles a column whose samples no single format fits (an
// export that mixes two date styles): it picks, greedily, the format that
// fits most of the samples not yet covered, up to maxGuessedFormats.
func coverDates(values []string, region string, matches func(f, v string) bool) ([]string, string) {
	left := values
	var chosen, notes []string
	for len(left) > 0 && len(chosen) < maxGuessedFormats {
		best, bestHits := "", 0
		for _, f := range dateCandidates() {
			hits := 0
			for _, v := range left {
				if matches(f, v) {
					hits++
				}
			}
			if hits > bestHits {
				best, bestHits = f, hits
			}
		}
		if best == "" {
			break
		}
		if swapped := swapDayMonth(best); swapped != best {
			same := true
			for _, v := range left {
				if matches(best, v) != matches(swapped, v) {
					same = false
					break
				}
			}
			if same {
				monthFirst, dayFirst := best, swapped
				if strings.HasPrefix(best, "d") {
					monthFirst, dayFirst = swapped, best
				}
				best = dayFirst
				if region == "US" || region == "CA" {
					best = monthFirst
				}
				notes = append(notes, "ambiguous: "+monthFirst+" or "+dayFirst+"; chose "+best+" for region "+region)
			}
		}
		chosen = append(chosen, best)
		var rest []string
		for _, v := range left {
			if !matches(best, v) {
				rest = append(rest, v)
			}
		}
		left = rest
	}
	if len(chosen) == 0 {
		return []string{wire.TimestampFormat}, "no known format matched samples such as " + strconv.Quote(values[0]) + ": list the column's formats"
	}
	note := "samples mix " + strconv.Itoa(len(chosen)) + " date formats"
	if len(left) > 0 {
		note = strconv.Itoa(len(left)) + " of " + strconv.Itoa(len(values)) + " sample dates matched none of the formats (e.g. " +
			strconv.Quote(left[0]) + "): check them"
	}
	if len(notes) > 0 {
		note += "; " + strings.Join(notes, "; ")
	}
	return chosen, note + ". Check it."
}

// swapDayMonth turns M/d/... into d/M/... and back.
func swapDayMonth(f string) string {
	if len(f) < 3 || (len(f) > 3 && isLetter(f[3])) || isLetter(f[1]) {
		return f
	}
	switch {
	case f[0] == 'M' && f[2] == 'd':
		return "d" + f[1:2] + "M" + f[3:]
	case f[0] == 'd' && f[2] == 'M':
		return "M" + f[1:2] + "d" + f[3:]
	}
	return f
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
