package reports

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// RemovedLead is one line of the removed-leads list: a lead recorded in the
// state file but absent from this run's input.
type RemovedLead struct {
	AccountID  string
	ExternalID string
	Phone      string
	// LastSent is when a run last sent the lead; zero when unknown. The
	// list keeps it to the second, in UTC.
	LastSent time.Time
}

// ErrNotRemovedList: the file read as a removed-leads list lacks its
// columns (or has no header at all).
var ErrNotRemovedList = errors.New("not a removed-leads list")

// RemovedColumns are the removed-leads list's columns, in file order.
func RemovedColumns() []string {
	return []string{"account_id", "external_id", "phone", "last_sent"}
}

// RemovedListPath is where the removed-leads list of a report goes,
// REPORT.removed.csv (out/leads.xlsx -> out/leads.xlsx.removed.csv), beside
// the report's REPORT.journal and REPORT.lock: two reports never share one.
func RemovedListPath(report string) string { return report + ".removed.csv" }

// removedRow is a RemovedLead as gocsv reads and writes it: the struct tags
// fix the columns, the field types do the conversions.
type removedRow struct {
	AccountID  csvText `csv:"account_id"`
	ExternalID csvText `csv:"external_id"`
	Phone      csvText `csv:"phone"`
	LastSent   utcTime `csv:"last_sent"`
}

func toRemovedRow(l RemovedLead) removedRow {
	return removedRow{csvText(l.AccountID), csvText(l.ExternalID), csvText(l.Phone), utcTime(l.LastSent)}
}

func (r removedRow) lead() RemovedLead {
	return RemovedLead{string(r.AccountID), string(r.ExternalID), string(r.Phone), time.Time(r.LastSent)}
}

// csvText is a text cell neutralised on writing as the CSV report's cells
// are (a ' before a formula-like value) and restored on reading.
type csvText string

// MarshalCSV implements gocsv.TypeMarshaller.
func (t csvText) MarshalCSV() (string, error) { return neutralise(string(t)), nil }

// UnmarshalCSV implements gocsv.TypeUnmarshaller.
func (t *csvText) UnmarshalCSV(s string) error {
	*t = csvText(Unneutralise(s))
	return nil
}

// utcTime is written as RFC 3339 in UTC, to the second; "" for the zero time.
type utcTime time.Time

// MarshalCSV implements gocsv.TypeMarshaller.
func (t utcTime) MarshalCSV() (string, error) {
	if time.Time(t).IsZero() {
		return "", nil
	}
	return time.Time(t).UTC().Format(time.RFC3339), nil
}

// UnmarshalCSV implements gocsv.TypeUnmarshaller. Fractions of a second and
// offsets other than Z are accepted (a list edited by hand); the time is
// kept in UTC.
func (t *utcTime) UnmarshalCSV(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		*t = utcTime{}
		return nil
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("last_sent %q is not an RFC 3339 time like 2025-03-04T05:06:07Z", s)
	}
	*t = utcTime(v.UTC())
	return nil
}
