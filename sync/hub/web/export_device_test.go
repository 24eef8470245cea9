package web

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestExportNamesDevices: the export carries each device's name as the
// operator entered it at enrollment (the fixture's dev-1), and nothing for a device the hub does
// not know.
func TestExportNamesDevices(t *testing.T) {
	day := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	rs := responses(t, 3, 3, day)
	rs[2].DeviceID = "dev-unknown"
	f := newFixture(t, rs...)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	resp, body := get(t, c, f.srv.URL+"/api/v1/export?format=csv")
	if resp.StatusCode != 200 {
		t.Fatalf("export: %d %s", resp.StatusCode, body)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil || len(recs) != 4 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	id, name := slices.Index(recs[0], "device_id"), slices.Index(recs[0], "device_name")
	if id < 0 || name != id+1 {
		t.Fatalf("header %q: want device_name after device_id", recs[0])
	}
	want := map[string]string{"dev-1": "Kiosk tầng 1", "dev-unknown": ""}
	for _, r := range recs[1:] {
		if r[name] != want[r[id]] {
			t.Errorf("device %q named %q, want %q", r[id], r[name], want[r[id]])
		}
	}
}
