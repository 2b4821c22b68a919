package mapping

// numForm is what plainNumber found in a cell.
type numForm int

const (
	numAsIs       numForm = iota // not a float or scientific number: use the cell as it is
	numIntegral                  // a float showing an integer (2065550100.0): read as that integer
	numScientific                // scientific notation that spells out every digit: read as the integer
	numLost                      // scientific notation that rounded digits away (4.42079E+11)
)

// Spreadsheets write large numbers in "General" format with at most six
// significant digits (4.42079E+11); a mantissa with more digits than that
// was written by a program printing the exact value (Java writes
// 2065550100.0 as 2.0655501E9), so its implied trailing zeros are real.
const maxSpreadsheetDigits = 6

// floatNoiseDigits says how far from an integer a float may be and still
// read as that integer, 1e-6: hand-made sheets hold values such as
// 2015550101.0000002. The test is made on the digits, not on a float64,
// which would itself round a 16-digit value.
const floatNoiseDigits = 6

// plainNumber reads a cell that an exporter wrote as a number when an
// identifier (phone, ZIP, account, external id) was meant: pandas writes
// 2065550100.0 and 2134.0 for columns that had a gap, spreadsheets write
// 4.42079E+11. It returns the integer the cell shows and how it was read.
// Anything else (formatted phones, "206.555.0100", "12.5", "3E10" which
// may be a hex id) comes back unchanged as numAsIs; it allocates only when
// it converts.
//
// Scientific notation counts only with a decimal point in the mantissa or
// a sign in the exponent, the two marks exporters always write, so that
// an id such as "3E10" is left alone.
func plainNumber(s string) (string, numForm) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intEnd := i
	if intEnd == 0 || intEnd == len(s) {
		return s, numAsIs
	}
	fracStart, fracEnd, dot := i, i, false
	if s[i] == '.' {
		dot = true
		i++
		fracStart = i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		fracEnd = i
	}
	exp, sci := 0, false
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		neg, signed := false, false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			neg, signed = s[i] == '-', true
			i++
		}
		start := i
		for i < len(s) && isDigit(s[i]) {
			if exp < 1000 {
				exp = exp*10 + int(s[i]-'0')
			}
			i++
		}
		if i == start || !dot && !signed {
			return s, numAsIs
		}
		if neg {
			exp = -exp
		}
		sci = true
	}
	if i != len(s) || !dot && !sci || exp > 40 || exp < -40 {
		return s, numAsIs
	}
	if !sci { // the pandas case; the integer part is kept as written (02134.0 keeps its zero)
		switch fractionNoise(s[fracStart:fracEnd]) {
		case 0:
			return s[:intEnd], numIntegral
		case 1:
			return increment(s[:intEnd]), numIntegral
		}
		return s, numAsIs
	}
	// Scientific notation. digits is the mantissa without its point; point
	// is where the point falls in it once the exponent is applied.
	digits := s[:intEnd] + s[fracStart:fracEnd]
	point := intEnd + exp
	if point > len(digits) && significant(digits) <= maxSpreadsheetDigits {
		return s, numLost
	}
	var intPart, frac string
	switch {
	case point <= 0:
		intPart, frac = "0", zeros(-point)+digits
	case point >= len(digits):
		intPart = digits + zeros(point-len(digits))
	default:
		intPart, frac = digits[:point], digits[point:]
	}
	switch fractionNoise(frac) {
	case 0:
	case 1:
		intPart = increment(intPart)
	default:
		return s, numAsIs
	}
	return trimZeros(intPart), numScientific
}

// fractionNoise reads the digits after a decimal point: 0 when the
// fraction is zero or at most 1e-6, 1 when it is at least 1 - 1e-6 (so the
// value rounds up), -1 otherwise.
func fractionNoise(frac string) int {
	n := len(frac)
	for n > 0 && frac[n-1] == '0' {
		n--
	}
	frac = frac[:n]
	switch {
	case n == 0:
		return 0
	case n >= floatNoiseDigits && allByte(frac[:floatNoiseDigits], '9'):
		return 1
	case n < floatNoiseDigits || !allByte(frac[:floatNoiseDigits-1], '0'):
		// Trailing zeros are gone, so a short fraction is not zero.
		return -1
	case frac[floatNoiseDigits-1] == '0', frac[floatNoiseDigits-1] == '1' && n == floatNoiseDigits:
		return 0
	}
	return -1
}

// significant counts digits after the leading zeros.
func significant(digits string) int {
	i := 0
	for i < len(digits) && digits[i] == '0' {
		i++
	}
	return len(digits) - i
}

// increment adds one to a string of decimal digits.
func increment(d string) string {
	b := []byte(d)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] != '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}

// trimZeros drops leading zeros, keeping one digit.
func trimZeros(d string) string {
	i := 0
	for i < len(d)-1 && d[i] == '0' {
		i++
	}
	return d[i:]
}

func zeros(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0'
	}
	return string(b)
}

func allByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != c {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
