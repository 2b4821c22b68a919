package adaptive_test

import (
	"testing"
	"time"

	"github.com/xonvo/xonvo-import/adaptive"
)

// BenchmarkAcquireDone is the limiter's cost per request: one Acquire and
// one Done with a latency sample, on the real clock.
func BenchmarkAcquireDone(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts adaptive.Options
	}{
		{"rate", adaptive.Options{Rate: 50}},
		{"no rate", adaptive.Options{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			l, err := adaptive.New(bc.opts)
			if err != nil {
				b.Fatal(err)
			}
			ctx := b.Context()
			o := adaptive.Outcome{Latency: 200 * time.Millisecond}
			b.ReportAllocs()
			for b.Loop() {
				tok, err := l.Acquire(ctx)
				if err != nil {
					b.Fatal(err)
				}
				tok.Done(o)
			}
		})
	}
}

// BenchmarkAcquireDoneParallel adds contention on the mutex; with Max 64
// and GOMAXPROCS goroutines nobody waits for a slot.
func BenchmarkAcquireDoneParallel(b *testing.B) {
	l, err := adaptive.New(adaptive.Options{Rate: 50, Min: 64})
	if err != nil {
		b.Fatal(err)
	}
	o := adaptive.Outcome{Latency: 200 * time.Millisecond}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		ctx := b.Context()
		for pb.Next() {
			tok, err := l.Acquire(ctx)
			if err != nil {
				b.Error(err)
				return
			}
			tok.Done(o)
		}
	})
}
