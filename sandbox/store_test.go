package sandbox

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refLead is a lead of refStore, the obvious model the store must agree with.
type refLead struct {
	raw, ext, phone string
	received        int
	unsubscribed    bool
}

type refStore struct {
	leads map[string]*refLead // account, kind and key -> lead
	order []string
}

func refKey(acct, ext, phone string) string {
	if ext != "" {
		return acct + "\x00ext\x00" + ext
	}
	return acct + "\x00phone\x00" + phone
}

// storeOp is one step of TestStoreAgreesWithModel: an upsert, or an
// unsubscribe by phone when unsubscribe is set.
type storeOp struct {
	acct        int
	ext, phone  string
	unsubscribe bool
	cutKeys     bool // keys cut from the raw JSON, as the scanner does
}

// storeOps draws a repeatable sequence of operations over few accounts,
// external ids and phones, so that updates, phone moves and unsubscribes
// meet. An external id may equal a phone: the two kinds of key must not.
func storeOps(n int) []storeOp {
	rng := rand.New(rand.NewPCG(1, 2))
	exts := []string{"", "", "A", "B", "C", "+1333", "x\"y"}
	phones := []string{"+1333", "+1444", "+1555", "+1666"}
	ops := make([]storeOp, n)
	for i := range ops {
		ops[i] = storeOp{
			acct: rng.IntN(3), ext: exts[rng.IntN(len(exts))], phone: phones[rng.IntN(len(phones))],
			unsubscribe: rng.IntN(10) == 0, cutKeys: rng.IntN(2) == 0,
		}
		if i%7 == 0 { // many distinct leads too, to grow the key table
			ops[i].ext = fmt.Sprintf("E%d", i)
		}
	}
	return ops
}

// prepared builds the lead of op; its keys are cut from raw or not.
func (op storeOp) prepared(i int) preparedLead {
	raw := fmt.Sprintf(`{"firstName":"n%d","externalId":%q,"phone":%q}`, i, op.ext, op.phone)
	p := preparedLead{raw: raw, externalID: strings.Clone(op.ext), phone: strings.Clone(op.phone)}
	if op.cutKeys {
		// An id with a quote is escaped in raw: the scanner would decode
		// it into a string of its own.
		if at := strings.Index(raw, op.ext); op.ext != "" && at >= 0 {
			p.externalID = raw[at : at+len(op.ext)]
		}
		at := strings.LastIndex(raw, op.phone)
		p.phone = raw[at : at+len(op.phone)]
	}
	return p
}

func TestStoreAgreesWithModel(t *testing.T) {
	tests := []struct {
		name      string
		hash      func(*store) func(string) uint64
		chunkSize int
	}{
		{name: "maphash", chunkSize: defaultChunkSize},
		{name: "every key collides", hash: func(*store) func(string) uint64 { return func(string) uint64 { return 42 } }, chunkSize: defaultChunkSize},
		{name: "two hashes", hash: func(*store) func(string) uint64 {
			return func(s string) uint64 { return uint64(len(s)%2) << 63 }
		}, chunkSize: defaultChunkSize},
		{name: "tiny chunks: compaction", chunkSize: 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStore()
			if tt.hash != nil {
				st.hash = tt.hash(st)
			}
			st.data.chunkSize = tt.chunkSize
			accts := []*account{st.ensureAccount("18"), st.ensureAccount("19"), st.ensureAccount("20")}
			ref := refStore{leads: map[string]*refLead{}}
			for i, op := range storeOps(2000) {
				if op.unsubscribe {
					want := 0
					for _, l := range ref.leads {
						if l.phone == op.phone {
							l.unsubscribed = true
							want++
						}
					}
					require.Equal(t, want, st.unsubscribePhone(op.phone), "op %d: unsubscribe %s", i, op.phone)
					continue
				}
				p := op.prepared(i)
				st.upsert(accts[op.acct], p, int64(i))
				k := refKey(accts[op.acct].id, op.ext, op.phone)
				l, ok := ref.leads[k]
				if !ok {
					l = &refLead{ext: op.ext}
					ref.leads[k] = l
					ref.order = append(ref.order, k)
				}
				l.raw, l.phone = p.raw, op.phone
				l.received++
			}

			require.Equal(t, len(ref.order), st.leads.len())
			size := 0
			for _, a := range accts {
				seen := 0
				st.eachLead(a, func(rec *leadRecord) {
					seen++
					size += rec.size()
					l := ref.leads[refKey(a.id, st.extOf(rec), st.phoneOf(rec))]
					require.NotNil(t, l, "account %s holds a lead the model has not", a.id)
					assert.Equal(t, l.raw, st.rawOf(rec))
					assert.Equal(t, l.received, int(rec.received))
					assert.Equal(t, l.unsubscribed, rec.status == statusUnsubscribed)
				})
				assert.Equal(t, seen, a.leadCount(), "account %s", a.id)
			}
			assert.Equal(t, st.data.live, size, "live bytes are the leads' bytes")
			for _, k := range ref.order {
				acct, rest, _ := strings.Cut(k, "\x00")
				kind, key, _ := strings.Cut(rest, "\x00")
				a := st.accounts[acct]
				var idx int32
				if kind == "ext" {
					idx, _, _ = st.find(a, key, "")
				} else {
					idx, _, _ = st.find(a, "", key)
				}
				require.GreaterOrEqual(t, idx, int32(0), "lead %q not found", k)
				assert.Equal(t, ref.leads[k].raw, st.rawOf(st.leads.at(idx)))
			}
		})
	}
}

// TestStoreViewOutlivesCompaction: a view taken under the lock reads the
// lead as it was, whatever is stored and compacted after.
func TestStoreViewOutlivesCompaction(t *testing.T) {
	st := newStore()
	st.data.chunkSize = 8
	a := st.ensureAccount("18")
	st.upsert(a, preparedLead{raw: `{"firstName":"first"}`, externalID: "E", phone: "+1"}, 1)
	v := st.view(st.leads.at(0))
	for i := range 50 {
		st.upsert(a, preparedLead{raw: fmt.Sprintf(`{"firstName":"n%d"}`, i), externalID: "E", phone: "+1"}, 2)
	}
	assert.Less(t, st.data.dead, 50*len(`{"firstName":"n00"}`), "compaction dropped dead bytes")
	assert.Equal(t, `{"firstName":"first"}`, v.raw)
	assert.Equal(t, `{"firstName":"n49"}`, st.rawOf(st.leads.at(0)))
	assert.Equal(t, 1, st.leads.len())
}

func TestOffsetIn(t *testing.T) {
	s := "0123456789"
	tests := []struct {
		name   string
		sub    string
		want   int
		wantOK bool
	}{
		{name: "start", sub: s[:3], want: 0, wantOK: true},
		{name: "middle", sub: s[4:6], want: 4, wantOK: true},
		{name: "end", sub: s[7:], want: 7, wantOK: true},
		{name: "whole", sub: s, want: 0, wantOK: true},
		{name: "empty", sub: "", want: 0, wantOK: true},
		{name: "same text, other memory", sub: strings.Clone(s[4:6])},
		{name: "longer", sub: s + "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := offsetIn(s, tt.sub)
			assert.Equal(t, tt.wantOK, ok)
			if tt.wantOK {
				assert.Equal(t, tt.want, got)
			}
		})
	}
}

func TestKeyTableGrowsKeepingSlots(t *testing.T) {
	tests := []struct {
		name string
		tag  func(i int) uint32
	}{
		{name: "spread tags", tag: func(i int) uint32 { return uint32(i) * 0x9e3779b9 }},
		{name: "one tag", tag: func(int) uint32 { return 7 }},
		{name: "tags at the top", tag: func(i int) uint32 { return 0xffffffff - uint32(i%3) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var kt keyTable
			for i := range 300 {
				kt.reserve()
				slot := kt.home(tt.tag(i))
				for _, _, ok := kt.at(slot); ok; _, _, ok = kt.at(slot) {
					slot = kt.next(slot)
				}
				kt.put(slot, tt.tag(i), int32(i))
			}
			found := map[int32]uint32{}
			for i := range kt.slots {
				if tag, idx, ok := kt.at(i); ok {
					found[idx] = tag
				}
			}
			require.Len(t, found, 300)
			for i := range 300 {
				assert.Equal(t, tt.tag(i), found[int32(i)])
			}
			assert.LessOrEqual(t, kt.n*4, len(kt.slots)*3)
		})
	}
}

// TestUnsubscribeByPhoneAfterUpdates: the phone index is built on the first
// unsubscribe by phone; an update that moves a lead to another phone must
// count the same whether it came before or after that.
func TestUnsubscribeByPhoneAfterUpdates(t *testing.T) {
	tests := []struct {
		name        string
		earlyLookup bool // an unsubscribe before the update builds the index
	}{
		{name: "update before the index is built"},
		{name: "update after the index is built", earlyLookup: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, Options{})
			require.Equal(t, 200, send(t, srv, "POST", "/leads/bulk", bulk(map[string][]map[string]any{
				"18": {bulkLead("A", set("phone", "+1 333 111 0001")), bulkLead("B", set("phone", "+13331110001"))},
				"21": {bulkLead("A", set("phone", "+1-333-111-0001"))},
			})).status)
			if tt.earlyLookup {
				require.Equal(t, 404, send(t, srv, "PUT", "/lead/unsubscribe?phone=%2B13331110002", "").status)
			}
			require.Equal(t, 200, send(t, srv, "PUT", "/leads/bulk", bulk(map[string][]map[string]any{
				"18": {bulkLead("A", set("phone", "+1 (333) 111-0002"))},
			})).status)

			require.Equal(t, 200, send(t, srv, "PUT", "/lead/unsubscribe?phone=%2B13331110001", "").status)
			assert.Equal(t, LeadActive, findLead(t, srv, "18", "A").Status, "moved away from the phone")
			assert.Equal(t, LeadUnsubscribed, findLead(t, srv, "18", "B").Status)
			assert.Equal(t, LeadUnsubscribed, findLead(t, srv, "21", "A").Status, "other accounts too")

			require.Equal(t, 200, send(t, srv, "PUT", "/lead/unsubscribe?phone=%2B13331110002", "").status)
			assert.Equal(t, LeadUnsubscribed, findLead(t, srv, "18", "A").Status, "moved to the phone")
			assert.Equal(t, 2, findLead(t, srv, "18", "A").ReceivedCount)
		})
	}
}
