package mapping

// stateCode returns the USPS code for a US state, DC or territory given by
// name or code, case-insensitively. Codes come back upper-cased. A switch
// rather than a map: no package state, and the compiler makes it a binary
// search over constant strings.
func stateCode(s string) (string, bool) {
	if len(s) == 2 {
		var b [2]byte
		b[0], b[1] = upper(s[0]), upper(s[1])
		if s[0] == b[0] && s[1] == b[1] {
			return s, isStateCode(s)
		}
		code := string(b[:])
		return code, isStateCode(code)
	}
	// Lower-case into a stack buffer, collapsing spaces and dropping dots, so
	// "New  York" and "Washington D.C." find their codes without allocating.
	var buf [48]byte
	n := 0
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			continue
		case c == ' ' || c == '\t':
			space = n > 0
			continue
		}
		if c >= 0x80 || n+2 > len(buf) {
			return "", false
		}
		if space {
			buf[n] = ' '
			n++
			space = false
		}
		buf[n] = lower(c)
		n++
	}
	code := stateByName(string(buf[:n]))
	return code, code != ""
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c - 'A' + 'a'
	}
	return c
}

// isStateCode reports whether s is an upper-case USPS code of a state, DC,
// a territory or an armed forces "state".
func isStateCode(s string) bool {
	switch s {
	case "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA",
		"HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
		"MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
		"NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
		"SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
		"DC", "PR", "GU", "VI", "AS", "MP", "UM", "AA", "AE", "AP":
		return true
	}
	return false
}

// stateByName maps a lower-case name without dots to its code, "" if unknown.
func stateByName(s string) string {
	switch s {
	case "alabama":
		return "AL"
	case "alaska":
		return "AK"
	case "arizona":
		return "AZ"
	case "arkansas":
		return "AR"
	case "california":
		return "CA"
	case "colorado":
		return "CO"
	case "connecticut":
		return "CT"
	case "delaware":
		return "DE"
	case "florida":
		return "FL"
	case "georgia":
		return "GA"
	case "hawaii":
		return "HI"
	case "idaho":
		return "ID"
	case "illinois":
		return "IL"
	case "indiana":
		return "IN"
	case "iowa":
		return "IA"
	case "kansas":
		return "KS"
	case "kentucky":
		return "KY"
	case "louisiana":
		return "LA"
	case "maine":
		return "ME"
	case "maryland":
		return "MD"
	case "massachusetts":
		return "MA"
	case "michigan":
		return "MI"
	case "minnesota":
		return "MN"
	case "mississippi":
		return "MS"
	case "missouri":
		return "MO"
	case "montana":
		return "MT"
	case "nebraska":
		return "NE"
	case "nevada":
		return "NV"
	case "new hampshire":
		return "NH"
	case "new jersey":
		return "NJ"
	case "new mexico":
		return "NM"
	case "new york":
		return "NY"
	case "north carolina":
		return "NC"
	case "north dakota":
		return "ND"
	case "ohio":
		return "OH"
	case "oklahoma":
		return "OK"
	case "oregon":
		return "OR"
	case "pennsylvania":
		return "PA"
	case "rhode island":
		return "RI"
	case "south carolina":
		return "SC"
	case "south dakota":
		return "SD"
	case "tennessee":
		return "TN"
	case "texas":
		return "TX"
	case "utah":
		return "UT"
	case "vermont":
		return "VT"
	case "virginia":
		return "VA"
	case "washington", "washington state":
		return "WA"
	case "west virginia":
		return "WV"
	case "wisconsin":
		return "WI"
	case "wyoming":
		return "WY"
	case "district of columbia", "washington dc", "dc":
		return "DC"
	case "puerto rico":
		return "PR"
	case "guam":
		return "GU"
	case "us virgin islands", "virgin islands", "united states virgin islands":
		return "VI"
	case "american samoa":
		return "AS"
	case "northern mariana islands", "commonwealth of the northern mariana islands":
		return "MP"
	case "united states minor outlying islands", "us minor outlying islands":
		return "UM"
	}
	return ""
}
