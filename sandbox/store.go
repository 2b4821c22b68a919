package sandbox

import (
	"hash/maphash"
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

type account struct {
	idx     int32 // in store.order
	id      string
	state   string
	details client.Account
	salt    uint64 // the hash of id, mixed into its leads' keys
	last    int32  // the account's latest new lead, -1 when none (leadRecord.acctPrev)
	count   int    // leads held
}

func (a *account) leadCount() int { return a.count }

// store is the sandbox's data. It does no locking: Server.mu guards it.
type store struct {
	// autoCreate makes a request naming an unknown account create it
	// (Options.AutoCreateAccounts) instead of answering 404.
	autoCreate bool
	accounts   map[string]*account
	order      []*account // creation order
	maxID      int64      // highest numeric account id seen
	leads      leadTable
	data       arena    // the leads' bytes
	keys       keyTable // (account, key) -> lead
	// phones maps the hash of a normalised phone to the first lead of the
	// chain of leads, in every account, whose phone has that hash
	// (leadRecord.phoneNext), for unsubscribe by phone. It is built when
	// first needed: leads below phonesUpTo are in it, later ones are added
	// then, so that an import that never unsubscribes by phone does not pay
	// for it.
	phones     map[uint64]int32
	phonesUpTo int32
	// hash hashes keys and phones (maphash with the store's own seed);
	// tests replace it to force collisions.
	hash      func(string) uint64
	agents    map[string]int // externalId -> index in agentList
	agentList []wire.Agent
}

func newStore() *store {
	seed := maphash.MakeSeed()
	return &store{
		accounts: make(map[string]*account),
		data:     arena{chunkSize: defaultChunkSize},
		phones:   make(map[uint64]int32),
		hash:     func(s string) uint64 { return maphash.String(seed, s) },
		agents:   make(map[string]int),
	}
}

// ensureAccount creates the account id if it does not exist yet.
func (st *store) ensureAccount(id string) *account {
	if a, ok := st.accounts[id]; ok {
		return a
	}
	// A clone: id may be cut from a request body.
	id = strings.Clone(id)
	a := &account{idx: int32(len(st.order)), id: id, state: AccountActive, salt: st.hash(id), last: -1}
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
		st.eachLead(a, func(rec *leadRecord) { rec.held = false })
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
	st.eachLead(a, func(rec *leadRecord) {
		t := time.Unix(0, rec.firstSeen)
		if (!from.IsZero() && t.Before(from)) || (!to.IsZero() && t.After(to)) {
			return
		}
		stats.LeadCount++
		if rec.status == statusUnsubscribed {
			stats.UnsubscribeCount++
		}
	})
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
