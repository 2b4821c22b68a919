package reports

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeRemoved(t *testing.T, path string, leads []RemovedLead) {
	t.Helper()
	w, err := CreateRemoved(path)
	require.NoError(t, err)
	for _, l := range leads {
		require.NoError(t, w.Write(l))
	}
	require.NoError(t, w.Finish())
}

func TestRemovedListRoundTrip(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	leads := []RemovedLead{
		{AccountID: "18", ExternalID: "A-1", Phone: "+13335550101", LastSent: time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)},
		{AccountID: "18", ExternalID: "", Phone: "+13335550102", LastSent: time.Date(2025, 3, 4, 6, 6, 7, 0, paris)},
		{AccountID: "21", ExternalID: "=HYPERLINK(\"http://x\",\"y\")", Phone: "", LastSent: time.Time{}},
		{AccountID: "21", ExternalID: "'=already quoted", Phone: "-5", LastSent: time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC)},
		{AccountID: "21", ExternalID: "line one\nline two, \"quoted\"", Phone: "@x", LastSent: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)},
		{AccountID: "21", ExternalID: "José 日本語 🙂", Phone: "\tTab"},
	}
	path := filepath.Join(t.TempDir(), "r.csv.removed.csv")
	writeRemoved(t, path, leads)

	t.Run("file as written", func(t *testing.T) {
		f, err := os.Open(path)
		require.NoError(t, err)
		defer f.Close()
		records, err := csv.NewReader(f).ReadAll()
		require.NoError(t, err)
		require.Len(t, records, len(leads)+1)
		assert.Equal(t, RemovedColumns(), records[0])
		assert.Equal(t, []string{"18", "A-1", "'+13335550101", "2025-03-04T05:06:07Z"}, records[1], "formula-like cells neutralised")
		assert.Equal(t, "2025-03-04T05:06:07Z", records[2][3], "UTC")
		assert.Equal(t, "", records[3][3], "unknown time left empty")
		assert.Equal(t, `'=HYPERLINK("http://x","y")`, records[3][1])
		assert.Equal(t, "''=already quoted", records[4][1])
		fi, err := f.Stat()
		require.NoError(t, err)
		assert.Equal(t, reportPerm, fi.Mode().Perm())
	})
	t.Run("read back", func(t *testing.T) {
		got, err := ReadRemoved(context.Background(), path)
		require.NoError(t, err)
		require.Len(t, got, len(leads))
		for i, want := range leads {
			assert.Equal(t, want.AccountID, got[i].AccountID)
			assert.Equal(t, want.ExternalID, got[i].ExternalID)
			assert.Equal(t, want.Phone, got[i].Phone)
			assert.True(t, want.LastSent.Equal(got[i].LastSent), "row %d: %v vs %v", i, want.LastSent, got[i].LastSent)
			if !want.LastSent.IsZero() {
				assert.Equal(t, time.UTC, got[i].LastSent.Location())
			}
		}
	})
}

func TestRemovedListEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.csv.removed.csv")
	writeRemoved(t, path, nil)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "account_id,external_id,phone,last_sent\n", string(data), "the header alone")
	got, err := ReadRemoved(context.Background(), path)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestRemovedListIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.csv.removed.csv")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
	w, err := CreateRemoved(path)
	require.NoError(t, err)
	for i := range manyRows {
		require.NoError(t, w.Write(RemovedLead{AccountID: "18", ExternalID: strings.Repeat("x", 50) + strconv.Itoa(i)}))
	}
	old, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "old", string(old), "untouched while writing")
	require.NoError(t, w.Abort())
	old, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "old", string(old), "untouched after Abort")
	assert.Equal(t, []string{"r.csv.removed.csv"}, dirEntries(t, dir))
	require.ErrorIs(t, w.Write(RemovedLead{}), ErrClosed)
	require.ErrorIs(t, w.Finish(), ErrClosed)
	require.NoError(t, w.Abort(), "twice is fine")
}

func TestReadRemovedTolerates(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    []RemovedLead
	}{
		{
			name:    "saved again by a spreadsheet: BOM, CRLF, upper case, other order, extra column",
			content: "\ufeffPhone,LAST_SENT, account_id ,External_ID,Note\r\n'+1333,2025-03-04T06:06:07+01:00,18,A-1,hi\r\n",
			want: []RemovedLead{{AccountID: "18", ExternalID: "A-1", Phone: "+1333",
				LastSent: time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)}},
		},
		{
			name:    "fractions of a second",
			content: "account_id,external_id,phone,last_sent\n18,A-1,,2025-03-04T05:06:07.5Z\n",
			want: []RemovedLead{{AccountID: "18", ExternalID: "A-1",
				LastSent: time.Date(2025, 3, 4, 5, 6, 7, 5e8, time.UTC)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "l.csv")
			require.NoError(t, os.WriteFile(path, []byte(tt.content), 0o600))
			got, err := ReadRemoved(context.Background(), path)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestReadRemovedErrors(t *testing.T) {
	tests := []struct {
		name     string
		content  string // "" with noFile: the file does not exist
		noFile   bool
		is       error
		contains []string
	}{
		{name: "missing file", noFile: true, is: os.ErrNotExist},
		{name: "empty file", content: "", is: ErrNotRemovedList, contains: []string{"empty"}},
		{name: "a report, not a list", content: "file,row,status\nf,2,sent\n", is: ErrNotRemovedList,
			contains: []string{"missing column(s) account_id, external_id, phone, last_sent", "found: file, row, status"}},
		{name: "one column missing", content: "account_id,external_id,phone\n18,A,\n", is: ErrNotRemovedList,
			contains: []string{"missing column(s) last_sent"}},
		{name: "bad time", content: "account_id,external_id,phone,last_sent\n18,A,,2025-03-04\n18,B,,yesterday\n",
			contains: []string{"line 2", "column 4", `last_sent "2025-03-04" is not an RFC 3339 time`}},
		{name: "ragged line", content: "account_id,external_id,phone,last_sent\n18,A\n",
			contains: []string{"line 2", "wrong number of fields"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "l.csv")
			if !tt.noFile {
				require.NoError(t, os.WriteFile(path, []byte(tt.content), 0o600))
			}
			got, err := ReadRemoved(context.Background(), path)
			require.Error(t, err)
			assert.Nil(t, got)
			if tt.is != nil {
				require.ErrorIs(t, err, tt.is)
			}
			assert.Contains(t, err.Error(), path, "names the file")
			for _, c := range tt.contains {
				assert.Contains(t, err.Error(), c)
			}
		})
	}
}

func TestRemovedLeadsStopsEarly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.csv.removed.csv")
	var leads []RemovedLead
	for i := range 1000 {
		leads = append(leads, RemovedLead{AccountID: "18", ExternalID: strconv.Itoa(i)})
	}
	writeRemoved(t, path, leads)

	t.Run("break", func(t *testing.T) {
		n := 0
		for l, err := range RemovedLeads(context.Background(), path) {
			require.NoError(t, err)
			assert.Equal(t, strconv.Itoa(n), l.ExternalID)
			n++
			if n == 3 {
				break
			}
		}
		assert.Equal(t, 3, n)
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		n := 0
		var last error
		for _, err := range RemovedLeads(ctx, path) {
			if err != nil {
				last = err
				break
			}
			n++
			if n == 5 {
				cancel()
			}
		}
		require.ErrorIs(t, last, context.Canceled)
		assert.Less(t, n, len(leads))
	})
}

func TestRemovedListPath(t *testing.T) {
	tests := []struct{ report, want string }{
		{report: "out/leads.csv", want: "out/leads.csv.removed.csv"},
		{report: "out/leads.xlsx", want: "out/leads.xlsx.removed.csv"},
		{report: "report.JSONL", want: "report.JSONL.removed.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.report, func(t *testing.T) {
			assert.Equal(t, tt.want, RemovedListPath(tt.report))
		})
	}
}
