package sandbox

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
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
