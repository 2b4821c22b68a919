package sandbox

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/xonvo/xonvo-import/client"
	"github.com/xonvo/xonvo-import/wire"
)

// bulkBodies encodes n bulk bodies of size leads each, all with distinct
// external ids, shaped like the importer's (every field filled).
func bulkBodies(b *testing.B, n, size int) [][]byte {
	b.Helper()
	out := make([][]byte, n)
	for i := range out {
		leads := make([]wire.Lead, size)
		for j := range leads {
			leads[j] = wire.Lead{FirstName: "John", LastName: "Smith", Phone: fmt.Sprintf("+1333%07d", i*size+j),
				State: "WA", City: "Seattle", Zip: "98121", Timestamp: "06-23-2021 22:55:23", IPAddress: "192.168.3.2",
				SourceID: "nightly", Email: "john.smith@example.com", ExternalID: fmt.Sprintf("EXT-%d-%d", i, j),
				Attributes: map[string]string{"DISCOUNT_CODE": "TR44"}}
		}
		out[i] = []byte(mustJSON(client.BulkLeads{LeadsByAccountID: map[string][]wire.Lead{"18": leads}}))
	}
	return out
}

// BenchmarkBulkHandler pushes bulk bodies of 100 and 1,000 leads through
// Handler in process, without the network; ns/lead and leads/s are the
// figures to watch (allocs/op divided by the size is allocations a lead).
func BenchmarkBulkHandler(b *testing.B) {
	for _, size := range []int{100, 1000} {
		b.Run(fmt.Sprintf("leads=%d", size), func(b *testing.B) {
			srv, err := newServer(Options{Accounts: []string{"18"}})
			if err != nil {
				b.Fatal(err)
			}
			bodies := bulkBodies(b, 64, size)
			h := srv.Handler()
			b.ReportAllocs()
			b.ResetTimer()
			i := 0
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/leads/bulk", bytes.NewReader(bodies[i%len(bodies)]))
				req.SetBasicAuth(DefaultUsername, DefaultPassword)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
				i++
			}
			leads := float64(b.N * size)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/leads, "ns/lead")
			b.ReportMetric(leads/b.Elapsed().Seconds(), "leads/s")
		})
	}
}

// BenchmarkBulkLoopback is the same over 127.0.0.1 with two senders.
func BenchmarkBulkLoopback(b *testing.B) {
	srv, err := NewServer(Options{Accounts: []string{"18"}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	const size = 1000
	bodies := bulkBodies(b, 64, size)
	hc := &http.Client{}
	b.SetParallelism(1)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			req, err := http.NewRequest(http.MethodPost, srv.URL()+"/leads/bulk", bytes.NewReader(bodies[i%len(bodies)]))
			if err != nil {
				b.Error(err)
				return
			}
			req.SetBasicAuth(DefaultUsername, DefaultPassword)
			resp, err := hc.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "leads/s")
}

// BenchmarkStoreMillion imports 1M distinct leads into 8 accounts in bulk
// requests of 100, through Handler, as the importer's loopback run does: the
// cost of growing the store's indexes only shows at this scale. It reports
// ns/lead (decode and store; the bodies are built beforehand) and
// bytes/lead (heap in use after a GC, over the empty server's). Run it with
// -benchtime=1x.
func BenchmarkStoreMillion(b *testing.B) {
	const (
		accounts = 8
		perReq   = 100
		leads    = 1_000_000
		phones   = 80_000 // as in the 1M-row test file: leads share phones
	)
	body := func(req int) []byte {
		out := []byte(`{"leadsByAccountId":{`)
		for a := range accounts {
			if a > 0 {
				out = append(out, ',')
			}
			out = fmt.Appendf(out, `"%d":[`, 18+a)
			for j := range perReq / accounts {
				n := req*perReq + a*(perReq/accounts) + j
				if j > 0 {
					out = append(out, ',')
				}
				out = fmt.Appendf(out, `{"firstName":"Lukas","lastName":"Rossi","phone":"+1206555%04d","state":"WA",`+
					`"city":"Seattle","zip":"98121","timestamp":"04-05-2024 15:06:51","ipAddress":"10.85.214.223",`+
					`"sourceId":"nightly-export","trustedFormId":"https://cert.trustedform.com/97be8454f401c19a",`+
					`"email":"lead%d@example.com","street":"9447 Main St","externalId":"EXT-%08d",`+
					`"attributes":{"ABANDONED_CART_URL":"www.shop.com/cart/65059","DISCOUNT_CODE":"TR78"}}`,
					n%phones, n, n)
			}
			out = append(out, ']')
		}
		return append(out, "}}"...)
	}
	bodies := make([][]byte, leads/perReq)
	for i := range bodies {
		bodies[i] = body(i)
	}
	var (
		ms      runtime.MemStats
		perLead float64
	)
	for b.Loop() {
		b.StopTimer()
		srv, err := newServer(Options{Accounts: []string{"18", "19", "20", "21", "22", "23", "24", "25"}})
		if err != nil {
			b.Fatal(err)
		}
		h := srv.Handler()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.HeapInuse
		b.StartTimer()
		for _, data := range bodies {
			r := httptest.NewRequest(http.MethodPost, "/leads/bulk", bytes.NewReader(data))
			r.SetBasicAuth(DefaultUsername, DefaultPassword)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&ms)
		perLead = float64(ms.HeapInuse-before) / leads
		runtime.KeepAlive(srv)
		b.StartTimer()
	}
	b.ReportMetric(perLead, "bytes/lead")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(leads*b.N), "ns/lead")
}
