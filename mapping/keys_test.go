package mapping

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeysConfig(t *testing.T) {
	tests := []struct {
		name                     string
		header                   []string
		cells                    []string
		account, phone, external string
		wantErr                  string
	}{
		{"import report fed back",
			[]string{"file", "row", "status", "message", "account_id", "external_id", "phone", "http_status", "attempts", "Account", "Phone", "External ID"},
			[]string{"leads.csv", "2", "sent", "", "18", "E-1", "'+12065550100", "200", "1", "18", "(206) 555-0100", "E-1"},
			"18", "+12065550100", "E-1", ""},
		{"camel case", []string{"accountId", "externalId", "phone"}, []string{"21", "X", "2065550100"}, "21", "+12065550100", "X", ""},
		{"spreadsheet headers", []string{"Account", "External ID", "Phone"}, []string{"18", "E-2", "+1 206 555 0100"}, "18", "+12065550100", "E-2", ""},
		{"case and spaces ignored", []string{" ACCOUNT ", "external id", "PHONE"}, []string{"18", "E-3", "2065550100"}, "18", "+12065550100", "E-3", ""},
		{"phone only", []string{"Name", "Phone"}, []string{"Ann", "2065550100"}, "", "+12065550100", "", ""},
		{"nothing found", []string{"Name", "Email"}, nil, "", "", "", `headers found: "Name", "Email"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := KeysConfig(tt.header)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalidConfig)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			m, err := c.Bind(tt.header, BindOptions{Kind: KindKeys, File: "in.csv"})
			require.NoError(t, err)
			r := m.Map(tt.cells)
			require.True(t, r.Valid(), r.Message())
			assert.Equal(t, tt.account, r.AccountID)
			assert.Equal(t, tt.phone, r.Lead.Phone)
			assert.Equal(t, tt.external, r.Lead.ExternalID)
		})
	}
}
