package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

var secretRe = regexp.MustCompile(`<p class="secret" id="secret">(whsec_[A-Za-z0-9_-]+)</p>`)

// TestWebhooksPage: an admin adds a webhook and sees its secret once, the
// list and the delivery log show it without the secret, a bad form is
// refused with a message, removing it is recorded; a viewer is refused.
func TestWebhooksPage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.client(t)
	if resp := f.login(t, c, "mật khẩu tốt"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	resp, page := get(t, c, f.srv.URL+"/webhooks")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="no-webhooks"`) || !strings.Contains(page, "Cảnh báo (khi bật và khi hết)") ||
		!strings.Contains(page, `href="/webhooks"`) {
		t.Fatalf("empty page: %d\n%s", resp.StatusCode, page)
	}
	csrf := csrfOf(t, page)
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"url": {"ftp://x.example/"}, "kind": {"alert"}}, "Địa chỉ không hợp lệ"},
		{url.Values{"url": {"https://x.example/"}}, "Hãy chọn ít nhất một loại sự kiện"},
	} {
		tc.form.Set("csrf", csrf)
		resp, body := post(t, c, f.srv.URL+"/webhooks/add", tc.form)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Errorf("%v: %d, want 400 with %q", tc.form, resp.StatusCode, tc.want)
		}
	}
	resp, body := post(t, c, f.srv.URL+"/webhooks/add", url.Values{"csrf": {csrf}, "url": {"https://nhan.example/hl"}, "kind": {"alert", "feedback"}})
	m := secretRe.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil || !strings.Contains(body, "Khoá chỉ hiện một lần") {
		t.Fatalf("add: %d\n%s", resp.StatusCode, body)
	}
	ws, err := f.store.Webhooks(ctx)
	if err != nil || len(ws) != 1 || ws[0].Secret != m[1] || ws[0].CreatedBy != "admin" || hub.KindList(ws[0].Kinds) != "feedback,alert" {
		t.Fatalf("stored: %+v, %v", ws, err)
	}
	ev, _ := hub.NewEvent(hub.EventAlert, f.now, nil)
	if err := f.store.Enqueue(ctx, ev); err != nil {
		t.Fatal(err)
	}
	claimed, err := f.store.ClaimDeliveries(ctx, f.now, time.Minute, 10)
	if err != nil || len(claimed) != 1 {
		t.Fatal(claimed, err)
	}
	if err := f.store.FinishDelivery(ctx, claimed[0].ID, claimed[0].Lease, hub.DeliveryResult{At: f.now, State: hub.DeliveryPending,
		NextAt: f.now.Add(30 * time.Second), Status: 503, Error: "HTTP 503 Service Unavailable"}); err != nil {
		t.Fatal(err)
	}
	// A failed delivery has a Gửi lại button, which makes it pending again.
	ev2, _ := hub.NewEvent(hub.EventFeedback, f.now, nil)
	if err := f.store.Enqueue(ctx, ev2); err != nil {
		t.Fatal(err)
	}
	c2, err := f.store.ClaimDeliveries(ctx, f.now, time.Minute, 10)
	if err != nil || len(c2) != 1 {
		t.Fatal(c2, err)
	}
	if err := f.store.FinishDelivery(ctx, c2[0].ID, c2[0].Lease, hub.DeliveryResult{At: f.now, State: hub.DeliveryFailed, Status: 410, Error: "HTTP 410 Gone"}); err != nil {
		t.Fatal(err)
	}
	_, page = get(t, c, f.srv.URL+"/webhooks")
	if strings.Count(page, `class="button alt nowrap retry"`) != 1 {
		t.Errorf("want one Gửi lại button, for the failed delivery")
	}
	if resp, _ := post(t, c, f.srv.URL+"/webhooks/retry", url.Values{"csrf": {csrf}, "id": {strconv.FormatInt(c2[0].ID, 10)}, "webhook": {ws[0].ID}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("retry: %d", resp.StatusCode)
	}
	if resp, _ := post(t, c, f.srv.URL+"/webhooks/retry", url.Values{"csrf": {csrf}, "id": {strconv.FormatInt(c2[0].ID, 10)}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("retry of a pending delivery: %d, want 404", resp.StatusCode)
	}
	if again, err := f.store.ClaimDeliveries(ctx, f.now, time.Minute, 10); err != nil || len(again) != 1 || again[0].ID != c2[0].ID || again[0].Attempts != 0 {
		t.Errorf("after Gửi lại: %+v, %v", again, err)
	}

	_, page = get(t, c, f.srv.URL+"/webhooks")
	for _, want := range []string{"https://nhan.example/hl", "Phản ánh, Cảnh báo", `<tr class="pending"`, "Chờ gửi", "HTTP 503 Service Unavailable",
		">503<", "25/11/2026 16:00"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, m[1]) {
		t.Error("the list shows the secret again")
	}
	resp, _ = post(t, c, f.srv.URL+"/webhooks/remove", url.Values{"csrf": {csrf}, "id": {ws[0].ID}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", resp.StatusCode)
	}
	if resp, _ := post(t, c, f.srv.URL+"/webhooks/remove", url.Values{"csrf": {csrf}, "id": {ws[0].ID}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("remove again: %d", resp.StatusCode)
	}
	if resp, _ := post(t, c, f.srv.URL+"/webhooks/add", url.Values{"url": {"https://x.example/"}, "kind": {"alert"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("add without CSRF: %d", resp.StatusCode)
	}
	_, page = get(t, c, f.srv.URL+"/webhooks")
	if !strings.Contains(page, `id="no-webhooks"`) || !strings.Contains(page, "webhook removed") || !strings.Contains(page, "Thất bại") {
		t.Errorf("after remove:\n%s", page)
	}
	var actions []string
	for e, err := range f.store.AuditLog(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(e.Action, "webhook") {
			actions = append(actions, e.Action+" "+e.Actor)
			if strings.Contains(e.Details, m[1]) {
				t.Error("the audit log holds the secret")
			}
		}
	}
	if strings.Join(actions, "|") != "webhook_add admin|webhook_retry admin|webhook_remove admin" {
		t.Errorf("audit = %q", actions)
	}
	if _, page := get(t, c, f.srv.URL+"/audit?action=webhook_add"); !strings.Contains(page, "Thêm webhook") || !strings.Contains(page, "nhan.example") {
		t.Errorf("the audit page does not name webhook_add:\n%s", page)
	}

	if err := f.store.PutAdminAs(ctx, "xem", adminHash(t, "mật khẩu người xem"), hub.RoleViewer, time.Now()); err != nil {
		t.Fatal(err)
	}
	v := f.client(t)
	_, lp := get(t, v, f.srv.URL+"/login")
	post(t, v, f.srv.URL+"/login", url.Values{"csrf": {csrfOf(t, lp)}, "name": {"xem"}, "password": {"mật khẩu người xem"}})
	if resp, _ := get(t, v, f.srv.URL+"/webhooks"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer /webhooks: %d, want 403", resp.StatusCode)
	}
	if _, body := get(t, v, f.srv.URL+"/alerts"); strings.Contains(body, `href="/webhooks"`) {
		t.Error("a viewer's nav links the webhooks page")
	}
}

// TestAlertsPage: the alerts page lists the active alerts first with
// their figures, and shows no figure for a point under 5 answers.
func TestAlertsPage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	set := func(point string, active bool, answers, dis int) {
		t.Helper()
		a := hub.Alert{Rule: hub.RuleDissatisfiedShare, Subject: point, ServicePoint: point, Active: active, At: f.now,
			Figures: hub.AlertFigures{Window: 20, Answers: answers, Dissatisfied: dis, Threshold: 0.3}}
		if answers >= hub.MinCell {
			a.Figures.Share = float64(dis) / float64(answers)
		} else {
			a.Figures.Dissatisfied = 0
		}
		ev, _ := hub.NewEvent(hub.EventAlert, f.now, nil)
		if _, err := f.store.SetAlert(ctx, a, ev); err != nil {
			t.Fatal(err)
		}
	}
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	if _, page := get(t, c, f.srv.URL+"/alerts"); !strings.Contains(page, `id="no-alerts"`) {
		t.Errorf("empty alerts page:\n%s", page)
	}
	set("Phường Ba Đình", true, 20, 7)
	set("Xã Ba Vì", false, 3, 3)
	set("Phường Cửa Nam", false, 20, 2)
	setHelp := func(id string, active bool, waited int) {
		t.Helper()
		a := hub.Alert{Rule: hub.RuleHelpWait, Subject: id, ServicePoint: "Phường Hoàn Kiếm", Active: active, At: f.now,
			Figures: hub.AlertFigures{WaitedMinutes: waited, LimitMinutes: 15}}
		ev, _ := hub.NewEvent(hub.EventAlert, f.now, nil)
		if _, err := f.store.SetAlert(ctx, a, ev); err != nil {
			t.Fatal(err)
		}
	}
	setHelp("01938a7e-late", true, 22)
	setHelp("01938a7e-done", true, 30)
	setHelp("01938a7e-done", false, 31) // resolved: its cleared alert is not listed
	resp, page := get(t, c, f.srv.URL+"/alerts")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("alerts: %d", resp.StatusCode)
	}
	active, calm, ok := strings.Cut(page, `id="alerts-calm"`)
	if !ok {
		t.Fatalf("no calm table:\n%s", page)
	}
	if !strings.Contains(active, `<tr class="active" data-rule="dissatisfied_share" data-subject="Phường Ba Đình">`) ||
		!strings.Contains(active, "7 trên 20 câu trả lời gần nhất không hài lòng (35 %; ngưỡng 30 %)") || !strings.Contains(active, "Tỷ lệ không hài lòng") {
		t.Errorf("active table:\n%s", active)
	}
	if !strings.Contains(active, `<tr class="active" data-rule="help_request_wait" data-subject="01938a7e-late">`) ||
		!strings.Contains(active, "Yêu cầu hỗ trợ chờ lâu") || !strings.Contains(active, "Yêu cầu hỗ trợ đã chờ 22 phút (giới hạn 15 phút).") {
		t.Errorf("active table has no help wait alert:\n%s", active)
	}
	if strings.Contains(page, "01938a7e-done") {
		t.Errorf("the alerts page lists a resolved request's cleared alert")
	}
	_, body := get(t, c, f.srv.URL+"/dashboard")
	if !strings.Contains(body, `id="alert-banner"`) || !strings.Contains(body, "tại 1 điểm phục vụ: Phường Ba Đình.") {
		t.Errorf("the dashboard has no banner for the active alert")
	}
	if !strings.Contains(body, `id="help-late-banner"`) || !strings.Contains(body, "1 yêu cầu hỗ trợ dịch vụ công trực tuyến đã chờ quá lâu") {
		t.Errorf("the dashboard has no banner for the help request waiting too long")
	}
	if !strings.Contains(calm, "Xã Ba Vì") || !strings.Contains(calm, "Chưa đủ số câu trả lời để tính (dưới 5)") || strings.Contains(calm, "3 trên 3") ||
		!strings.Contains(calm, "2 trên 20") || strings.Contains(calm, "Phường Ba Đình") {
		t.Errorf("calm table:\n%s", calm)
	}
}
