package mapping

import (
	"fmt"
	"strconv"
	"strings"
)

// KeysConfig builds the mapping the leads unsubscribe/stop/reset and stats
// leads commands use when no --mapping is given: it looks for the headers
// account_id/accountId/Account, external_id/externalId/External ID and
// phone/Phone. An exact header wins, in that order of preference (so an
// import report, whose own columns are account_id, external_id and phone,
// maps by those even when the original columns follow it), then a match
// ignoring case and spaces. It fails only when none of the three is found;
// which ones a command needs is the command's call. Bind the result with
// KindKeys.
func KeysConfig(header []string) (*Config, error) {
	c := &Config{Version: 1, Fields: map[string]FieldSpec{}, name: "(built-in keys)"}
	if h, ok := findKeyHeader(header, "account_id", "accountId", "Account"); ok {
		c.Account = ValueSpec{Column: h}
	}
	if h, ok := findKeyHeader(header, "external_id", "externalId", "External ID"); ok {
		c.Fields["externalId"] = FieldSpec{Column: h}
	}
	if h, ok := findKeyHeader(header, "phone", "Phone"); ok {
		c.Fields["phone"] = FieldSpec{Column: h}
	}
	if c.Account.Column == "" && len(c.Fields) == 0 {
		q := make([]string, len(header))
		for i, h := range header {
			q[i] = strconv.Quote(h)
		}
		return nil, fmt.Errorf("%w: no account_id, external_id or phone column (without --mapping these headers identify leads); headers found: %s",
			ErrInvalidConfig, strings.Join(q, ", "))
	}
	return c, nil
}

// findKeyHeader returns the header to bind for the first candidate that
// matches exactly, else for the first that matches ignoring case and spaces.
func findKeyHeader(header []string, candidates ...string) (string, bool) {
	for _, c := range candidates {
		for _, h := range header {
			if h == c {
				return h, true
			}
		}
	}
	for _, c := range candidates {
		for _, h := range header {
			if strings.EqualFold(strings.TrimSpace(h), c) {
				return h, true
			}
		}
	}
	return "", false
}
