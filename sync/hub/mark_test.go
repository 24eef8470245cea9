package hub_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// TestUploadMark: a version 2 upload's mark is recorded after its items;
// a mark signed by another key, naming another device, or out of range
// refuses the whole batch with 400 invalid and nothing is stored; a lower
// mark later leaves the higher one.
func TestUploadMark(t *testing.T) {
	ctx := context.Background()
	s, d := setup(t)
	other := s.Enroll(t, "Kiosk 2", "")
	at := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	item := func(n int64) protocol.Item {
		r := resp(t)
		r.DeviceID = d.ID
		it, err := protocol.SignV2(d.Key, r, n)
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	post := func(m *protocol.Mark, items ...protocol.Item) (int, []byte) {
		body, err := (&protocol.Batch{Items: items, Mark: m}).Encode()
		if err != nil {
			t.Fatal(err)
		}
		return s.Post(t, d.Token, protocol.PathBatch, body)
	}
	mustMark := func(key []byte, dev string, n int64) *protocol.Mark {
		m, err := protocol.SignMark(key, dev, 1, n, at)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	badSig := mustMark(d.Key, d.ID, 9)
	badSig.Signature = bytes.Clone(badSig.Signature)
	badSig.Signature[7] ^= 1
	zero := mustMark(d.Key, d.ID, 9)
	zero.Seq = 0
	for name, m := range map[string]*protocol.Mark{
		"another key":    mustMark(other.Key, d.ID, 9),
		"another device": mustMark(other.Key, other.ID, 9),
		"bad signature":  badSig,
		"mark 0":         zero,
	} {
		t.Run(name, func(t *testing.T) {
			status, body := post(m, item(1))
			wantError(t, status, body, http.StatusBadRequest, protocol.CodeInvalid)
			if n := countRows(t, s); n != 0 {
				t.Errorf("%d responses stored from a batch with a bad mark", n)
			}
		})
	}
	if gs, _ := s.Hub.Gaps(ctx); len(gs) != 0 {
		t.Fatalf("gaps after refused marks: %+v", gs)
	}

	status, body := post(mustMark(d.Key, d.ID, 4), item(1), item(3))
	var br protocol.BatchResult
	if status != http.StatusOK || json.Unmarshal(body, &br) != nil || br.Counts()[protocol.Accepted] != 2 {
		t.Fatalf("upload: %d %s", status, body)
	}
	if status, body := post(mustMark(d.Key, d.ID, 2), item(2)); status != http.StatusOK {
		t.Fatalf("upload with a lower mark: %d %s", status, body)
	}
	gs, err := s.Hub.Gaps(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 1 || gs[0].Mark != 4 || gs[0].Received != 3 || len(gs[0].Missing) != 1 || gs[0].Missing[0].First != 4 || gs[0].Missing[0].Last != 4 || !gs[0].MarkAt.Equal(at) {
		t.Errorf("gaps %+v, want mark 4 (signed at %s) with 4 missing", gs, at)
	}
}

// TestImportBadMark: a bundle whose mark does not verify is refused
// before any batch is stored.
func TestImportBadMark(t *testing.T) {
	s, d := setup(t)
	other := s.Enroll(t, "Kiosk 2", "")
	r := resp(t)
	r.DeviceID = d.ID
	it, err := protocol.SignV2(d.Key, r, 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := protocol.SignMark(other.Key, d.ID, 1, 1, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := protocol.NewBundleWriter(&buf, protocol.BundleHeader{DeviceID: d.ID, CreatedAt: time.Now(), Mark: m})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(it); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Hub.Import(context.Background(), &buf); err == nil {
		t.Fatal("bundle with a mark signed by another key imported")
	}
	if n := countRows(t, s); n != 0 {
		t.Errorf("%d responses stored from a bundle with a bad mark", n)
	}
}
