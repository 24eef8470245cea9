package store

import (
	"context"
	"testing"
)

// BenchmarkOutboxWalk is the kiosk's side of a sync, per batch of 500:
// read the next 500 pending responses after a cursor (PendingAfter) and
// mark them synced (MarkSynced, one durable transaction), over a store that
// starts with benchWarm pending responses.
//
//	go test -run '^$' -bench OutboxWalk -benchtime 18x ./app/store
func BenchmarkOutboxWalk(b *testing.B) {
	const batch = 500
	ctx := context.Background()
	s := benchStore(b)
	if b.N*batch > benchWarm {
		b.Skipf("needs %d rows; run with -benchtime %dx at most", b.N*batch, benchWarm/batch)
	}
	var after int64
	var read, marked int
	ids := make([]string, 0, batch)
	for b.Loop() {
		page, err := s.PendingAfter(ctx, after, batch)
		if err != nil {
			b.Fatal(err)
		}
		ids = ids[:0]
		for _, o := range page {
			ids = append(ids, o.Response.ID)
		}
		if err := s.MarkSynced(ctx, ids); err != nil {
			b.Fatal(err)
		}
		after = page[len(page)-1].Seq
		read += len(page)
		marked += len(ids)
	}
	if read != b.N*batch || marked != read {
		b.Fatalf("read %d, marked %d", read, marked)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(read), "µs/response")
}
