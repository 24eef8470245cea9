package store_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// randomSig returns 64 random bytes with NULs and bytes that are not UTF-8
// in them, as Ed25519 signatures often have.
func randomSig(t *testing.T) []byte {
	t.Helper()
	sig := make([]byte, 64)
	rand.Read(sig)
	sig[0], sig[10], sig[63] = 0, 0xff, 0
	return sig
}

func TestPendingAfterWalksTheOutboxWithSignatures(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	var rs []*survey.Response
	sigs := map[string][]byte{}
	for i := range 7 {
		r := newResponse(t, i)
		rs = append(rs, r)
		var sig []byte
		if i%3 != 0 { // 0, 3, 6 are saved unsigned, as before enrollment
			sig = randomSig(t)
			sigs[r.ID] = sig
		}
		if err := s.SaveSignedResponse(ctx, r, sig); err != nil {
			t.Fatal(err)
		}
	}
	// Saving the same content again with another signature keeps the first.
	if err := s.SaveSignedResponse(ctx, rs[1], randomSig(t)); err != nil {
		t.Fatal(err)
	}
	// A different content under a stored id is still a conflict.
	changed := *rs[2]
	changed.Lang = "en"
	if err := s.SaveSignedResponse(ctx, &changed, randomSig(t)); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("changed content: %v, want ErrConflict", err)
	}
	if err := s.MarkSynced(ctx, []string{rs[2].ID}); err != nil {
		t.Fatal(err)
	}

	// Walk the outbox three at a time, as an uploader does.
	var got []store.Outgoing
	var after int64
	for {
		page, err := s.PendingAfter(ctx, after, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		got = append(got, page...)
		after = page[len(page)-1].Seq
	}
	want := []*survey.Response{rs[0], rs[1], rs[3], rs[4], rs[5], rs[6]} // rs[2] is synced
	if len(got) != len(want) {
		t.Fatalf("walked %d responses, want %d", len(got), len(want))
	}
	for i, it := range got {
		if it.Response.ID != want[i].ID {
			t.Errorf("item %d is %s, want %s (save order)", i, it.Response.ID, want[i].ID)
		}
		if i > 0 && it.Seq <= got[i-1].Seq {
			t.Errorf("seq %d after %d", it.Seq, got[i-1].Seq)
		}
		if !bytes.Equal(it.Signature, sigs[it.Response.ID]) {
			t.Errorf("%s: signature %x, want %x", it.Response.ID, it.Signature, sigs[it.Response.ID])
		}
		full, err := s.Response(ctx, it.Response.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !sameResponse(full, it.Response) {
			t.Errorf("%s: outbox row %+v differs from Response %+v", it.Response.ID, it.Response, full)
		}
	}

	// Dropped signatures come back nil; the rows stay pending.
	if err := s.DropSignatures(ctx, []string{rs[1].ID, rs[4].ID, "0190a5e0-0000-7000-8000-000000000000"}); err != nil {
		t.Fatal(err)
	}
	page, err := s.PendingAfter(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range page {
		want := sigs[it.Response.ID]
		if it.Response.ID == rs[1].ID || it.Response.ID == rs[4].ID {
			want = nil
		}
		if !bytes.Equal(it.Signature, want) || (want == nil) != (it.Signature == nil) {
			t.Errorf("%s: signature %x after dropping rs[1] and rs[4]", it.Response.ID, it.Signature)
		}
	}
	if len(page) != 6 {
		t.Errorf("%d pending after dropping signatures, want 6", len(page))
	}
	if _, err := s.PendingAfter(ctx, 0, 0); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("PendingAfter limit 0: %v, want ErrInvalid", err)
	}
}

func TestMarkSyncedManyAndMissing(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	var all []string
	for i := range 600 {
		r := newResponse(t, i)
		mustSave(t, s, r)
		all = append(all, r.ID)
	}
	// One unknown id among 500: nothing changes.
	bad := append(append([]string(nil), all[:499]...), "0190a5e0-0000-7000-8000-000000000000")
	err := s.MarkSynced(ctx, bad)
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("MarkSynced with an unknown id: %v, want ErrNotFound", err)
	}
	if st, _ := s.SyncStats(ctx); st.Pending != 600 {
		t.Fatalf("after a refused MarkSynced: %+v, want all 600 pending", st)
	}
	if err := s.MarkSynced(ctx, all[:500]); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.SyncStats(ctx); st != (store.SyncStats{Pending: 100, Synced: 500}) {
		t.Fatalf("after marking 500: %+v", st)
	}
	page, err := s.PendingAfter(ctx, 0, 1000)
	if err != nil || len(page) != 100 || page[0].Response.ID != all[500] {
		t.Fatalf("pending after marking 500: %d rows, %v", len(page), err)
	}
}

func TestMarkSyncedSeq(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	for i := range 20 {
		mustSave(t, s, newResponse(t, i))
	}
	page, err := s.PendingAfter(ctx, 0, 20)
	if err != nil || len(page) != 20 {
		t.Fatalf("%d rows, %v", len(page), err)
	}
	var seqs []int64
	for _, o := range page[:10] {
		seqs = append(seqs, o.Seq)
	}
	if err := s.MarkSyncedSeq(ctx, append(append([]int64(nil), seqs...), 99999)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown number: %v, want ErrNotFound", err)
	}
	if st, _ := s.SyncStats(ctx); st.Pending != 20 {
		t.Fatalf("a refused call changed the outbox: %+v", st)
	}
	if err := s.MarkSyncedSeq(ctx, seqs); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSyncedSeq(ctx, seqs[:3]); err != nil { // again: idempotent
		t.Fatalf("again: %v", err)
	}
	if st, _ := s.SyncStats(ctx); st != (store.SyncStats{Pending: 10, Synced: 10}) {
		t.Fatalf("%+v", st)
	}
	rest, err := s.PendingAfter(ctx, 0, 20)
	if err != nil || len(rest) != 10 || rest[0].Response.ID != page[10].Response.ID {
		t.Fatalf("pending after marking the first 10: %d, %v", len(rest), err)
	}
	for _, o := range page[:10] {
		if _, err := s.Response(ctx, o.Response.ID); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSetSignature(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	unsigned, signed, synced := newResponse(t, 0), newResponse(t, 1), newResponse(t, 2)
	mustSave(t, s, unsigned, synced)
	first := randomSig(t)
	if err := s.SaveSignedResponse(ctx, signed, first); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSynced(ctx, []string{synced.ID}); err != nil {
		t.Fatal(err)
	}
	sig := randomSig(t)
	for _, id := range []string{unsigned.ID, signed.ID, synced.ID, "0190a5e0-0000-7000-8000-000000000000"} {
		if err := s.SetSignature(ctx, id, sig); err != nil {
			t.Fatalf("SetSignature %s: %v", id, err)
		}
	}
	if err := s.SetSignature(ctx, unsigned.ID, nil); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty signature: %v, want ErrInvalid", err)
	}
	rows, err := s.PendingAfter(ctx, 0, 10)
	if err != nil || len(rows) != 2 {
		t.Fatalf("%d pending, %v", len(rows), err)
	}
	for _, o := range rows {
		want := sig // the unsigned one gets it
		if o.Response.ID == signed.ID {
			want = first // a stored signature is kept
		}
		if !bytes.Equal(o.Signature, want) {
			t.Errorf("%s: signature %x, want %x", o.Response.ID, o.Signature, want)
		}
	}
}
