package storetest

import (
	"context"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// numbered is a stored item of dev numbered n (0: a version 1 item).
func numbered(t *testing.T, id int, dev string, n int64) hub.Incoming {
	t.Helper()
	r := Response(uuidN(id), t0.Add(time.Duration(id)*time.Minute))
	r.DeviceID = dev
	in := Incoming(t, r)
	if n > 0 {
		c, err := protocol.CanonicalV2(protocol.NewResponseV1(r), n)
		if err != nil {
			t.Fatal(err)
		}
		in.Content, in.Seq = c, n
	}
	return in
}

func mark(dev string, n int64) hub.DeviceMark {
	return hub.DeviceMark{DeviceID: dev, From: 1, Seq: n, SignedAt: t0, Signature: make([]byte, 64), ReceivedAt: t0}
}

// testGaps: the numbers from 1 to a device's mark that no stored response
// carries, per device; version 1 items, numbers above the mark and a
// number claimed twice change nothing.
func testGaps(t *testing.T, s hub.Store) {
	ctx := context.Background()
	ingest(t, s,
		numbered(t, 1, "dev-a", 1), numbered(t, 2, "dev-a", 2), numbered(t, 3, "dev-a", 5),
		numbered(t, 4, "dev-a", 5),                              // a second response claiming 5
		numbered(t, 5, "dev-a", 8), numbered(t, 6, "dev-a", 12), // 12 is above the mark
		numbered(t, 7, "dev-a", 0), // version 1
		numbered(t, 8, "dev-b", 3),
		numbered(t, 9, "dev-c", 1), numbered(t, 10, "dev-c", 2),
		numbered(t, 11, "dev-d", 4),                              // no mark: not reported
		numbered(t, 12, "dev-f", 2), numbered(t, 13, "dev-f", 6), // enrolled again: answers from 5
	)
	if gs, err := s.Gaps(ctx); err != nil || len(gs) != 0 {
		t.Fatalf("Gaps before any mark = %+v, %v; want none", gs, err)
	}
	again := mark("dev-f", 8)
	again.From = 5
	for _, m := range []hub.DeviceMark{mark("dev-a", 10), mark("dev-b", 3), mark("dev-c", 2), mark("dev-e", 2), again} {
		if err := s.RecordMark(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Gaps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []hub.DeviceGaps{
		{DeviceID: "dev-a", From: 1, Mark: 10, MarkAt: t0, Received: 4, Missing: []hub.SeqRange{{First: 3, Last: 4}, {First: 6, Last: 7}, {First: 9, Last: 10}}},
		{DeviceID: "dev-b", From: 1, Mark: 3, MarkAt: t0, Received: 1, Missing: []hub.SeqRange{{First: 1, Last: 2}}},
		{DeviceID: "dev-c", From: 1, Mark: 2, MarkAt: t0, Received: 2},
		{DeviceID: "dev-e", From: 1, Mark: 2, MarkAt: t0, Received: 0, Missing: []hub.SeqRange{{First: 1, Last: 2}}},
		{DeviceID: "dev-f", From: 5, Mark: 8, MarkAt: t0, Received: 1, Missing: []hub.SeqRange{{First: 5, Last: 5}, {First: 7, Last: 8}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Gaps =\n %+v\nwant\n %+v", got, want)
	}
	if n := got[0].MissingCount(); n != 6 {
		t.Errorf("MissingCount = %d, want 6", n)
	}
}

// testMarkKeepsHighest: marks may arrive in any order and again; the
// highest stays.
func testMarkKeepsHighest(t *testing.T, s hub.Store) {
	ctx := context.Background()
	for _, n := range []int64{5, 9, 7, 9} {
		if err := s.RecordMark(ctx, mark("dev-a", n)); err != nil {
			t.Fatal(err)
		}
	}
	gs, err := s.Gaps(ctx)
	if err != nil || len(gs) != 1 || gs[0].Mark != 9 {
		t.Fatalf("Gaps = %+v, %v; want mark 9", gs, err)
	}
	if err := s.RecordMark(ctx, mark("dev-a", 0)); err == nil {
		t.Error("RecordMark took mark 0")
	}
	above := mark("dev-a", 10)
	above.From = 11
	if err := s.RecordMark(ctx, above); err == nil {
		t.Error("RecordMark took a first number above the mark")
	}
}

// testGapsConcurrent: batches of one device's numbers stored at the same
// time, interleaved (writer k holds the numbers ≡ k mod 4) and each number
// claimed by two responses of two writers, leave no number missing and
// none counted twice, however they commit, and fail none: the store
// merges the received runs one batch after another.
func testGapsConcurrent(t *testing.T, s hub.Store) {
	ctx := context.Background()
	const writers, residues, per = 8, 4, 40
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for k := range writers {
		var batch []hub.Incoming
		for i := range per {
			n := int64(i*residues + k%residues + 1)
			batch = append(batch, numbered(t, 1000+k*per+i, "dev-a", n))
		}
		wg.Go(func() {
			for b := 0; b < len(batch); b += 5 {
				if _, err := s.Ingest(ctx, batch[b:b+5], t0); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	const last = residues * per
	if err := s.RecordMark(ctx, mark("dev-a", last+2)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Gaps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []hub.DeviceGaps{{DeviceID: "dev-a", From: 1, Mark: last + 2, MarkAt: t0, Received: last,
		Missing: []hub.SeqRange{{First: last + 1, Last: last + 2}}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Gaps = %+v, want %+v", got, want)
	}
}
