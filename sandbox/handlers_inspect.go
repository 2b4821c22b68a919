package sandbox

import "net/http"

// handleInspectLeads is GET /_sandbox/leads[?account=ID]: a JSON array of
// StoredLead.
func (s *Server) handleInspectLeads(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.leadsOf(r.URL.Query().Get("account")))
}

// handleInspectAgents is GET /_sandbox/agents.
func (s *Server) handleInspectAgents(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Agents())
}

// handleInspectAccounts is GET /_sandbox/accounts.
func (s *Server) handleInspectAccounts(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Accounts())
}

// handleInspectRequests is GET /_sandbox/requests: the last API requests,
// oldest first.
func (s *Server) handleInspectRequests(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Requests())
}

// handleInspectStats is GET /_sandbox/stats: totals over every API request.
func (s *Server) handleInspectStats(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.RequestStats())
}
