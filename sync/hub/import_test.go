package hub_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// bundle writes items as a bundle of device.
func bundle(t *testing.T, device string, items []protocol.Item) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := protocol.NewBundleWriter(&buf, protocol.BundleHeader{DeviceID: device, CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if err := w.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportBundle(t *testing.T) {
	s, d := setup(t)
	var items []protocol.Item
	for range 1203 {
		items = append(items, d.Sign(t, resp(t)))
	}
	bad := d.Sign(t, resp(t))
	bad.Signature[3] ^= 1
	items = append(items, bad)
	data := bundle(t, d.ID, items)

	rep, err := s.Hub.Import(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Batches != 3 || rep.Outcomes[protocol.Accepted] != 1203 || rep.Outcomes[protocol.Rejected] != 1 ||
		len(rep.Rejected) != 1 || rep.Rejected[0].Reason != protocol.ReasonBadSignature {
		t.Errorf("first import: %+v", rep)
	}
	// Replayed bundle: all duplicate, nothing changes.
	rep, err = s.Hub.Import(context.Background(), bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcomes[protocol.Duplicate] != 1203 || rep.Outcomes[protocol.Accepted] != 0 || rep.Outcomes[protocol.Rejected] != 1 {
		t.Errorf("replayed import: %+v, want 1203 duplicates", rep.Outcomes)
	}
	if n := countRows(t, s); n != 1203 {
		t.Errorf("%d rows, want 1203", n)
	}
	// The laptop later gets a network: the hub says duplicate, the kiosk marks synced.
	if got := upload(t, s, d, items[:10]...); got[0].Outcome != protocol.Duplicate || got[9].Outcome != protocol.Duplicate {
		t.Errorf("upload after bundle: %+v", got[:2])
	}
}

func TestImportRefusals(t *testing.T) {
	s, d := setup(t)
	other := s.Enroll(t, "Kiosk 2", "Xã Sóc Sơn")
	r := resp(t)
	it := d.Sign(t, r)

	// An item of another device inside d's bundle.
	foreign := other.Sign(t, resp(t))
	var buf bytes.Buffer
	w, _ := protocol.NewBundleWriter(&buf, protocol.BundleHeader{DeviceID: d.ID})
	w.Add(it)
	w.Close()
	// BundleWriter refuses foreign items, so splice one in by hand.
	mixed := bytes.Replace(buf.Bytes(), []byte(`{"batch":{"items":[`), append([]byte(`{"batch":{"items":[`), append(mustJSON(t, foreign), ',')...), 1)
	mixed = bytes.Replace(mixed, []byte(`"items":1}`), []byte(`"items":2}`), 1)
	rep, err := s.Hub.Import(context.Background(), bytes.NewReader(mixed))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Outcomes[protocol.Rejected] != 1 || rep.Rejected[0].Reason != protocol.ReasonDeviceMismatch || rep.Outcomes[protocol.Accepted] != 1 {
		t.Errorf("mixed bundle: %+v", rep)
	}

	// Unknown device.
	stranger := &hubtest.Device{ID: "dev-unknown", Key: d.Key}
	rep, err = s.Hub.Import(context.Background(), bytes.NewReader(bundle(t, stranger.ID, []protocol.Item{stranger.Sign(t, resp(t))})))
	if err != nil || rep.Outcomes[protocol.Rejected] != 1 || rep.Rejected[0].Reason != protocol.ReasonUnknownDevice {
		t.Errorf("unknown device: %+v %v", rep, err)
	}

	// Revoked device: its new items are refused, its earlier ones stay.
	if err := s.Store.RevokeDevice(context.Background(), other.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	rep, err = s.Hub.Import(context.Background(), bytes.NewReader(bundle(t, other.ID, []protocol.Item{other.Sign(t, resp(t))})))
	if err != nil || rep.Outcomes[protocol.Rejected] != 1 || rep.Rejected[0].Reason != protocol.ReasonDeviceRevoked {
		t.Errorf("revoked device: %+v %v", rep, err)
	}

	// A cut copy: whole batches before the cut are imported, the error says truncated.
	var many []protocol.Item
	for range 600 {
		many = append(many, d.Sign(t, resp(t)))
	}
	full := bundle(t, d.ID, many)
	cut := full[:bytes.LastIndex(full, []byte(`{"end"`))]
	rep, err = s.Hub.Import(context.Background(), bytes.NewReader(cut))
	if !errors.Is(err, protocol.ErrTruncated) {
		t.Errorf("cut bundle: %v, want ErrTruncated", err)
	}
	if rep.Outcomes[protocol.Accepted] != 600 {
		t.Errorf("cut bundle imported %+v, want the 600 whole items", rep.Outcomes)
	}
	if _, err := s.Hub.Import(context.Background(), bytes.NewReader([]byte("PK\x03\x04"))); err == nil {
		t.Error("a zip file imported")
	}
}
