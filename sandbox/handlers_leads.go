package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/xonvo/xonvo-import/wire"
)

// refusedMessage is the answer for a request carrying a rejected external id.
// Like the real API's unexplained refusals, it does not say which lead.
const refusedMessage = "the request was refused: it contains a lead the platform does not accept"

// handleAddLead is POST /lead. The body names no account: the lead goes to
// the default account (the first one created).
func (s *Server) handleAddLead(w http.ResponseWriter, r *http.Request) {
	var raw json.RawMessage
	if err := s.decodeOne(w, r, &raw); err != nil {
		writeError(w, err)
		return
	}
	setLeads(w, 1)
	p, err := prepareLead(raw, place{single: true})
	if err != nil {
		writeError(w, err)
		return
	}
	if s.rejects(p.externalID) {
		writeMessage(w, http.StatusBadRequest, refusedMessage)
		return
	}
	now := s.opts.Now().UnixNano()
	s.mu.Lock()
	a, err := s.st.defaultAccount()
	if err == nil {
		err = a.writable()
	}
	if err == nil {
		s.st.upsert(a, p, now)
	}
	s.mu.Unlock()
	if err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// handleBulk is POST and PUT /leads/bulk; both add or update by externalId.
// A bulk request is all or nothing: any problem refuses the whole request.
func (s *Server) handleBulk(w http.ResponseWriter, r *http.Request) {
	body, err := s.openBody(w, r)
	if err != nil {
		writeError(w, err)
		return
	}
	held := s.takeBody()
	b, buf, err := s.decodeBulkInto(*held, body, r.ContentLength)
	// The leads are views of buf: it is reused once they are stored.
	defer s.giveBody(held, buf)
	setLeads(w, b.count)
	if err != nil {
		writeError(w, err)
		return
	}
	if b.rejected {
		writeMessage(w, http.StatusBadRequest, refusedMessage)
		return
	}
	if err := s.applyBulk(b); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// applyBulk checks every account before storing anything, under one short
// lock: the leads were decoded and encoded before it. Unknown accounts are
// created (with AutoCreateAccounts) only when the whole request is accepted.
func (s *Server) applyBulk(b *bulkBody) error {
	now := s.opts.Now().UnixNano()
	accts := make([]*account, len(b.groups))
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, g := range b.groups {
		a, err := s.st.existing(g.account)
		if err != nil && s.st.autoCreate {
			continue // created below, once the whole request is accepted
		}
		if err == nil {
			err = a.writable()
		}
		if err != nil {
			return prefixed(fmt.Sprintf("leadsByAccountId[%q]", g.account), err)
		}
		accts[i] = a
	}
	for i, g := range b.groups {
		if accts[i] == nil {
			accts[i] = s.st.ensureAccount(g.account)
		}
		for _, p := range g.leads {
			s.st.upsert(accts[i], p, now)
		}
	}
	return nil
}

// handleAddAgent is POST /agent. Adding an agent with a known externalId
// replaces it.
func (s *Server) handleAddAgent(w http.ResponseWriter, r *http.Request) {
	var ag wire.Agent
	if err := s.decodeOne(w, r, &ag); err != nil {
		writeError(w, err)
		return
	}
	if err := validateAgent(&ag); err != nil {
		writeError(w, err)
		return
	}
	s.mu.Lock()
	s.st.addAgent(ag)
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// handleUnsubscribeByPhone is PUT /lead/unsubscribe?phone=...: every lead
// with that phone, in every account.
func (s *Server) handleUnsubscribeByPhone(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("phone")
	if !present(raw) {
		writeMessage(w, http.StatusBadRequest, "phone: the query parameter is required")
		return
	}
	if err := checkPhone(place{single: true}, "phone", raw); err != nil {
		writeError(w, err)
		return
	}
	phone := normalizePhone(raw)
	s.mu.Lock()
	n := s.st.unsubscribePhone(phone)
	s.mu.Unlock()
	if n == 0 {
		hint := ""
		if strings.Contains(raw, " ") && !strings.Contains(raw, "+") {
			hint = ` (a "+" in a query string must be sent as %2B)`
		}
		writeMessage(w, http.StatusNotFound, "no lead with phone "+quoteValue(raw)+hint)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// handleLeadAction serves unsubscribe, reset and stop by account and
// external id. Stop leaves an unsubscribed lead unsubscribed; reset makes
// any lead active again.
func (s *Server) handleLeadAction(to leadStatus) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		rec, err := s.st.lead(r.PathValue("accountId"), r.PathValue("leadExternalId"))
		if err == nil && !(to == statusStopped && rec.status == statusUnsubscribed) {
			rec.status = to
		}
		s.mu.Unlock()
		if err != nil {
			writeError(w, err)
			return
		}
		w.WriteHeader(http.StatusOK)
	}
}
