package client

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// onFile runs SQL statements on a kiosk database file from outside the
// store, as someone with the file would: with the sqlite3 program when
// the machine has it, else through database/sql.
func onFile(t *testing.T, path string, stmts ...string) {
	t.Helper()
	if bin, err := exec.LookPath("sqlite3"); err == nil {
		for _, q := range stmts {
			if out, err := exec.Command(bin, path, q).CombinedOutput(); err != nil {
				t.Fatalf("sqlite3 %q: %v: %s", q, err, out)
			}
		}
		return
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%q: %v", q, err)
		}
	}
}

// saveSigned saves n responses through a Signer, as the kiosk's screens
// do, so that each is numbered and signed at save; it returns their ids.
func saveSigned(t *testing.T, st kioskStore, device string, from, n int) []string {
	t.Helper()
	ctx := context.Background()
	s, err := NewSigner(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := from; i < from+n; i++ {
		r := newResponse(t, i, device)
		if err := s.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	s.Close() // stores the signatures queued
	return ids
}

func gapsOf(t *testing.T, srv interface {
	Gaps(context.Context) ([]hub.DeviceGaps, error)
}, device string) *hub.DeviceGaps {
	t.Helper()
	gs, err := srv.Gaps(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range gs {
		if gs[i].DeviceID == device {
			return &gs[i]
		}
	}
	return nil
}

// TestDeletedBeforeSyncReported: rows deleted from a kiosk database file
// before sync are reported by the hub, per device, as the exact numbers
// it never received below the device's signed mark; a number is not
// handed out again after the newest rows are deleted; a bundle carries
// the mark too.
func TestDeletedBeforeSyncReported(t *testing.T) {
	ctx := context.Background()
	srv := startHub(t)
	path := filepath.Join(t.TempDir(), "kiosk.db")
	st := openStoreAt(t, path)
	id, err := Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Quầy 1", "Phường Hoàn Kiếm"))
	if err != nil {
		t.Fatal(err)
	}
	saveSigned(t, st, id.DeviceID, 0, 10) // numbers 1 to 10
	onFile(t, path, "DELETE FROM responses WHERE device_seq IN (3, 4, 8, 10)")
	saveSigned(t, st, id.DeviceID, 10, 1) // number 11, not 10 again

	u := New(st, Options{})
	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if s := stats(t, st); s.Synced != 7 || s.Pending != 0 || s.Rejected != 0 {
		t.Fatalf("kiosk outbox %+v, want the 7 left synced", s)
	}
	g := gapsOf(t, srv.Hub, id.DeviceID)
	want := &hub.DeviceGaps{DeviceID: id.DeviceID, From: 1, Mark: 11, Received: 7,
		Missing: []hub.SeqRange{{First: 3, Last: 4}, {First: 8, Last: 8}, {First: 10, Last: 10}}}
	if g == nil {
		t.Fatal("hub reports nothing for the device")
	}
	g.MarkAt = want.MarkAt
	if !reflect.DeepEqual(g, want) {
		t.Errorf("hub reports %+v, want %+v", g, want)
	}

	// Delete one more that is still pending, the newest; the bundle's
	// mark (11) still covers it.
	saveSigned(t, st, id.DeviceID, 11, 2) // 12, 13
	onFile(t, path, "DELETE FROM responses WHERE device_seq = 13")
	dir := t.TempDir()
	file, n, err := ExportBundle(ctx, st, dir, base)
	if err != nil || n != 1 {
		t.Fatalf("bundle: %d items, %v", n, err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := srv.Hub.Import(ctx, f); err != nil {
		t.Fatal(err)
	}
	g = gapsOf(t, srv.Hub, id.DeviceID)
	if g.Mark != 13 || g.Received != 8 || !reflect.DeepEqual(g.Missing, []hub.SeqRange{{First: 3, Last: 4}, {First: 8, Last: 8}, {First: 10, Last: 10}, {First: 13, Last: 13}}) {
		t.Errorf("after the bundle the hub reports %+v, want mark 13, 8 received, 13 missing too", g)
	}
}

// TestEditedAnswerRefused: an answer changed in the kiosk database after
// the response was signed at save is refused by the hub (bad signature),
// is not counted as received (its number is reported missing), and the
// kiosk does not sign the changed row again. A version 1 item, from a
// kiosk that does not number its responses, is still accepted.
func TestEditedAnswerRefused(t *testing.T) {
	ctx := context.Background()
	srv := startHub(t)
	path := filepath.Join(t.TempDir(), "kiosk.db")
	st := openStoreAt(t, path)
	id, err := Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Quầy 2", "Phường Cửa Nam"))
	if err != nil {
		t.Fatal(err)
	}
	ids := saveSigned(t, st, id.DeviceID, 0, 5)
	// A "not satisfied" turned into "very satisfied" behind the kiosk's back.
	onFile(t, path, `UPDATE responses SET answers = json_set(answers, '$.thai_do', json('["rhl"]')) WHERE device_seq = 3`)
	if r, err := st.Response(ctx, ids[2]); err != nil || r.Answers["thai_do"][0] != "rhl" {
		t.Fatalf("edit did not take: %+v, %v", r, err)
	}

	u := New(st, Options{})
	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	rej, err := st.RejectedItems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rej) != 1 || rej[0].ID != ids[2] || ReasonCode(rej[0].Reason) != protocol.ReasonBadSignature {
		t.Fatalf("rejected %+v, want the edited response refused with bad_signature", rej)
	}
	held := hubRows(t, srv)
	if len(held) != 4 || held[ids[2]] != nil {
		t.Errorf("hub holds %d responses (edited one: %v), want the 4 others", len(held), held[ids[2]] != nil)
	}
	g := gapsOf(t, srv.Hub, id.DeviceID)
	if g == nil || g.Mark != 5 || g.Received != 4 || !reflect.DeepEqual(g.Missing, []hub.SeqRange{{First: 3, Last: 3}}) {
		t.Errorf("hub reports %+v, want number 3 missing of 5", g)
	}
	// Sending again changes nothing: the refusal is final.
	if err := u.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if len(hubRows(t, srv)) != 4 {
		t.Error("the edited response reached the hub on the next sync")
	}

	// A version 1 kiosk: no numbers, no mark; its item is accepted and no
	// gap is reported for it.
	old := srv.Enroll(t, "Quầy cũ", "Phường Cửa Nam")
	it := old.Sign(t, newResponse(t, 50, ""))
	body, err := (&protocol.Batch{Items: []protocol.Item{it}}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	status, out := srv.Post(t, old.Token, protocol.PathBatch, body)
	var br protocol.BatchResult
	if status != http.StatusOK || json.Unmarshal(out, &br) != nil || len(br.Results) != 1 || br.Results[0].Outcome != protocol.Accepted {
		t.Fatalf("version 1 item: %d %s", status, out)
	}
	if g := gapsOf(t, srv.Hub, old.ID); g != nil {
		t.Errorf("gaps reported for a version 1 kiosk: %+v", g)
	}
}

// TestEnrolledAgainAnswersFromItsFirstNumber: a kiosk enrolled again gets a
// new device id that answers for the numbers after those assigned before,
// so what it delivered under the old id is not reported missing under the
// new one; a deletion after the new enrollment still is.
func TestEnrolledAgainAnswersFromItsFirstNumber(t *testing.T) {
	ctx := context.Background()
	srv := startHub(t)
	path := filepath.Join(t.TempDir(), "kiosk.db")
	st := openStoreAt(t, path)
	first, err := Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Quầy 1", ""))
	if err != nil {
		t.Fatal(err)
	}
	if first.SeqFrom != 1 {
		t.Fatalf("first enrollment answers from %d, want 1", first.SeqFrom)
	}
	saveSigned(t, st, first.DeviceID, 0, 3) // 1-3
	if err := New(st, Options{}).Sync(ctx); err != nil {
		t.Fatal(err)
	}
	saveSigned(t, st, first.DeviceID, 3, 1) // 4, pending when the kiosk enrolls again
	again, err := Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Quầy 1 (mới)", ""))
	if err != nil {
		t.Fatal(err)
	}
	if again.SeqFrom != 5 {
		t.Fatalf("enrolled again answers from %d, want 5", again.SeqFrom)
	}
	if id, _, _ := LoadIdentity(ctx, st); id.SeqFrom != 5 {
		t.Fatalf("stored identity answers from %d", id.SeqFrom)
	}
	saveSigned(t, st, again.DeviceID, 4, 2) // 5, 6
	onFile(t, path, "DELETE FROM responses WHERE device_seq = 6")
	if err := New(st, Options{}).Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if s := stats(t, st); s.Synced != 5 || s.Pending != 0 || s.Rejected != 0 {
		t.Fatalf("kiosk outbox %+v", s)
	}
	if g := gapsOf(t, srv.Hub, first.DeviceID); g == nil || g.Mark != 3 || len(g.Missing) != 0 {
		t.Errorf("old id: %+v, want mark 3 and no gaps", g)
	}
	g := gapsOf(t, srv.Hub, again.DeviceID)
	if g == nil || g.From != 5 || g.Mark != 6 || g.Received != 1 || !reflect.DeepEqual(g.Missing, []hub.SeqRange{{First: 6, Last: 6}}) {
		t.Errorf("new id: %+v, want numbers 5-6 with 6 missing", g)
	}
}
