package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPlainNumber(t *testing.T) {
	tests := []struct {
		name, in, want string
		form           numForm
	}{
		{"pandas phone", "2065550100.0", "2065550100", numIntegral},
		{"pandas zip", "2134.0", "2134", numIntegral},
		{"several zeros", "98101.000", "98101", numIntegral},
		{"float noise above", "2015550101.0000002", "2015550101", numIntegral},
		{"float noise below", "2015550100.9999998", "2015550101", numIntegral},
		{"noise below carries", "1999999999.9999999", "2000000000", numIntegral},
		{"exactly 1e-6 above", "18.000001", "18", numIntegral},
		{"just over 1e-6", "18.0000011", "18.0000011", numAsIs},
		{"1e-5 is not noise", "2015550101.00001", "2015550101.00001", numAsIs},
		{"0.999998 is not noise", "17.999998", "17.999998", numAsIs},
		{"a real fraction", "12.5", "12.5", numAsIs},
		{"zero", "0.0", "0", numIntegral},
		{"digits only", "2065550100", "2065550100", numAsIs},
		{"leading zeros kept when not a float", "02134", "02134", numAsIs},
		{"leading zero of a float kept", "02134.0", "02134", numIntegral},
		{"formatted phone with dots", "206.555.0100", "206.555.0100", numAsIs},
		{"plus sign", "+12065550100.0", "+12065550100.0", numAsIs},
		{"trailing dot", "2065550100.", "2065550100", numIntegral},
		{"leading dot", ".5", ".5", numAsIs},
		{"letters", "E-1", "E-1", numAsIs},
		{"empty", "", "", numAsIs},
		// Scientific notation.
		{"spreadsheet lost digits", "4.42079E+11", "4.42079E+11", numLost},
		{"lost digits, lower case", "4.42079e+11", "4.42079e+11", numLost},
		{"few digits, trailing zeros implied", "4.42E+11", "4.42E+11", numLost},
		{"no point but a sign", "1E+5", "1E+5", numLost},
		{"exact: more digits than a spreadsheet shows", "2.0655501E+9", "2065550100", numScientific},
		{"exact: Java without a sign", "2.0655501E9", "2065550100", numScientific},
		{"exact: every digit written", "1.8E+1", "18", numScientific},
		{"scientific with a real fraction", "2.06555010005E+9", "2.06555010005E+9", numAsIs},
		{"negative exponent, not an integer", "1.5E-3", "1.5E-3", numAsIs},
		{"negative exponent, integer", "1800E-2", "18", numScientific},
		{"hex-looking id is not scientific", "3E10", "3E10", numAsIs},
		{"exponent without digits", "1.5E+", "1.5E+", numAsIs},
		{"huge exponent", "1.5E+400", "1.5E+400", numAsIs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, form := plainNumber(tt.in)
			assert.Equal(t, tt.form, form)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestIsSheetError(t *testing.T) {
	for _, v := range []string{"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#GETTING_DATA",
		"#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#EXTERNAL!", "#PYTHON!", "#ERROR!", "Err:502"} {
		t.Run(v, func(t *testing.T) { assert.True(t, isSheetError(v)) })
	}
	for _, v := range []string{"N/A", "n/a", "#n/a", "#N/A extra", "#1", "#", "Err:50", "Err:5020", "Error", "Emma", "", "#123"} {
		t.Run("not "+v, func(t *testing.T) { assert.False(t, isSheetError(v)) })
	}
}
