package sandbox

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/wire"
)

// Lead statuses as the inspection endpoints report them.
const (
	LeadActive       = "active"
	LeadUnsubscribed = "unsubscribed"
	LeadStopped      = "stopped"
)

// Account states as the inspection endpoints report them.
const (
	AccountActive   = "active"
	AccountPaused   = "paused"
	AccountInactive = "inactive"
)

// StoredLead is one lead the sandbox holds: the account it belongs to, its
// fields as last received, and what happened to it since.
type StoredLead struct {
	AccountID string `json:"accountId"`
	wire.Lead
	Status        string `json:"status"`
	ReceivedCount int    `json:"receivedCount"`
	// Held is true for leads received while their account was paused; an
	// unpause releases them.
	Held          bool      `json:"held,omitempty"`
	FirstReceived time.Time `json:"firstReceived"`
	LastReceived  time.Time `json:"lastReceived"`
}

// StoredAccount is one account the sandbox holds.
type StoredAccount struct {
	ID     string `json:"id"`
	Status string `json:"status"`
	client.Account
	LeadCount int `json:"leadCount"`
}

// leadRecord is the compact form a lead is stored in: the lead's JSON as
// received (one allocation) plus the few fields lookups need.
type leadRecord struct {
	acct       *account
	raw        string // the lead as last received: one JSON object
	externalID string
	phone      string // normalised: '+' and digits only
	firstSeen  int64  // unix nanoseconds
	lastSeen   int64
	received   int32
	status     string
	held       bool
}

type account struct {
	id      string
	state   string
	details client.Account
	byExt   map[string]int32 // externalId -> index in store.leads
	byPhone map[string]int32 // normalised phone -> index, for leads with no externalId
}

func (a *account) leadCount() int { return len(a.byExt) + len(a.byPhone) }

// lookup finds a lead of the account by external id.
func (a *account) lookup(externalID string) (int32, bool) {
	i, ok := a.byExt[externalID]
	return i, ok
}

// store is the sandbox's data. It does no locking: Server.mu guards it.
type store struct {
	// autoCreate makes a request naming an unknown account create it
	// (Options.AutoCreateAccounts) instead of answering 404.
	autoCreate bool
	accounts   map[string]*account
	order      []*account // creation order
	maxID      int64      // highest numeric account id seen
	leads      []leadRecord
	phoneIdx   map[string][]int32
	agents     map[string]int // externalId -> index in agentList
	agentList  []wire.Agent
}

func newStore() *store {
	return &store{
		accounts: make(map[string]*account),
		phoneIdx: make(map[string][]int32),
		agents:   make(map[string]int),
	}
}

// ensureAccount creates the account id if it does not exist yet.
func (st *store) ensureAccount(id string) *account {
	if a, ok := st.accounts[id]; ok {
		return a
	}
	a := &account{id: id, state: AccountActive, byExt: make(map[string]int32), byPhone: make(map[string]int32)}
	st.accounts[id] = a
	st.order = append(st.order, a)
	if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > st.maxID {
		st.maxID = n
	}
	return a
}

// createAccount makes a new account with the next id above the highest one.
func (st *store) createAccount(details client.Account) int64 {
	id := st.maxID + 1
	a := st.ensureAccount(strconv.FormatInt(id, 10))
	a.details = details
	return id
}

// account returns the account; an unknown one is created when the store
// auto-creates accounts, else a 404.
func (st *store) account(id string) (*account, error) {
	a, err := st.existing(id)
	if err != nil && st.autoCreate {
		return st.ensureAccount(id), nil
	}
	return a, err
}

// existing returns the account or a 404, never creating it.
func (st *store) existing(id string) (*account, error) {
	a, ok := st.accounts[id]
	if !ok {
		return nil, notFound("account %s not found", quoteID(id))
	}
	return a, nil
}

// defaultAccount is where POST /lead stores a lead: the body names no
// account, so the first account created (seeded ones first) receives it.
func (st *store) defaultAccount() (*account, error) {
	if len(st.order) == 0 {
		return nil, notFound("no account exists to add the lead to")
	}
	return st.order[0], nil
}

// writable refuses leads for an inactive account.
func (a *account) writable() error {
	if a.state == AccountInactive {
		return badRequest("account %s is inactive", quoteID(a.id))
	}
	return nil
}

// preparedLead is a validated lead ready to be stored.
type preparedLead struct {
	raw        string
	externalID string
	phone      string
}

// upsert stores p in a: a lead with the same external id (or, without one,
// the same normalised phone) is replaced and its receivedCount goes up.
func (st *store) upsert(a *account, p preparedLead, now int64) {
	var (
		idx int32
		ok  bool
	)
	if p.externalID != "" {
		idx, ok = a.byExt[p.externalID]
	} else {
		idx, ok = a.byPhone[p.phone]
	}
	held := a.state == AccountPaused
	if ok {
		rec := &st.leads[idx]
		rec.raw = p.raw
		rec.lastSeen = now
		rec.received++
		rec.held = rec.held || held
		if rec.phone != p.phone {
			st.unindexPhone(rec.phone, idx)
			rec.phone = strings.Clone(p.phone)
			st.phoneIdx[rec.phone] = append(st.phoneIdx[rec.phone], idx)
		}
		return
	}
	// Keys are cut from the raw JSON; cloned, they do not keep this raw
	// alive once an update replaces it.
	p.externalID, p.phone = strings.Clone(p.externalID), strings.Clone(p.phone)
	idx = int32(len(st.leads))
	st.leads = append(st.leads, leadRecord{
		acct: a, raw: p.raw, externalID: p.externalID, phone: p.phone,
		firstSeen: now, lastSeen: now, received: 1, status: LeadActive, held: held,
	})
	if p.externalID != "" {
		a.byExt[p.externalID] = idx
	} else {
		a.byPhone[p.phone] = idx
	}
	st.phoneIdx[p.phone] = append(st.phoneIdx[p.phone], idx)
}

func (st *store) unindexPhone(phone string, idx int32) {
	list := st.phoneIdx[phone]
	if i := slices.Index(list, idx); i >= 0 {
		list = slices.Delete(list, i, i+1)
	}
	if len(list) == 0 {
		delete(st.phoneIdx, phone)
		return
	}
	st.phoneIdx[phone] = list
}

// unsubscribePhone unsubscribes every lead with that phone in every account.
func (st *store) unsubscribePhone(phone string) int {
	list := st.phoneIdx[phone]
	for _, idx := range list {
		st.leads[idx].status = LeadUnsubscribed
	}
	return len(list)
}

// lead finds a lead by account and external id, or returns a 404.
func (st *store) lead(accountID, externalID string) (*leadRecord, error) {
	a, err := st.account(accountID)
	if err != nil {
		return nil, err
	}
	idx, ok := a.lookup(externalID)
	if !ok {
		return nil, notFound("lead %q not found in account %s", externalID, quoteID(accountID))
	}
	return &st.leads[idx], nil
}

// setAccountState applies pause, unpause and inactivate.
func (st *store) setAccountState(id, to string) error {
	a, err := st.account(id)
	if err != nil {
		return err
	}
	if a.state == AccountInactive && to != AccountInactive {
		verb := "paused"
		if to == AccountActive {
			verb = "unpaused"
		}
		return badRequest("account %s is inactive and cannot be %s", quoteID(id), verb)
	}
	if a.state == AccountPaused && to == AccountActive {
		for _, idx := range a.byExt {
			st.leads[idx].held = false
		}
		for _, idx := range a.byPhone {
			st.leads[idx].held = false
		}
	}
	a.state = to
	return nil
}

// accountStats counts the account's leads first received within [from, to];
// a zero bound is open.
func (st *store) accountStats(id string, from, to time.Time) (client.AccountStatistics, error) {
	a, err := st.account(id)
	if err != nil {
		return client.AccountStatistics{}, err
	}
	var stats client.AccountStatistics
	count := func(idx int32) {
		rec := &st.leads[idx]
		t := time.Unix(0, rec.firstSeen)
		if (!from.IsZero() && t.Before(from)) || (!to.IsZero() && t.After(to)) {
			return
		}
		stats.LeadCount++
		if rec.status == LeadUnsubscribed {
			stats.UnsubscribeCount++
		}
	}
	for _, idx := range a.byExt {
		count(idx)
	}
	for _, idx := range a.byPhone {
		count(idx)
	}
	return stats, nil
}

// addAgent stores an agent; the same externalId again replaces it.
func (st *store) addAgent(ag wire.Agent) {
	if i, ok := st.agents[ag.ExternalID]; ok {
		st.agentList[i] = ag
		return
	}
	st.agents[ag.ExternalID] = len(st.agentList)
	st.agentList = append(st.agentList, ag)
}

// storedLead expands a record for inspection.
func (rec *leadRecord) storedLead() (StoredLead, error) {
	out := StoredLead{
		AccountID:     rec.acct.id,
		Status:        rec.status,
		ReceivedCount: int(rec.received),
		Held:          rec.held,
		FirstReceived: time.Unix(0, rec.firstSeen).UTC(),
		LastReceived:  time.Unix(0, rec.lastSeen).UTC(),
	}
	if err := json.Unmarshal([]byte(rec.raw), &out.Lead); err != nil {
		return StoredLead{}, fmt.Errorf("sandbox: decode stored lead: %w", err)
	}
	return out, nil
}

func (a *account) stored() StoredAccount {
	return StoredAccount{ID: a.id, Status: a.state, Account: a.details, LeadCount: a.leadCount()}
}

// quoteID prints numeric account ids bare (account 18) and others quoted.
func quoteID(id string) string {
	if _, err := strconv.ParseUint(id, 10, 64); err == nil {
		return id
	}
	return strconv.Quote(id)
}
