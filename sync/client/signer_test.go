package client

import (
	"context"
	"encoding/base64"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// storedRows reads the whole outbox.
func storedRows(t *testing.T, st kioskStore) map[string]Outgoing {
	t.Helper()
	rows, err := st.PendingAfter(context.Background(), 0, 100_000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Outgoing{}
	for _, o := range rows {
		out[o.Response.ID] = o
	}
	return out
}

func TestSignerSignsAtSaveOnceEnrolled(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	s, err := NewSigner(ctx, st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	before := newResponse(t, 0, "local-1234")
	if err := s.SaveResponse(ctx, before); err != nil {
		t.Fatal(err)
	}
	pub := enrollDirect(t, st, "http://127.0.0.1:1", "dev-9")
	notYet := newResponse(t, 1, "dev-9")
	if err := s.SaveResponse(ctx, notYet); err != nil { // identity not reloaded yet
		t.Fatal(err)
	}
	if err := s.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	after := newResponse(t, 2, "dev-9")
	after.Answers["y_kien"] = []string{"Cán bộ hướng dẫn tận tình"} // NFD/NFC and UTF-8 go through the signature
	if err := s.SaveResponse(ctx, after); err != nil {
		t.Fatal(err)
	}
	other := newResponse(t, 3, "local-1234") // stamped with another id: signed at upload
	if err := s.SaveResponse(ctx, other); err != nil {
		t.Fatal(err)
	}
	if last, err := s.LastResponse(ctx); err != nil || last.ID != other.ID {
		t.Errorf("LastResponse through the signer = %v, %v", last, err)
	}
	s.Close() // the signatures queued so far are stored
	if err := s.SaveResponse(ctx, newResponse(t, 4, "dev-9")); err != nil {
		t.Errorf("save after Close: %v", err)
	}

	rows := storedRows(t, st)
	for _, r := range []string{before.ID, notYet.ID, other.ID} {
		if rows[r].Signature != nil {
			t.Errorf("%s saved with a signature; want unsigned", r)
		}
	}
	o := rows[after.ID]
	if o.Signature == nil {
		t.Fatal("response saved by an enrolled kiosk has no signature")
	}
	// The signature made at save time verifies over the response as read
	// back from the store, which is what the uploader sends.
	// It signs the device's sequence number too (protocol version 2).
	if o.DeviceSeq < 1 {
		t.Fatalf("response saved by an enrolled kiosk has number %d", o.DeviceSeq)
	}
	if err := protocol.Verify(pub, protocol.Item{Response: protocol.NewResponseV1(o.Response), Seq: o.DeviceSeq, Signature: o.Signature}); err != nil {
		t.Errorf("stored signature does not verify: %v", err)
	}
}

// TestPresignedSync: responses signed at save time reach a real hub with
// those signatures; a numbered one whose stored signature is wrong (as
// if the row had been changed after the save) is refused for good: the
// kiosk does not sign again what it did not save.
func TestPresignedSync(t *testing.T) {
	ctx := context.Background()
	srv := startHub(t)
	path := filepath.Join(fastDir(t), "kiosk.db")
	st := openStoreAt(t, path)
	early := fill(t, st, 30, "") // before enrollment: unsigned
	id, err := Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Quầy 2", "Phường Cửa Nam"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	ids = append(ids, early...)
	// A Signer whose queue is full leaves the response to the uploader;
	// saving fewer than signQueue before each Close (which stores what is
	// queued) has every one signed at save.
	for chunk := range 7 {
		s, err := NewSigner(ctx, st, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 100 {
			r := newResponse(t, 100+100*chunk+i, id.DeviceID)
			if err := s.SaveResponse(ctx, r); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
		}
		s.Close()
	}
	// Spoil two stored signatures (flip a bit, save again under a new id).
	rows := storedRows(t, st)
	spoiled := []string{ids[40], ids[650]}
	for _, sid := range spoiled {
		o := rows[sid]
		if o.Signature == nil {
			t.Fatalf("%s not signed at save", sid)
		}
		bad := append([]byte(nil), o.Signature...)
		bad[5] ^= 1
		r := *o.Response
		r.ID = newResponse(t, 0, "").ID
		if err := st.SaveSignedResponse(ctx, &r, bad); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	signed := 0
	for _, o := range storedRows(t, st) {
		if o.Signature != nil {
			signed++
		}
	}
	if signed != 702 {
		t.Fatalf("%d rows signed at save, want 702", signed)
	}
	rec := &outcomeRecorder{next: http.DefaultTransport, seen: map[protocol.Outcome]int{}}
	u := New(st, Options{HTTP: &http.Client{Transport: rec, Timeout: 30 * time.Second}, BatchItems: 250})
	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if rec.seen[protocol.Rejected] != 2 || rec.seen[protocol.Accepted] != len(ids)-2 {
		t.Errorf("hub answered %v; want 2 bad signatures refused, the other %d accepted", rec.seen, len(ids)-2)
	}
	held := hubRows(t, srv)
	if len(held) != len(ids)-2 {
		t.Errorf("hub holds %d responses, want %d", len(held), len(ids)-2)
	}
	for _, sid := range ids[len(ids)-2:] {
		if held[sid] != nil {
			t.Errorf("hub holds %s, whose stored signature was spoiled", sid)
		}
	}
	if s := stats(t, st); s.Rejected != 2 || s.Synced != len(ids)-2 || s.Pending != 0 {
		t.Errorf("kiosk outbox %+v, want 2 rejected and the rest synced", s)
	}
}

func TestLoadIdentityRefusesDamagedKeys(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	enrollDirect(t, st, "http://127.0.0.1:1", "dev-3")
	good, _, _ := st.Setting(ctx, KeyPrivateKey)
	raw, _ := base64.StdEncoding.DecodeString(good)
	mismatched := append([]byte(nil), raw...)
	mismatched[40] ^= 1 // public half no longer the seed's
	for name, v := range map[string]string{
		"not base64":  "%%%",
		"short":       base64.StdEncoding.EncodeToString(raw[:40]),
		"public half": base64.StdEncoding.EncodeToString(mismatched),
	} {
		if err := st.SetSettings(ctx, map[string]string{KeyPrivateKey: v}); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := LoadIdentity(ctx, st); err == nil || ok || KindOf(err) != KindLocal {
			t.Errorf("%s: LoadIdentity = %v, %v; want a local error", name, ok, err)
		}
	}
	if err := st.SetSettings(ctx, map[string]string{KeyPrivateKey: good}); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := LoadIdentity(ctx, st); !ok || err != nil {
		t.Errorf("good key: %v, %v", ok, err)
	}
}
