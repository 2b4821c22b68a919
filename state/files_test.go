package state

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFilesAlreadyImported(t *testing.T) {
	sum := strings.Repeat("ab", 32)
	other := strings.Repeat("cd", 32)
	at := time.Date(2025, 5, 1, 2, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		done  FileFingerprint
		ask   FileFingerprint
		found bool
	}{
		{"same local content", FileFingerprint{Name: "leads.csv", Size: 10, SHA256: sum},
			FileFingerprint{Name: "leads.csv", Size: 10, SHA256: sum}, true},
		{"same content under another name", FileFingerprint{Name: "leads-0501.csv", Size: 10, SHA256: sum},
			FileFingerprint{Name: "leads-0502.csv", Size: 10, SHA256: strings.ToUpper(sum)}, true},
		{"same name, other content", FileFingerprint{Name: "leads.csv", Size: 10, SHA256: sum},
			FileFingerprint{Name: "leads.csv", Size: 10, SHA256: other}, false},
		{"same hash, other size", FileFingerprint{Name: "leads.csv", Size: 10, SHA256: sum},
			FileFingerprint{Name: "leads.csv", Size: 11, SHA256: sum}, false},
		{"same object version", FileFingerprint{Name: "s3://b/leads.csv", Size: 10, ETag: `"e1"`},
			FileFingerprint{Name: "s3://b/leads.csv", Size: 10, ETag: `"e1"`}, true},
		{"same ETag on another object", FileFingerprint{Name: "s3://b/leads.csv", Size: 10, ETag: `"e1"`},
			FileFingerprint{Name: "s3://b/other.csv", Size: 10, ETag: `"e1"`}, false},
		{"a new version of the object", FileFingerprint{Name: "s3://b/leads.csv", Size: 10, ETag: `"e1"`},
			FileFingerprint{Name: "s3://b/leads.csv", Size: 10, ETag: `"e2"`}, false},
		{"an object never matches a hashed file", FileFingerprint{Name: "x", Size: 10, SHA256: sum},
			FileFingerprint{Name: "x", Size: 10, ETag: sum}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTemp(t)
			_, found, err := s.FileDone(tt.ask)
			require.NoError(t, err)
			assert.False(t, found)

			require.NoError(t, s.MarkFileDone(tt.done, at))
			rec, found, err := s.FileDone(tt.ask)
			require.NoError(t, err)
			assert.Equal(t, tt.found, found)
			if found {
				assert.Equal(t, FileRecord{Name: tt.done.Name, Size: tt.done.Size, SHA256: tt.done.SHA256,
					ETag: tt.done.ETag, DoneAt: at}, rec, "the record names the input as it was imported")
			}
		})
	}
}

func TestFileFingerprintErrors(t *testing.T) {
	s := openTemp(t)
	for _, fp := range []FileFingerprint{
		{Name: "leads.csv", Size: 1},
		{Name: "leads.csv", Size: 1, SHA256: "abc"},
		{Name: "leads.csv", Size: 1, SHA256: strings.Repeat("zz", 32)},
	} {
		_, _, err := s.FileDone(fp)
		require.ErrorIs(t, err, ErrBadFingerprint, "%+v", fp)
		assert.Contains(t, err.Error(), "leads.csv")
		require.ErrorIs(t, s.MarkFileDone(fp, time.Time{}), ErrBadFingerprint)
	}
}
