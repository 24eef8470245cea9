package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

func fileCounts(t *testing.T, s hub.Store, from, to string) []hub.FileCount {
	t.Helper()
	got, err := s.FileCounts(context.Background(), from, to)
	if err != nil {
		t.Fatalf("FileCounts(%q, %q): %v", from, to, err)
	}
	return got
}

func testFileCounts(t *testing.T, s hub.Store) {
	ctx := context.Background()
	if got := fileCounts(t, s, "", ""); len(got) != 0 {
		t.Fatalf("new store: %v", got)
	}
	nfd := "Phu\u031bo\u031b\u0300ng Hoa\u0300n Kie\u0302\u0301m" // "Phường Hoàn Kiếm" decomposed
	in := []hub.FileCount{
		{Day: "2026-11-25", ServicePoint: "  " + nfd + " ", Files: 40},
		{Day: "2026-11-24", ServicePoint: "Xã Sóc Sơn", Files: 0},
		{Day: "2026-11-26", ServicePoint: "Phường Hoàn Kiếm", Files: 12},
	}
	if err := s.PutFileCounts(ctx, in, t0); err != nil {
		t.Fatal(err)
	}
	want := []hub.FileCount{
		{Day: "2026-11-24", ServicePoint: "Xã Sóc Sơn", Files: 0},
		{Day: "2026-11-25", ServicePoint: "Phường Hoàn Kiếm", Files: 40},
		{Day: "2026-11-26", ServicePoint: "Phường Hoàn Kiếm", Files: 12},
	}
	if got := fileCounts(t, s, "", ""); !slices.Equal(got, want) {
		t.Fatalf("stored %v, want %v", got, want)
	}
	if got := fileCounts(t, s, "2026-11-25", "2026-11-26"); !slices.Equal(got, want[1:2]) {
		t.Fatalf("[25, 26): %v", got)
	}
	// Recording a day again replaces it (NFC: the same point), idempotently.
	again := []hub.FileCount{{Day: "2026-11-25", ServicePoint: "Phường Hoàn Kiếm", Files: 41}}
	for range 2 {
		if err := s.PutFileCounts(ctx, again, t0); err != nil {
			t.Fatal(err)
		}
	}
	want[1].Files = 41
	if got := fileCounts(t, s, "", ""); !slices.Equal(got, want) {
		t.Fatalf("after correction %v, want %v", got, want)
	}
	// FileTotals: the same counts summed by point, a point whose days
	// hold 0 files included.
	for _, tt := range []struct {
		from, to string
		want     []hub.FileCount
	}{
		{"", "", []hub.FileCount{{ServicePoint: "Phường Hoàn Kiếm", Files: 53}, {ServicePoint: "Xã Sóc Sơn", Files: 0}}},
		{"2026-11-25", "", []hub.FileCount{{ServicePoint: "Phường Hoàn Kiếm", Files: 53}}},
		{"", "2026-11-26", []hub.FileCount{{ServicePoint: "Phường Hoàn Kiếm", Files: 41}, {ServicePoint: "Xã Sóc Sơn", Files: 0}}},
		{"2026-11-27", "", nil},
	} {
		got, err := s.FileTotals(ctx, tt.from, tt.to)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("FileTotals(%q, %q) = %v, %v; want %v", tt.from, tt.to, got, err, tt.want)
		}
	}
	// One bad count refuses the whole batch.
	for _, bad := range []hub.FileCount{
		{Day: "25/11/2026", ServicePoint: "P", Files: 1},
		{Day: "2026-11-31", ServicePoint: "P", Files: 1},
		{Day: "2026-11-27", ServicePoint: "  ", Files: 1},
		{Day: "2026-11-27", ServicePoint: "P\x00", Files: 1},
		{Day: "2026-11-27", ServicePoint: "P", Files: -1},
		{Day: "2026-11-27", ServicePoint: "P", Files: hub.MaxFiles + 1},
	} {
		batch := []hub.FileCount{{Day: "2026-11-27", ServicePoint: "Xã Sóc Sơn", Files: 9}, bad}
		if err := s.PutFileCounts(ctx, batch, t0); !errors.Is(err, hub.ErrInvalidFileCount) {
			t.Errorf("PutFileCounts(%+v) = %v, want ErrInvalidFileCount", bad, err)
		}
	}
	if got := fileCounts(t, s, "", ""); !slices.Equal(got, want) {
		t.Fatalf("after refusals %v, want %v", got, want)
	}
}
