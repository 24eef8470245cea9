package launch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/launch/syncstore"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/sync/client"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// TestRunWithRatingSlips is the slip flow end to end, the kiosk started as
// main.go starts it: a real hub publishes a new version of the quick survey
// that requires a slip and prints slips; the kiosk enrolls (keeping the
// slip key), pulls the survey, refuses to start without a slip, takes a
// scanned slip, and its response reaches the hub as the slip's first use.
// The same slip scanned again is refused.
func TestRunWithRatingSlips(t *testing.T) {
	ctx := context.Background()
	srv := hubtest.Start(t)
	raw, err := os.ReadFile("../../assets/surveys/mot-cua-nhanh_v2.json")
	if err != nil {
		t.Fatal(err)
	}
	raw = []byte(strings.Replace(string(raw), `"version": 2,`, `"version": 3, "slip": "required",`, 1))
	if s := srv.Publish(t, raw); s.Slip != "required" {
		t.Fatalf("published slip policy %q", s.Slip)
	}
	slips, err := srv.Hub.IssueSlips(ctx, "Phường Hoàn Kiếm", 1)
	if err != nil {
		t.Fatal(err)
	}
	key, err := srv.Hub.SlipKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	qr := slip.ScanURL(srv.URL, slips[0].Code, slip.Sign(key, slips[0].Code))

	db := filepath.Join(t.TempDir(), "hailong.db")
	sync := func() {
		t.Helper()
		st, err := store.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if _, ok, _ := client.LoadIdentity(ctx, st); !ok {
			if _, err := client.Enroll(ctx, st, nil, srv.URL, srv.NewCode(t, "Quầy 1", "Phường Hoàn Kiếm")); err != nil {
				t.Fatal(err)
			}
		}
		if err := client.New(syncstore.New(st), client.Options{}).Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	sync() // enrolls and pulls the survey

	a := test.NewTempApp(t)
	m := &Main{Go: runNow}
	if err := m.ParseFlags([]string{"--db", db}, nil); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(ctx, a); err != nil {
		t.Fatal(err)
	}
	w := m.kiosk.Window()
	if !hasText(w, "quét mã QR trên phiếu đánh giá") {
		t.Fatal("the welcome screen does not ask for a slip")
	}
	tapText(t, w, "Bắt đầu đánh giá")
	if !hasText(w, "Khảo sát này cần phiếu đánh giá") {
		t.Fatal("the survey started without a slip")
	}
	tapText(t, w, "Quay lại")
	scan := func() {
		test.TypeOnCanvas(w.Canvas(), qr)
		w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	}
	scan()
	if !hasText(w, "Đã nhận phiếu "+slips[0].Code.String()) {
		t.Fatal("the scanned slip was not taken")
	}
	tapText(t, w, "Bắt đầu đánh giá")
	for range 3 {
		tapText(t, w, "Hài lòng")
		tapText(t, w, "Tiếp theo")
	}
	tapText(t, w, "Hoàn thành")
	if !hasText(w, "Xin cảm ơn") {
		t.Fatal("thank-you screen not shown after saving")
	}
	tapText(t, w, "Về màn hình đầu")
	scan()
	if !hasText(w, "Phiếu này đã được dùng") {
		t.Fatal("the slip was taken twice")
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	sync() // uploads the response
	slipped := ""
	for r, err := range srv.Store.Responses(ctx, hub.Filter{}) {
		if err != nil {
			t.Fatal(err)
		}
		if r.Slip != "" {
			slipped = r.ID
		}
	}
	code, status, err := srv.Store.ResponseSlip(ctx, slipped)
	if err != nil || code != slips[0].Code.Compact() || status != hub.SlipFirst {
		t.Fatalf("hub holds response %q with slip %q %q (%v); want %s, first use", slipped, code, status, err, slips[0].Code.Compact())
	}
}
