package web

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// TestBrowserWebhooksAndAlertsPages opens the webhooks page (with a
// webhook just added, its secret, and a delivery log with a failure) and
// the alerts page at 390 px and 1280 px: nothing scrolls sideways or is
// cut. HAILONG_SCREENSHOTS=1 writes them to docs/screenshots.
func TestBrowserWebhooksAndAlertsPages(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	f.now = time.Now()
	long := "https://he-thong-tiep-nhan-phan-anh.so-noi-vu.hanoi.example/api/v2/webhooks/hai-long/nhan-su-kien?nguon=trung-tam-phuc-vu-hanh-chinh-cong"
	w, err := hub.NewWebhook(long, []hub.EventKind{hub.EventResponses, hub.EventFeedback, hub.EventAlert}, "admin", f.now)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.AddWebhook(ctx, *w); err != nil {
		t.Fatal(err)
	}
	for i, st := range []hub.DeliveryState{hub.DeliveryDelivered, hub.DeliveryPending, hub.DeliveryFailed} {
		ev, _ := hub.NewEvent([]hub.EventKind{hub.EventResponses, hub.EventFeedback, hub.EventAlert}[i], f.now, i)
		if err := f.store.Enqueue(ctx, ev); err != nil {
			t.Fatal(err)
		}
		c, err := f.store.ClaimDeliveries(ctx, f.now, time.Minute, 1)
		if err != nil || len(c) != 1 {
			t.Fatal(c, err)
		}
		r := hub.DeliveryResult{At: f.now, State: st, Status: 204}
		if st != hub.DeliveryDelivered {
			r.Status, r.Error, r.NextAt = 503, "Post \"https://he-thong-tiep-nhan-phan-anh.so-noi-vu.hanoi.example/api/v2/webhooks\": HTTP 503 Service Unavailable", f.now.Add(2*time.Minute)
		}
		if err := f.store.FinishDelivery(ctx, c[0].ID, c[0].Lease, r); err != nil {
			t.Fatal(err)
		}
	}
	for i, p := range []string{"Trung tâm Phục vụ hành chính công — Chi nhánh số 1 (Hoàn Kiếm)", "Phường Ba Đình", "Xã Ba Vì"} {
		a := hub.Alert{Rule: hub.RuleDissatisfiedShare, Subject: p, ServicePoint: p, Active: i == 0, At: f.now,
			Figures: hub.AlertFigures{Window: 20, Answers: []int{20, 14, 3}[i], Dissatisfied: []int{9, 2, 0}[i], Threshold: 0.3}}
		if a.Figures.Answers >= hub.MinCell {
			a.Figures.Share = float64(a.Figures.Dissatisfied) / float64(a.Figures.Answers)
		}
		ev, _ := hub.NewEvent(hub.EventAlert, f.now, nil)
		if _, err := f.store.SetAlert(ctx, a, ev); err != nil {
			t.Fatal(err)
		}
	}
	help := hub.Alert{Rule: hub.RuleHelpWait, Subject: "01938a7e-5c1d-7000-8000-000000000501", ServicePoint: "Phường Ba Đình", Active: true,
		At: f.now, Figures: hub.AlertFigures{WaitedMinutes: 22, LimitMinutes: 15}}
	ev, _ := hub.NewEvent(hub.EventAlert, f.now, nil)
	if _, err := f.store.SetAlert(ctx, help, ev); err != nil {
		t.Fatal(err)
	}

	wd := startBrowser(t, t.TempDir())
	wd.viewport(1280, 900, false)
	wd.open(f.srv.URL + "/login")
	wd.typeInto("#name", "admin")
	wd.typeInto("#password", "mật khẩu tốt")
	wd.click("#login")
	wd.find("#overall")
	for _, size := range []struct {
		name          string
		width, height int
		mobile        bool
	}{{"390", 390, 2600, true}, {"1280", 1280, 1900, false}} {
		t.Run(size.name, func(t *testing.T) {
			wd.t = t
			wd.viewport(size.width, size.height, size.mobile)
			wd.open(f.srv.URL + "/webhooks")
			wd.typeInto("#wh_url", "https://nhan.example/hai-long")
			wd.click("#wh_submit")
			wd.find("#secret")
			var problems []string
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Errorf("webhooks page: %s", p)
			}
			shot := func(name string) {
				path := filepath.Join(t.TempDir(), name)
				if os.Getenv("HAILONG_SCREENSHOTS") != "" {
					path = filepath.Join("..", "..", "..", "docs", "screenshots", name)
				}
				wd.screenshot(path)
			}
			shot("hub-webhooks-" + size.name + ".png")
			wd.open(f.srv.URL + "/alerts")
			wd.find("#alerts-active")
			problems = nil
			wd.script(layoutProblems, &problems)
			for _, p := range problems {
				t.Errorf("alerts page: %s", p)
			}
			shot("hub-alerts-" + size.name + ".png")
		})
	}
}
