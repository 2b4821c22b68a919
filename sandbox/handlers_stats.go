package sandbox

import (
	"net/http"
	"net/url"
	"strings"
	"time"
)

// handleAccountStatistics is GET /accounts/{accountId}/statistics?from=&to=.
// leadCount and unsubscribeCount count the leads first received within the
// window; the sandbox delivers nothing, so engaged, delivered and ctr are 0.
func (s *Server) handleAccountStatistics(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, err := parseWindowBound(q, "from")
	if err != nil {
		writeError(w, err)
		return
	}
	to, err := parseWindowBound(q, "to")
	if err != nil {
		writeError(w, err)
		return
	}
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		writeMessage(w, http.StatusBadRequest, "from: "+q.Get("from")+" is after to: "+q.Get("to"))
		return
	}
	s.mu.Lock()
	stats, err := s.st.accountStats(r.PathValue("accountId"), from, to)
	s.mu.Unlock()
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, stats)
}

// parseWindowBound reads an ISO-8601 date-time with offset; absent or empty
// is an open bound.
func parseWindowBound(q url.Values, name string) (time.Time, error) {
	v := q.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		hint := ""
		if strings.Contains(v, " ") {
			hint = ` (a "+" in a query string must be sent as %2B)`
		}
		return time.Time{}, badRequest("%s: %s is not an ISO-8601 date-time with offset such as 2022-02-20T01:30:00.000-05:00%s",
			name, quoteValue(v), hint)
	}
	return t, nil
}

// leadStatistics is the answer of lead statistics with every key the
// collection's example carries: a client may expect lastDeliveredTime to be
// present, null when nothing was delivered.
type leadStatistics struct {
	DeliveredCount    int64   `json:"deliveredCount"`
	Qualified         bool    `json:"qualified"`
	LastDeliveredTime *string `json:"lastDeliveredTime"`
}

// handleLeadStatistics is GET /accounts/{accountId}/leads/{leadExternalId}/statistics.
// Nothing is ever delivered in the sandbox: deliveredCount 0, qualified
// false, lastDeliveredTime null.
func (s *Server) handleLeadStatistics(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	_, err := s.st.lead(r.PathValue("accountId"), r.PathValue("leadExternalId"))
	s.mu.Unlock()
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, leadStatistics{})
}
