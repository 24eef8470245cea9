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
