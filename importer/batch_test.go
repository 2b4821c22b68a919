package importer

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBatcherJoinsTheBody: with a body frame the batcher joins each batch's
// request body as rows come. The body must be exactly what Body builds from
// the rows, each row's payload must be cut from it (not the caller's
// buffer, which the next row overwrites), and a split half must build the
// same body as a batch of those rows would have.
func TestBatcherJoinsTheBody(t *testing.T) {
	payload := func(i, size int) string {
		return fmt.Sprintf(`{"externalId":"E%d","pad":"%s"}`, i, strings.Repeat("x", size))
	}
	tests := []struct {
		name     string
		maxRows  int
		maxBytes int
		accounts []string // account of row i, cycling
		sizes    []int    // pad of row i, cycling
		rows     int
		pooled   bool // bodies come from a pool of used ones, full of old bytes
	}{
		{name: "one account, full batches", maxRows: 4, maxBytes: 1 << 20, accounts: []string{"18"}, sizes: []int{10}, rows: 12},
		{name: "accounts interleaved, last batches part full", maxRows: 5, maxBytes: 1 << 20, accounts: []string{"18", "19", `a"b`}, sizes: []int{3}, rows: 20},
		{name: "rows outgrow the first guess (body moves)", maxRows: 6, maxBytes: 1 << 20, accounts: []string{"18"}, sizes: []int{1, 500, 2000}, rows: 13},
		{name: "closed by bytes", maxRows: 100, maxBytes: 300, accounts: []string{"18", "20"}, sizes: []int{40, 90}, rows: 17},
		{name: "used bodies from a pool", maxRows: 4, maxBytes: 1 << 20, accounts: []string{"18", "19"}, sizes: []int{10, 700}, rows: 15, pooled: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				action  BulkLeads
				batches []*batch
			)
			var pool *bodyPool
			if tt.pooled {
				pool = newBodyPool(8)
				for i := range 8 {
					pool.put([]byte(strings.Repeat("Z", 200*i))) // a used body, some too small
				}
			}
			b := newBatcher(tt.maxRows, tt.maxBytes, 1000, action, pool, func(bt *batch) { batches = append(batches, bt) })
			want := map[int64]string{}
			scratch := make([]byte, 0, 16)
			for i := range tt.rows {
				p := payload(i, tt.sizes[i%len(tt.sizes)])
				want[int64(i)] = p
				scratch = append(scratch[:0], p...) // as Encode leaves it
				b.add(&Item{seq: int64(i), AccountID: tt.accounts[i%len(tt.accounts)], Payload: scratch})
				clear(scratch) // the next row's encoding overwrites it
			}
			b.flush()

			seen := 0
			for _, bt := range batches {
				require.NotEmpty(t, bt.items)
				assert.Equal(t, string(action.Body(bt.items)), string(bt.body), "the joined body is Body's")
				var parsed map[string]map[string][]json.RawMessage
				require.NoError(t, json.Unmarshal(bt.body, &parsed), "%s", bt.body)
				assert.Len(t, parsed["leadsByAccountId"][bt.key], len(bt.items))
				for _, it := range bt.items {
					assert.Equal(t, want[it.seq], string(it.Payload), "row %d's payload", it.seq)
					seen++
				}
				if n := len(bt.items); n > 1 {
					half := bt.items[:n/2]
					var whole []string
					for _, it := range half {
						whole = append(whole, want[it.seq])
					}
					wantHalf := `{"leadsByAccountId":{` + string(mustJSON(t, bt.key)) + `:[` + strings.Join(whole, ",") + `]}}`
					assert.Equal(t, wantHalf, string(action.Body(half)), "a split half")
				}
			}
			assert.Equal(t, tt.rows, seen, "every row in exactly one batch")
		})
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// TestBatcherSizesBodiesByRecentBatches: batches that close nearly empty
// (rows spread over many accounts, closed by the window) must not each
// reserve a full batch's bytes; full batches are sized to hold their rows.
func TestBatcherSizesBodiesByRecentBatches(t *testing.T) {
	const payloadBytes = 200
	tests := []struct {
		name        string
		accounts    int
		window      int64
		rows        int
		maxCapAfter int // capacity of the last bodies, at most
		minCapAfter int // and at least
	}{
		{name: "one account: full batches of 100", accounts: 1, window: 1000, rows: 2000,
			minCapAfter: 100 * (payloadBytes + 1), maxCapAfter: 2 * 100 * (payloadBytes + 1)},
		{name: "500 accounts, a row each before the window closes them", accounts: 500, window: 10, rows: 3000,
			maxCapAfter: 16 * (payloadBytes + 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var batches []*batch
			b := newBatcher(100, 1<<20, tt.window, BulkLeads{}, nil, func(bt *batch) { batches = append(batches, bt) })
			p := []byte(`"` + strings.Repeat("x", payloadBytes-2) + `"`)
			for i := range tt.rows {
				b.add(&Item{seq: int64(i), AccountID: fmt.Sprint(18 + i%tt.accounts), Payload: p})
			}
			b.flush()
			require.Greater(t, len(batches), 10)
			for _, bt := range batches[len(batches)-5:] {
				assert.LessOrEqual(t, cap(bt.body), tt.maxCapAfter, "a body of %d rows", len(bt.items))
				assert.GreaterOrEqual(t, cap(bt.body), tt.minCapAfter)
				assert.Equal(t, string(BulkLeads{}.Body(bt.items)), string(bt.body))
			}
		})
	}
}

// TestBodyPool: the pool hands out an empty body with room for the size
// asked, a used one when it fits, and never waits: empty, it makes one (at
// least as large as any made before); full, it lets a body go.
func TestBodyPool(t *testing.T) {
	tests := []struct {
		name      string
		pool      *bodyPool
		put       [][]byte
		size      int
		wantReuse bool // the first body put comes back
		wantCap   int  // at least
	}{
		{name: "nil pool makes one", pool: nil, size: 100, wantCap: 100},
		{name: "empty pool makes one", pool: newBodyPool(2), size: 100, wantCap: 100},
		{name: "a used body that fits", pool: newBodyPool(2), put: [][]byte{make([]byte, 300, 500)}, size: 400, wantReuse: true, wantCap: 500},
		{name: "a used body too small", pool: newBodyPool(2), put: [][]byte{make([]byte, 10, 50)}, size: 400, wantCap: 400},
		{name: "a full pool lets a body go", pool: newBodyPool(1), put: [][]byte{make([]byte, 0, 500), make([]byte, 0, 900)}, size: 200, wantReuse: true, wantCap: 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, b := range tt.put {
				tt.pool.put(b)
			}
			got := tt.pool.get(tt.size)
			assert.Empty(t, got)
			assert.GreaterOrEqual(t, cap(got), tt.wantCap)
			if tt.wantReuse {
				assert.Same(t, &tt.put[0][:1][0], &got[:1][0])
			}
			if tt.pool != nil {
				assert.Empty(t, tt.pool.free, "nothing else left")
			}
		})
	}
	t.Run("new bodies are as large as the largest made", func(t *testing.T) {
		p := newBodyPool(2)
		assert.Equal(t, 900, cap(p.get(900)))
		assert.Equal(t, 900, cap(p.get(100)))
	})
}
