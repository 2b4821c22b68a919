package mapping

// isSheetError reports whether a cleaned cell is an error value a
// spreadsheet wrote in place of a formula's result: Excel's and Google
// Sheets' #-codes and LibreOffice's Err:NNN. Such a cell holds no data, so
// the mapping treats it as empty (with a warning naming the column). A
// plain "N/A" is not one: people type it, and in a free-text field or an
// attribute it may mean exactly what it says.
func isSheetError(s string) bool {
	if len(s) < 3 {
		return false
	}
	switch s[0] {
	case '#':
		switch s {
		case "#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!",
			"#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!",
			"#BUSY!", "#UNKNOWN!", "#EXTERNAL!", "#PYTHON!", "#ERROR!":
			return true
		}
	case 'E':
		// LibreOffice: Err:501 ... Err:539.
		return len(s) == 7 && s[1] == 'r' && s[2] == 'r' && s[3] == ':' && allDigits(s[4:])
	}
	return false
}
