package client

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// TestSlipResponsesReachRealHub: enrolling with a real hub stores its slip
// key; responses given with slips the hub printed travel as version 3
// items, signed at save time by the Signer or at sending time by the
// uploader, and the hub accepts them and records each slip's first use,
// beside a response without a slip.
func TestSlipResponsesReachRealHub(t *testing.T) {
	ctx := context.Background()
	srv := startHub(t)
	st := openStore(t)
	id, err := Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Quầy 1", "Phường Hoàn Kiếm"))
	if err != nil {
		t.Fatal(err)
	}
	hubKey, err := srv.Hub.SlipKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := hubKey.Public().(ed25519.PublicKey)
	if !want.Equal(id.SlipKey) {
		t.Fatalf("identity slip key %x, want the hub's %x", id.SlipKey, want)
	}
	if got, err := SlipKey(ctx, st); err != nil || !want.Equal(got) {
		t.Fatalf("stored slip key %x, %v; want %x", got, err, want)
	}
	if loaded, ok, err := LoadIdentity(ctx, st); err != nil || !ok || !want.Equal(loaded.SlipKey) {
		t.Fatalf("LoadIdentity slip key %x, %v %v", loaded.SlipKey, ok, err)
	}

	slips, err := srv.Hub.IssueSlips(ctx, "Phường Hoàn Kiếm", 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range slips {
		if !slip.Verify(want, s.Code, slip.Sign(hubKey, s.Code)) {
			t.Fatal("the stored key does not check the hub's slip signatures")
		}
	}
	signer, err := NewSigner(ctx, st.Store, nil)
	if err != nil {
		t.Fatal(err)
	}
	presigned := newResponse(t, 0, id.DeviceID)
	presigned.Slip = slips[0].Code.Compact()
	if err := signer.SaveResponse(ctx, presigned); err != nil {
		t.Fatal(err)
	}
	signer.Close() // its signature is stored
	unsigned := newResponse(t, 1, "")
	unsigned.Slip = slips[1].Code.Compact()
	plain := newResponse(t, 2, id.DeviceID)
	for _, r := range []*survey.Response{unsigned, plain} {
		if err := st.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if p, err := st.PendingAfter(ctx, 0, 10); err != nil || len(p) != 3 || p[0].Signature == nil {
		t.Fatalf("pending %+v, %v: the Signer did not sign the first", p, err)
	}

	u := New(st, Options{Interval: time.Hour})
	runUntilDrained(t, u, time.Minute)
	checkDelivered(t, srv, st, id.DeviceID, []string{presigned.ID, unsigned.ID, plain.ID})
	rows := hubRows(t, srv)
	for _, tt := range []struct {
		id, slip string
		status   hub.SlipStatus
	}{
		{presigned.ID, presigned.Slip, hub.SlipFirst},
		{unsigned.ID, unsigned.Slip, hub.SlipFirst},
		{plain.ID, "", hub.SlipNone},
	} {
		if got := rows[tt.id].Slip; got != tt.slip {
			t.Errorf("response %s at the hub: slip %q, want %q", tt.id, got, tt.slip)
		}
		code, status, err := srv.Store.ResponseSlip(ctx, tt.id)
		if err != nil || code != tt.slip || status != tt.status {
			t.Errorf("hub slip record of %s: %q %q %v; want %q %q", tt.id, code, status, err, tt.slip, tt.status)
		}
	}
}

// TestEnrollRefusesBadSlipKey: an enrollment answer whose slip key is not
// an Ed25519 public key is not a hub's, and nothing is stored.
func TestEnrollRefusesBadSlipKey(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", protocol.ContentType)
		json.NewEncoder(w).Encode(protocol.EnrollResponse{DeviceID: "dev-1", Token: "tok", SlipKey: []byte("short")})
	}))
	t.Cleanup(srv.Close)
	st := openStore(t)
	if _, err := Enroll(context.Background(), st, nil, srv.URL, "ABCDE-12345"); KindOf(err) != KindNotHub {
		t.Fatalf("Enroll = %v, want a not-a-hub error", err)
	}
	if _, ok, err := LoadIdentity(context.Background(), st); ok || err != nil {
		t.Fatalf("an identity was stored (%v, %v)", ok, err)
	}
}
