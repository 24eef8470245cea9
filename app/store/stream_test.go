package store

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// TestResponsesStreamsInBoundedMemory loads 50 000 responses (some 40 MB
// as Go values) and checks that iterating over all of them keeps the live
// heap small: rows are read one at a time, never collected.
func TestResponsesStreamsInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 50 000 rows")
	}
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "big.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const n = 50_000
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		at := start.Add(time.Duration(i) * time.Second)
		rec, err := newRecord(&survey.Response{
			ID: uuid.Must(uuid.NewV7()).String(), SurveyID: "sipas", SurveyVersion: 1,
			Answers:   survey.Answers{"tiep_can": {"hl"}, "cong_chuc": {"rhl"}, "y_kien": {fmt.Sprintf("Ý kiến số %d: cán bộ hướng dẫn tận tình, thủ tục nhanh gọn, chờ không lâu.", i)}},
			StartedAt: at, FinishedAt: at.Add(time.Minute), ServicePoint: "Một cửa", DeviceID: "k1", Lang: "vi",
			Status: survey.StatusComplete,
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.insert(ctx, tx, rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	var peak uint64
	count := 0
	var prev time.Time
	for r, err := range s.Responses(ctx, Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		if r.StartedAt.Before(prev) {
			t.Fatalf("out of order at %d", count)
		}
		prev = r.StartedAt
		count++
		if count%10_000 == 0 {
			peak = max(peak, heap())
		}
	}
	if count != n {
		t.Fatalf("streamed %d responses, want %d", count, n)
	}
	const limit = 8 << 20
	if peak > before+limit {
		t.Errorf("live heap grew by %d MB while streaming, want under %d MB", (peak-before)>>20, limit>>20)
	}
	t.Logf("live heap before %d KB, peak while streaming %d KB", before>>10, peak>>10)
}
