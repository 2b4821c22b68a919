package sandbox

import (
	"encoding/json"
	"fmt"
	"time"
)

// leadStatus is a lead's status; String is the name the API reports.
type leadStatus uint8

const (
	statusActive leadStatus = iota
	statusUnsubscribed
	statusStopped
)

func (s leadStatus) String() string {
	switch s {
	case statusUnsubscribed:
		return LeadUnsubscribed
	case statusStopped:
		return LeadStopped
	}
	return LeadActive
}

// leadRecord is the compact form a lead is stored in. It holds no pointer:
// its bytes (the lead's JSON as received, then any key that is not a part
// of it, as an escaped external id or a phone written with formatting) are
// in the store's arena, and its account and links are indexes.
type leadRecord struct {
	firstSeen, lastSeen int64  // unix nanoseconds
	chunk, off          uint32 // where the lead's bytes start in the arena
	rawLen              uint32 // the JSON comes first
	extOff, extLen      uint32 // the external id, from off; empty keys by phone
	phoneOff            uint32 // the normalised phone, from off
	acct                int32  // index in store.order
	acctPrev            int32  // the account's previous new lead; -1 ends
	phoneNext           int32  // next lead whose phone has the same hash; -1 ends
	received            int32
	phoneLen            uint16 // normalised phones are ASCII, at most maxPhoneLen
	status              leadStatus
	held                bool
}

// size is the number of bytes the record holds in the arena.
func (rec *leadRecord) size() int {
	return int(max(rec.rawLen, rec.extOff+rec.extLen, rec.phoneOff+uint32(rec.phoneLen)))
}

// recordBlock is the number of records in a block of leadTable.
const recordBlock = 1 << 12

// leadTable holds the records in fixed blocks, in the order first received:
// growing never copies them, and a record's address never changes.
type leadTable struct {
	blocks [][]leadRecord
	n      int
}

func (t *leadTable) len() int { return t.n }

func (t *leadTable) at(i int32) *leadRecord {
	return &t.blocks[i/recordBlock][i%recordBlock]
}

// add appends rec and returns its index.
func (t *leadTable) add(rec leadRecord) int32 {
	if t.n%recordBlock == 0 {
		t.blocks = append(t.blocks, make([]leadRecord, 0, recordBlock))
	}
	b := &t.blocks[len(t.blocks)-1]
	*b = append(*b, rec)
	t.n++
	return int32(t.n - 1)
}

func (st *store) rawOf(rec *leadRecord) string {
	return st.data.str(rec.chunk, rec.off, int(rec.rawLen))
}

func (st *store) extOf(rec *leadRecord) string {
	return st.data.str(rec.chunk, rec.off+rec.extOff, int(rec.extLen))
}

func (st *store) phoneOf(rec *leadRecord) string {
	return st.data.str(rec.chunk, rec.off+rec.phoneOff, int(rec.phoneLen))
}

// preparedLead is a validated lead ready to be stored. Its keys may be cut
// from raw; they are not kept: upsert copies what it stores.
type preparedLead struct {
	raw        string
	externalID string
	phone      string
}

// keyTag is the tag of a lead's key in the key table: the top half of its
// hash, mixed with the account's so that the same key in two accounts lands
// apart.
func (st *store) keyTag(a *account, key string) uint32 {
	return uint32((st.hash(key) ^ a.salt) >> 32)
}

// find returns the account's lead keyed by externalID, or by phone when
// externalID is empty, or -1 and the empty slot where it would go; and the
// key's tag.
func (st *store) find(a *account, externalID, phone string) (idx int32, slot int, tag uint32) {
	key := externalID
	if key == "" {
		key = phone
	}
	tag = st.keyTag(a, key)
	t := &st.keys
	if t.slots == nil {
		return -1, 0, tag
	}
	for i := t.home(tag); ; i = t.next(i) {
		got, j, ok := t.at(i)
		if !ok {
			return -1, i, tag
		}
		if got != tag {
			continue
		}
		rec := st.leads.at(j)
		// A lead keyed by phone has no external id: the two kinds of key
		// never match each other, even when the texts are equal.
		if rec.acct != a.idx || (externalID != "") != (rec.extLen > 0) {
			continue
		}
		if (externalID != "" && st.extOf(rec) == externalID) || (externalID == "" && st.phoneOf(rec) == phone) {
			return j, i, tag
		}
	}
}

// upsert stores p in a: a lead with the same external id (or, without one,
// the same normalised phone) is replaced and its receivedCount goes up.
func (st *store) upsert(a *account, p preparedLead, now int64) {
	st.keys.reserve() // before find: a slot it returns must stay valid
	idx, slot, tag := st.find(a, p.externalID, p.phone)
	held := a.state == AccountPaused
	if idx >= 0 {
		rec := st.leads.at(idx)
		// A lead not yet in the phone index is added with its phone of then.
		moved := idx < st.phonesUpTo && st.phoneOf(rec) != p.phone
		if moved {
			st.unlinkPhone(idx) // by the old phone: before the bytes change
		}
		st.data.release(rec.size())
		st.write(rec, p)
		rec.lastSeen = now
		rec.received++
		rec.held = rec.held || held
		if moved {
			st.linkPhone(idx)
		}
		if st.data.wasteful() {
			st.compact()
		}
		return
	}
	idx = st.leads.add(leadRecord{
		acct: a.idx, acctPrev: a.last, phoneNext: -1,
		firstSeen: now, lastSeen: now, received: 1, status: statusActive, held: held,
	})
	st.write(st.leads.at(idx), p)
	st.keys.put(slot, tag, idx)
	a.last = idx
	a.count++
}

// write copies p's bytes into the arena for rec: the raw JSON, then each
// key that was not cut from it.
func (st *store) write(rec *leadRecord, p preparedLead) {
	n := len(p.raw)
	extOff, extIn := offsetIn(p.raw, p.externalID)
	if !extIn {
		extOff, n = n, n+len(p.externalID)
	}
	phoneOff, phoneIn := offsetIn(p.raw, p.phone)
	if !phoneIn {
		phoneOff, n = n, n+len(p.phone)
	}
	chunk, off, dst := st.data.alloc(n)
	copy(dst, p.raw)
	copy(dst[extOff:], p.externalID)
	copy(dst[phoneOff:], p.phone)
	rec.chunk, rec.off, rec.rawLen = chunk, off, uint32(len(p.raw))
	rec.extOff, rec.extLen = uint32(extOff), uint32(len(p.externalID))
	rec.phoneOff, rec.phoneLen = uint32(phoneOff), uint16(len(p.phone))
}

// compact copies every lead's bytes into new chunks, leaving the replaced
// versions behind. Views of the old chunks stay valid: they are dropped,
// not reused.
func (st *store) compact() {
	old := st.data
	st.data = arena{chunkSize: old.chunkSize}
	for i := range int32(st.leads.len()) {
		rec := st.leads.at(i)
		n := rec.size()
		chunk, off, dst := st.data.alloc(n)
		copy(dst, old.bytes(rec.chunk, rec.off, n))
		rec.chunk, rec.off = chunk, off
	}
}

// indexPhones adds the leads received since the last call to the phone
// index.
func (st *store) indexPhones() {
	for ; int(st.phonesUpTo) < st.leads.len(); st.phonesUpTo++ {
		st.linkPhone(st.phonesUpTo)
	}
}

// linkPhone puts lead idx at the head of its phone's chain.
func (st *store) linkPhone(idx int32) {
	rec := st.leads.at(idx)
	h := st.hash(st.phoneOf(rec))
	head, ok := st.phones[h]
	if !ok {
		head = -1
	}
	rec.phoneNext = head
	st.phones[h] = idx
}

// unlinkPhone takes lead idx out of the chain of its current phone. The
// chain is walked from its head: it holds the leads sharing the phone.
func (st *store) unlinkPhone(idx int32) {
	rec := st.leads.at(idx)
	h := st.hash(st.phoneOf(rec))
	prev := int32(-1)
	for i := st.phones[h]; i != idx; i = st.leads.at(i).phoneNext {
		prev = i
	}
	switch {
	case prev >= 0:
		st.leads.at(prev).phoneNext = rec.phoneNext
	case rec.phoneNext >= 0:
		st.phones[h] = rec.phoneNext
	default:
		delete(st.phones, h)
	}
	rec.phoneNext = -1
}

// unsubscribePhone unsubscribes every lead with that phone in every account.
func (st *store) unsubscribePhone(phone string) int {
	st.indexPhones()
	head, ok := st.phones[st.hash(phone)]
	if !ok {
		return 0
	}
	n := 0
	for i := head; i >= 0; {
		rec := st.leads.at(i)
		if st.phoneOf(rec) == phone {
			rec.status = statusUnsubscribed
			n++
		}
		i = rec.phoneNext
	}
	return n
}

// eachLead calls fn for every lead of a, latest first.
func (st *store) eachLead(a *account, fn func(*leadRecord)) {
	for i := a.last; i >= 0; {
		rec := st.leads.at(i)
		fn(rec)
		i = rec.acctPrev
	}
}

// lead finds a lead by account and external id, or returns a 404.
func (st *store) lead(accountID, externalID string) (*leadRecord, error) {
	a, err := st.account(accountID)
	if err != nil {
		return nil, err
	}
	idx := int32(-1)
	if externalID != "" { // an empty id would look the phone "" up
		idx, _, _ = st.find(a, externalID, "")
	}
	if idx < 0 {
		return nil, notFound("lead %q not found in account %s", externalID, quoteID(accountID))
	}
	return st.leads.at(idx), nil
}

// leadView is a record with its account and JSON, taken under the lock and
// expanded outside it.
type leadView struct {
	rec     leadRecord
	account string
	raw     string // a view of the arena: written bytes never change
}

func (st *store) view(rec *leadRecord) leadView {
	return leadView{rec: *rec, account: st.order[rec.acct].id, raw: st.rawOf(rec)}
}

// storedLead expands a view for inspection.
func (v *leadView) storedLead() (StoredLead, error) {
	out := StoredLead{
		AccountID:     v.account,
		Status:        v.rec.status.String(),
		ReceivedCount: int(v.rec.received),
		Held:          v.rec.held,
		FirstReceived: time.Unix(0, v.rec.firstSeen).UTC(),
		LastReceived:  time.Unix(0, v.rec.lastSeen).UTC(),
	}
	if err := json.Unmarshal([]byte(v.raw), &out.Lead); err != nil {
		return StoredLead{}, fmt.Errorf("sandbox: decode stored lead: %w", err)
	}
	return out, nil
}
