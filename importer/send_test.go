package importer

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/reports"
	"github.com/xonvo/xonvo-import/sandbox"
)

// TestSenderGivesBackBodies: a batch's joined body goes back to the pool
// once its rows are reported sent, and only when the client knows the
// transport is done reading it; the rows' payloads, cut from it, are let go
// first. A body the server refused, or one a transport may still read, is
// not given back.
func TestSenderGivesBackBodies(t *testing.T) {
	const good = `{"firstName":"A","lastName":"B","phone":"+12065550100","timestamp":"06-23-2021 22:55:23","externalId":"E1"}`
	tests := []struct {
		name       string
		payload    string
		silent     bool // a transport that reports no writes
		wantStatus reports.Status
		wantBack   bool
	}{
		{name: "sent", payload: good, wantStatus: reports.StatusSent, wantBack: true},
		{name: "refused", payload: `{"firstName":1}`, wantStatus: reports.StatusRejected},
		{name: "sent through a transport that reports no writes", payload: good, silent: true, wantStatus: reports.StatusSent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newSandbox(t, sandbox.Options{})
			var extra []client.Option
			if tt.silent {
				extra = append(extra, client.WithHTTPClient(&http.Client{Transport: handlerTransport{srv.Handler()}}))
			}
			c := newTestClient(t, srv, newFakeClock(), extra...)
			action := BulkLeads{Client: c}

			f, err := os.Create(filepath.Join(t.TempDir(), "journal"))
			require.NoError(t, err)
			j := startJournal(f)
			stop := newStopper(t.Context())
			defer stop.release()
			rec := &statusRecorder{}
			fin := &finisher{progress: &Progress{}, stop: stop}
			fin.coll = startCollector(rec, nil)
			pool := newBodyPool(4)
			s := &sender{action: action, stop: stop, fin: fin, journal: j, bodies: pool}

			it := &Item{AccountID: "18", Row: 2}
			body := append(action.Head("18"), tt.payload...)
			it.Payload = body[len(body)-len(tt.payload):]
			body = append(body, action.Tail()...)
			s.process(&batch{key: "18", items: []*Item{it}, body: body, closed: true})
			j.drain()
			_, err = fin.coll.result(1)
			require.NoError(t, err)
			require.NoError(t, j.close(true))

			assert.Equal(t, []reports.Status{tt.wantStatus}, rec.statuses)
			if !tt.wantBack {
				assert.Empty(t, pool.free, "body kept out of the pool")
				return
			}
			require.Len(t, pool.free, 1)
			back := <-pool.free
			assert.Equal(t, &body[:1][0], &back[:1][0], "the batch's own body")
			assert.Nil(t, it.Payload, "payload cut from the body let go")
		})
	}
}

// handlerTransport serves requests with h in process, calling none of
// net/http/httptrace's hooks.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// statusRecorder is a report writer that keeps the rows' statuses.
type statusRecorder struct{ statuses []reports.Status }

func (r *statusRecorder) Write(res reports.RowResult) error {
	r.statuses = append(r.statuses, res.Status)
	return nil
}
func (r *statusRecorder) Finish(reports.Summary) error { return nil }
func (r *statusRecorder) Abort() error                 { return nil }

// TestItemBlocksComeBackWhenEveryItemIsFinished: the API sink's items are
// cut from blocks that are refilled only once all their items are
// finished, whatever the order; an item cut elsewhere is left alone.
func TestItemBlocksComeBackWhenEveryItemIsFinished(t *testing.T) {
	tests := []struct {
		name     string
		release  func(items []*Item) // releases items in some order
		wantBack bool
	}{
		{name: "all in order", release: func(items []*Item) {
			for _, it := range items {
				releaseItem(it)
			}
		}, wantBack: true},
		{name: "all, last first", release: func(items []*Item) {
			for i := len(items) - 1; i >= 0; i-- {
				releaseItem(items[i])
			}
		}, wantBack: true},
		{name: "all but one", release: func(items []*Item) {
			for _, it := range items[1:] {
				releaseItem(it)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newItemBlocks(2)
			items := make([]*Item, itemBlockSize)
			for i := range items {
				items[i] = p.new(&Item{Row: i + 2, AccountID: "18"})
				require.NotNil(t, items[i].block)
				assert.Equal(t, i+2, items[i].Row, "a copy of the item")
			}
			first := items[0].block
			tt.release(items)
			if !tt.wantBack {
				assert.Empty(t, p.free)
				return
			}
			require.Len(t, p.free, 1)
			again := p.new(&Item{Row: 1000})
			assert.Same(t, &first.items[0], again, "the block given back is refilled")
			assert.Equal(t, Item{Row: 1000, block: first}, *again, "nothing of the old item is left")
			assert.Zero(t, first.done.Load())
		})
	}
	t.Run("an item cut elsewhere", func(t *testing.T) {
		releaseItem(&Item{Row: 2}) // no block: nothing to count
	})
}
