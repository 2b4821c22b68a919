package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDeduper(t *testing.T) {
	type check struct {
		account, external, phone, file string
		row                            int
		wantMsg                        string
		wantDup                        bool
	}
	tests := []struct {
		name   string
		checks []check
	}{
		{"same external id in one account", []check{
			{"18", "E-1", "+12065550100", "leads.csv", 2, "", false},
			{"18", "E-1", "+12065550199", "leads.csv", 12, "duplicate of row 2 of leads.csv", true},
			{"18", "E-1", "", "leads.csv", 13, "duplicate of row 2 of leads.csv", true},
		}},
		{"same external id in another account is not a duplicate", []check{
			{"18", "E-1", "", "a.csv", 2, "", false},
			{"21", "E-1", "", "a.csv", 3, "", false},
		}},
		{"phone keys rows without external id", []check{
			{"18", "", "+12065550100", "a.csv", 2, "", false},
			{"18", "", "+12065550100", "b.csv", 7, "duplicate of row 2 of a.csv", true},
			{"21", "", "+12065550100", "b.csv", 8, "", false},
		}},
		{"phone and external id keys do not mix", []check{
			{"18", "+12065550100", "", "a.csv", 2, "", false},
			{"18", "", "+12065550100", "a.csv", 3, "", false},
		}},
		{"separator keeps account and id apart", []check{
			{"1", "23", "", "a.csv", 2, "", false},
			{"12", "3", "", "a.csv", 3, "", false},
		}},
		{"no key, never a duplicate", []check{
			{"18", "", "", "a.csv", 2, "", false},
			{"18", "", "", "a.csv", 3, "", false},
		}},
		{"second file is named", []check{
			{"18", "E-1", "", "a.csv", 2, "", false},
			{"18", "E-2", "", "b.xlsx", 5, "", false},
			{"18", "E-2", "", "c.csv", 9, "duplicate of row 5 of b.xlsx", true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDeduper()
			for i, c := range tt.checks {
				msg, dup := d.Check(c.account, c.external, c.phone, c.file, c.row)
				assert.Equal(t, c.wantDup, dup, "check %d", i)
				assert.Equal(t, c.wantMsg, msg, "check %d", i)
			}
		})
	}
}
