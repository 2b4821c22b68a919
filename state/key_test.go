package state

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeyEncoding(t *testing.T) {
	tests := []struct {
		name    string
		key     Key
		want    []byte
		decoded Key
	}{
		{"by externalId", Key{AccountID: "18", ExternalID: "E-1", Phone: "2065550100"},
			[]byte("\x0218eE-1"), Key{AccountID: "18", ExternalID: "E-1"}},
		{"by phone when no externalId", Key{AccountID: "18", Phone: "2065550100"},
			[]byte("\x0218p2065550100"), Key{AccountID: "18", Phone: "2065550100"}},
		{"empty account", Key{ExternalID: "x"}, []byte("\x00ex"), Key{ExternalID: "x"}},
		{"bytes that look like separators", Key{AccountID: "a\x00e", ExternalID: "\x00p"},
			[]byte("\x03a\x00ee\x00p"), Key{AccountID: "a\x00e", ExternalID: "\x00p"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := appendKey(nil, tt.key)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			back, err := decodeKey(got)
			require.NoError(t, err)
			assert.Equal(t, tt.decoded, back)
		})
	}
}

func TestKeysStayApart(t *testing.T) {
	pairs := []struct {
		name string
		a, b Key
	}{
		{"account/id boundary", Key{AccountID: "1", ExternalID: "23"}, Key{AccountID: "12", ExternalID: "3"}},
		{"externalId vs phone with the same text", Key{AccountID: "18", ExternalID: "2065550100"}, Key{AccountID: "18", Phone: "2065550100"}},
		{"same id in two accounts", Key{AccountID: "18", ExternalID: "E-1"}, Key{AccountID: "21", ExternalID: "E-1"}},
	}
	for _, p := range pairs {
		t.Run(p.name, func(t *testing.T) {
			a, err := appendKey(nil, p.a)
			require.NoError(t, err)
			b, err := appendKey(nil, p.b)
			require.NoError(t, err)
			assert.NotEqual(t, a, b)
		})
	}
}

func TestAccountPrefixCoversOnlyItsLeads(t *testing.T) {
	prefix := accountPrefix(nil, "1")
	for _, tt := range []struct {
		key  Key
		want bool
	}{
		{Key{AccountID: "1", ExternalID: "E"}, true},
		{Key{AccountID: "1", Phone: "5"}, true},
		{Key{AccountID: "12", ExternalID: "E"}, false},
		{Key{AccountID: "", ExternalID: "1"}, false},
	} {
		k, err := appendKey(nil, tt.key)
		require.NoError(t, err)
		assert.Equal(t, tt.want, bytes.HasPrefix(k, prefix), "%+v", tt.key)
	}
}

func TestKeyErrors(t *testing.T) {
	_, err := appendKey(nil, Key{AccountID: "18"})
	require.ErrorIs(t, err, ErrNoKey)
	assert.Contains(t, err.Error(), `account "18"`)

	_, err = appendKey(nil, Key{AccountID: "18", ExternalID: string(make([]byte, maxKeyLen))})
	require.ErrorIs(t, err, ErrKeyTooLong)

	for _, bad := range [][]byte{nil, {0x05, 'a'}, []byte("\x0218"), []byte("\x0218x1"), []byte("\x0218e")} {
		_, err := decodeKey(bad)
		assert.Error(t, err, "%q", bad)
	}
}
