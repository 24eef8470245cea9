package hub_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/hailong-kiosk/hailong/app/report"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// TestBatchSignatureVerification: the signatures of a batch are verified in
// chunks, together; a bad signature anywhere rejects exactly its item with
// bad_signature, and the others are stored.
func TestBatchSignatureVerification(t *testing.T) {
	s, d := setup(t)
	other := s.Enroll(t, "Kiosk 2", "Xã Sóc Sơn")
	tamper := func(it *protocol.Item) { it.Signature[5] ^= 0x01 }
	tests := []struct {
		name string
		n    int
		bad  func(i int) bool
	}{
		{"all good, full batch", protocol.MaxBatchItems, func(int) bool { return false }},
		{"one bad in the middle", protocol.MaxBatchItems, func(i int) bool { return i == 250 }},
		{"bad at chunk edges", 200, func(i int) bool { return i == 0 || i == 63 || i == 64 || i == 199 }},
		{"all bad", 130, func(int) bool { return true }},
		{"batch of one, good", 1, func(int) bool { return false }},
		{"batch of one, bad", 1, func(int) bool { return true }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := countRows(t, s)
			items := make([]protocol.Item, tc.n)
			for i := range items {
				items[i] = d.Sign(t, resp(t))
				if tc.bad(i) {
					tamper(&items[i])
				}
			}
			results := upload(t, s, d, items...)
			good := 0
			for i, r := range results {
				_, err := s.Store.Response(context.Background(), items[i].Response.ID)
				if tc.bad(i) {
					if r.Outcome != protocol.Rejected || r.Reason != protocol.ReasonBadSignature {
						t.Errorf("item %d (bad signature): %+v", i, r)
					}
					if !errors.Is(err, hub.ErrNotFound) {
						t.Errorf("item %d (bad signature) is stored (%v)", i, err)
					}
					continue
				}
				good++
				if r.Outcome != protocol.Accepted {
					t.Errorf("item %d (good): %+v", i, r)
				}
				if err != nil {
					t.Errorf("item %d (good) not stored: %v", i, err)
				}
			}
			if got := countRows(t, s) - before; got != good {
				t.Errorf("%d rows added, want %d", got, good)
			}
		})
	}

	t.Run("every rejection in one chunk", func(t *testing.T) {
		items := make([]protocol.Item, 10)
		for i := range items {
			items[i] = d.Sign(t, resp(t))
		}
		tamper(&items[1])
		items[3] = other.Sign(t, resp(t)) // signed by another device
		r := resp(t)
		r.Answers["q1"] = []string{"no-such-code"}
		items[5] = d.Sign(t, r) // good signature, bad answers
		items[7].Response.Answers["q1"] = []string{"rhl"}
		tamper(&items[8])
		want := map[int]string{
			1: protocol.ReasonBadSignature, 3: protocol.ReasonDeviceMismatch,
			5: protocol.ReasonInvalidAnswers, 7: protocol.ReasonBadSignature, 8: protocol.ReasonBadSignature,
		}
		for i, res := range upload(t, s, d, items...) {
			reason, bad := want[i]
			switch {
			case bad && (res.Outcome != protocol.Rejected || res.Reason != reason):
				t.Errorf("item %d: %+v, want rejected/%s", i, res, reason)
			case !bad && res.Outcome != protocol.Accepted:
				t.Errorf("item %d: %+v, want accepted", i, res)
			}
		}
	})
}

// TestIngestCancelled: a batch whose context ends before the commit stores
// nothing (the store's own calls do not watch the context; the items
// iterator passes the cancellation on).
func TestIngestCancelled(t *testing.T) {
	s, d := setup(t)
	dev, err := s.Hub.Authenticate(context.Background(), d.Token)
	if err != nil {
		t.Fatal(err)
	}
	items := make([]protocol.Item, 200)
	for i := range items {
		items[i] = d.Sign(t, resp(t))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Hub.IngestBatch(ctx, dev, &protocol.Batch{Items: items}); !errors.Is(err, context.Canceled) {
		t.Errorf("IngestBatch with a cancelled context: %v, want context.Canceled", err)
	}
	if n := countRows(t, s); n != 0 {
		t.Errorf("%d rows stored from a cancelled batch", n)
	}
	// The same batch goes in whole afterwards.
	res, err := s.Hub.IngestBatch(context.Background(), dev, &protocol.Batch{Items: items})
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Counts(); c[protocol.Accepted] != len(items) {
		t.Errorf("after the cancelled try: %v", c)
	}
}

// TestBadSignatureBeforeGoodCopy: a lone batch is written while its
// signatures are checked. An item with a bad signature followed by a good
// copy of the same response must end as: the bad one rejected, the copy
// accepted (the bad one was never stored, so the copy is not a duplicate);
// a bad signature on an item that also breaks the answers is reported as
// bad_signature, the protocol's first check.
func TestBadSignatureBeforeGoodCopy(t *testing.T) {
	s, d := setup(t)
	items := make([]protocol.Item, 300)
	for i := range items {
		items[i] = d.Sign(t, resp(t))
	}
	good := items[5]
	bad := protocol.Item{Response: good.Response, Signature: append([]byte(nil), good.Signature...)}
	bad.Signature[9] ^= 0x04
	items[5], items[6] = bad, good
	wrong := resp(t)
	wrong.Answers["thai_do"] = []string{"khong-co-dap-an-nay"}
	items[200] = d.Sign(t, wrong)
	items[200].Signature[40] ^= 0x01
	items[201] = d.Sign(t, wrong) // good signature, bad answers

	results := upload(t, s, d, items...)
	want := map[int]string{5: protocol.ReasonBadSignature, 200: protocol.ReasonBadSignature, 201: protocol.ReasonInvalidAnswers}
	for i, r := range results {
		if reason, refused := want[i]; refused {
			if r.Outcome != protocol.Rejected || r.Reason != reason {
				t.Errorf("item %d: %+v, want rejected/%s", i, r, reason)
			}
			continue
		}
		if r.Outcome != protocol.Accepted {
			t.Errorf("item %d: %+v, want accepted", i, r)
		}
	}
	if n := countRows(t, s); n != 297 { // 300 items, 298 ids (5/6 and 200/201 share one); 200/201 refused
		t.Errorf("hub holds %d rows, want 297", n)
	}
}

// TestUploadFillsFigures: what an upload stores reaches the figures
// rollup through the hub's own checks (report.CellOf with the published
// version), once: a resend adds nothing.
func TestUploadFillsFigures(t *testing.T) {
	s, d := setup(t)
	var items []protocol.Item
	for i := range 12 {
		r := resp(t)
		if i%3 == 0 {
			r.Answers = survey.Answers{"q1": {"hl"}}
		}
		items = append(items, d.Sign(t, r))
	}
	upload(t, s, d, items...)
	upload(t, s, d, items...) // duplicates
	ctx := context.Background()
	defs, err := hub.ParsedSurveys(ctx, s.Store)
	if err != nil {
		t.Fatal(err)
	}
	got, err := report.FromCells(ctx, defs, s.Store.Figures(ctx, hub.Filter{}), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := report.Compute(ctx, defs, s.Store.Responses(ctx, hub.Filter{}), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) || got.Totals.Responses != 12 || got.Overall.Index.Suppressed {
		t.Errorf("figures after an upload: %+v\nwant %+v", got, want)
	}
}
