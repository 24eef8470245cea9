package hub_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// TestIngestV3: a version 3 item (with a rating slip) goes through the
// ordinary ingest beside older items, is stored with its slip, is a
// duplicate when sent again; one with a slip that is not a compact slip
// code is refused alone, as invalid.
func TestIngestV3(t *testing.T) {
	s, d := setup(t)
	c, err := slip.New(strings.NewReader("abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	sign3 := func(seq int64, code string) protocol.Item {
		r := resp(t)
		r.DeviceID = d.ID
		it, err := protocol.SignV3(d.Key, r, seq, c.Compact())
		if err != nil {
			t.Fatal(err)
		}
		it.Slip = code // a kiosk's bug or an attacker: the signature no longer matters
		return it
	}
	v3 := sign3(1, c.Compact())
	v1 := d.Sign(t, resp(t))
	grouped := sign3(2, c.String())
	junk := sign3(3, "HELLO")
	results := upload(t, s, d, v3, v1, grouped, junk)
	if results[0].Outcome != protocol.Accepted || results[1].Outcome != protocol.Accepted {
		t.Fatalf("results %+v", results)
	}
	for _, i := range []int{2, 3} {
		if results[i].Outcome != protocol.Rejected || results[i].Reason != protocol.ReasonInvalid {
			t.Errorf("item %d with slip %q: %+v, want rejected invalid", i, []protocol.Item{v3, v1, grouped, junk}[i].Slip, results[i])
		}
	}
	got, err := s.Store.Response(context.Background(), v3.Response.ID)
	if err != nil || got.Slip != c.Compact() {
		t.Fatalf("stored v3 response %+v, %v; want slip %s", got, err, c.Compact())
	}
	if got, _ := s.Store.Response(context.Background(), v1.Response.ID); got.Slip != "" {
		t.Errorf("v1 response stored with slip %q", got.Slip)
	}
	if _, err := s.Store.Response(context.Background(), junk.Response.ID); !errors.Is(err, hub.ErrNotFound) {
		t.Errorf("refused item stored: %v", err)
	}
	if again := upload(t, s, d, v3); again[0].Outcome != protocol.Duplicate {
		t.Errorf("v3 sent again: %+v", again[0])
	}
	// The same response and number sent without its slip is not the signed
	// content: refused, and the stored one stays.
	stripped := v3
	stripped.Slip = ""
	if r := upload(t, s, d, stripped); r[0].Outcome == protocol.Accepted || r[0].Outcome == protocol.Duplicate {
		t.Errorf("v3 stripped of its slip: %+v", r[0])
	}
}
