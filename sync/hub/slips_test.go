package hub_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// TestEnrollGivesSlipKey: every kiosk gets the same slip public key at
// enrollment, the one whose private half signs slips, and a hub started
// again over the same database keeps it.
func TestEnrollGivesSlipKey(t *testing.T) {
	s := hubtest.Start(t)
	a := s.Enroll(t, "Kiosk 1", "Phường Hoàn Kiếm")
	b := s.Enroll(t, "Kiosk 2", "Xã Sóc Sơn")
	if len(a.SlipKey) != ed25519.PublicKeySize || !bytes.Equal(a.SlipKey, b.SlipKey) {
		t.Fatalf("slip keys %x and %x", a.SlipKey, b.SlipKey)
	}
	priv, err := s.Hub.SlipKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c, err := slip.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slip.Verify(a.SlipKey, c, slip.Sign(priv, c)) {
		t.Fatal("a slip signed by the hub does not verify with the enrollment key")
	}
	again := hub.New(hub.Config{Store: s.Store})
	priv2, err := again.SlipKey(context.Background())
	if err != nil || !bytes.Equal(priv, priv2) {
		t.Fatalf("a new hub over the same store has another slip key (%v)", err)
	}
}

func TestIssueSlips(t *testing.T) {
	s := hubtest.Start(t)
	ctx := context.Background()
	slips, err := s.Hub.IssueSlips(ctx, "  Phường Hoàn Kiếm ", 25)
	if err != nil {
		t.Fatal(err)
	}
	if len(slips) != 25 {
		t.Fatalf("%d slips", len(slips))
	}
	seen := map[slip.Code]bool{}
	for _, sl := range slips {
		if seen[sl.Code] || sl.BatchID != slips[0].BatchID || sl.ServicePoint != "Phường Hoàn Kiếm" {
			t.Fatalf("slip %+v", sl)
		}
		seen[sl.Code] = true
		if _, err := s.Store.Slip(ctx, sl.Code); err != nil {
			t.Fatalf("issued slip %s not stored: %v", sl.Code, err)
		}
	}
	for _, tt := range []struct {
		point string
		count int
		msg   string
	}{
		{"", 10, "empty"},
		{"P", 0, "between 1 and"},
		{"P", -3, "between 1 and"},
		{"P", hub.MaxSlipBatch + 1, "between 1 and"},
		{strings.Repeat("x", hub.MaxServicePoint+1), 1, "longer than"},
		{"P\x07", 1, "control"},
	} {
		if _, err := s.Hub.IssueSlips(ctx, tt.point, tt.count); !errors.Is(err, hub.ErrInvalidSlipBatch) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("IssueSlips(%q, %d): %v, want ErrInvalidSlipBatch saying %q", tt.point, tt.count, err, tt.msg)
		}
	}
}

func TestNewSlipBatchSkipsRepeats(t *testing.T) {
	// The same six bytes three times, then others: the repeats are skipped.
	r := bytes.NewReader([]byte("aaaaaaaaaaaaaaaaaabbbbbb"))
	slips, err := hub.NewSlipBatch("P", 2, time.Unix(0, 0), r)
	if err != nil || len(slips) != 2 || slips[0].Code == slips[1].Code {
		t.Fatalf("NewSlipBatch = %v, %v", slips, err)
	}
}

// TestUploadWithSlips: responses given with slips are all accepted; the
// first use of a printed slip counts, a second use of it (another kiosk, or
// the same) and a code the hub never printed are flagged; a redelivery
// changes nothing.
func TestUploadWithSlips(t *testing.T) {
	s, d := setup(t)
	other := s.Enroll(t, "Kiosk 2", "Phường Hoàn Kiếm")
	ctx := context.Background()
	printed, err := s.Hub.IssueSlips(ctx, "Phường Hoàn Kiếm", 2)
	if err != nil {
		t.Fatal(err)
	}
	never, err := slip.New(strings.NewReader("zzzzzz"))
	if err != nil {
		t.Fatal(err)
	}
	sign := func(dev *hubtest.Device, seq int64, code string) protocol.Item {
		r := resp(t)
		r.DeviceID = dev.ID
		var it protocol.Item
		var err error
		if code == "" {
			it, err = protocol.SignV2(dev.Key, r, seq)
		} else {
			it, err = protocol.SignV3(dev.Key, r, seq, code)
		}
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	a := printed[0].Code.Compact()
	first := sign(d, 1, a)
	none := sign(d, 2, "")
	unknown := sign(d, 3, never.Compact())
	reused := sign(other, 1, a)
	for _, up := range []struct {
		dev   *hubtest.Device
		items []protocol.Item
	}{{d, []protocol.Item{first, none, unknown}}, {other, []protocol.Item{reused}}} {
		for _, r := range upload(t, s, up.dev, up.items...) {
			if r.Outcome != protocol.Accepted {
				t.Fatalf("result %+v, want accepted", r)
			}
		}
	}
	// Delivered again: duplicates, and the first stays first.
	for _, r := range upload(t, s, d, first, none, unknown) {
		if r.Outcome != protocol.Duplicate {
			t.Fatalf("redelivery %+v, want duplicate", r)
		}
	}
	for _, tt := range []struct {
		item protocol.Item
		code string
		want hub.SlipStatus
	}{
		{first, a, hub.SlipFirst},
		{none, "", hub.SlipNone},
		{unknown, never.Compact(), hub.SlipUnknown},
		{reused, a, hub.SlipReused},
	} {
		code, st, err := s.Store.ResponseSlip(ctx, tt.item.Response.ID)
		if err != nil || code != tt.code || st != tt.want {
			t.Errorf("ResponseSlip(%s) = %q, %q, %v; want %q, %q", tt.item.Response.ID, code, st, err, tt.code, tt.want)
		}
	}
	sl, err := s.Store.Slip(ctx, printed[0].Code)
	if err != nil || sl.UsedBy != first.Response.ID || sl.UsedDevice != d.ID {
		t.Fatalf("slip after use: %+v, %v", sl, err)
	}
	if sl, err := s.Store.Slip(ctx, printed[1].Code); err != nil || sl.UsedBy != "" {
		t.Fatalf("unused slip: %+v, %v", sl, err)
	}
	stored, err := s.Store.Response(ctx, first.Response.ID)
	if err != nil || stored.Slip != a {
		t.Fatalf("stored response slip %q, %v", stored.Slip, err)
	}
}
