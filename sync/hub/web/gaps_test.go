package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// TestDashboardGaps: the dashboard lists the devices whose numbers the hub
// never received, by name, with the missing numbers; a device without gaps
// is not listed, and with none at all the section is absent.
func TestDashboardGaps(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	f := newFixture(t, responses(t, 6, 5, day)...)
	c := f.client(t)
	if resp := f.login(t, c, "mật khẩu tốt"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	if _, page := get(t, c, f.srv.URL+"/dashboard"); strings.Contains(page, `id="gaps"`) {
		t.Fatal("gaps section shown before any mark")
	}

	// dev-1 numbered 1 to 30 and delivered 1, 2, 5 and every even number
	// from 8; dev-2 delivered all it numbered.
	var items []hub.Incoming
	add := func(dev string, n int64) {
		r := response(fmt.Sprintf("0190a5c1-0000-7000-8000-%012d", len(items)), day.Add(time.Duration(len(items))*time.Minute), nil)
		r.DeviceID = dev
		r.Answers = map[string][]string{"q1": {"hl"}}
		protocol.Normalize(r)
		content, err := protocol.CanonicalV2(protocol.NewResponseV1(r), n)
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, hub.Incoming{Response: r, Content: content, Signature: []byte("sig"), Seq: n})
	}
	for _, n := range []int64{1, 2, 5} {
		add("dev-1", n)
	}
	for n := int64(8); n <= 80; n += 2 {
		add("dev-1", n)
	}
	add("dev-2", 1)
	if _, err := f.store.Ingest(ctx, items, day); err != nil {
		t.Fatal(err)
	}
	for dev, m := range map[string]int64{"dev-1": 81, "dev-2": 1} {
		if err := f.store.RecordMark(ctx, hub.DeviceMark{DeviceID: dev, From: 1, Seq: m, SignedAt: day, Signature: make([]byte, 64), ReceivedAt: day}); err != nil {
			t.Fatal(err)
		}
	}
	resp, page := get(t, c, f.srv.URL+"/dashboard")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", resp.StatusCode)
	}
	i := strings.Index(page, `id="gaps"`)
	if i < 0 {
		t.Fatalf("no gaps section:\n%s", page)
	}
	section := page[i : i+strings.Index(page[i:], "</section>")]
	tr, err := i18n.New("sync", "vi")
	if err != nil {
		t.Fatal(err)
	}
	// 3-4, 6-7, then 9, 11, ... 79 (36 runs), then 81: 39 runs, 20 shown.
	for _, want := range []string{tr.T("sync.gaps.title"), "Kiosk tầng 1", "dev-1", "Phường Ba Đình",
		">81<", ">40<", ">41<", "3-4, 6-7, 9, 11, 13", "và 19 đoạn nữa"} {
		if !strings.Contains(section, want) {
			t.Errorf("gaps section lacks %q:\n%s", want, section)
		}
	}
	if strings.Contains(section, "Máy lưu động") || strings.Contains(section, ", 45,") {
		t.Errorf("gaps section shows a device without gaps or more than 20 runs:\n%s", section)
	}
}
