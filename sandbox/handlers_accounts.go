package sandbox

import (
	"net/http"
	"strconv"

	"github.com/xonvo/xonvo-import/client"
)

// handleCreateAccount is POST /accounts: answers {"id": N}, N one above the
// highest numeric account id held.
func (s *Server) handleCreateAccount(w http.ResponseWriter, r *http.Request) {
	acc, ok := s.readAccount(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	id := s.st.createAccount(acc)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, client.AccountID{ID: id})
}

// handleUpdateAccount is PUT /accounts/{accountId}: replaces the account's
// details (an inactive account's too) and answers {"id": N}.
func (s *Server) handleUpdateAccount(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("accountId")
	acc, ok := s.readAccount(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	a, err := s.st.account(id)
	if err == nil {
		a.details = acc
	}
	s.mu.Unlock()
	if err != nil {
		writeError(w, err)
		return
	}
	// Account ids are numbers in the API; an id seeded as something else
	// answers 0.
	n, _ := strconv.ParseInt(id, 10, 64)
	writeJSON(w, http.StatusOK, client.AccountID{ID: n})
}

// readAccount decodes and checks an account body; on a problem it has
// answered already and reports false.
func (s *Server) readAccount(w http.ResponseWriter, r *http.Request) (client.Account, bool) {
	var acc client.Account
	if err := s.decodeOne(w, r, &acc); err != nil {
		writeError(w, err)
		return acc, false
	}
	if err := validateAccount(&acc); err != nil {
		writeError(w, err)
		return acc, false
	}
	return acc, true
}

// handleAccountState serves pause, unpause and inactivate.
func (s *Server) handleAccountState(to string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		err := s.st.setAccountState(r.PathValue("accountId"), to)
		s.mu.Unlock()
		if err != nil {
			writeError(w, err)
			return
		}
		w.WriteHeader(http.StatusOK)
	}
}
