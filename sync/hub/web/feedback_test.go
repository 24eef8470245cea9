package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hailong-kiosk/hailong/sync/feedback"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// feedbackFixture is the dashboard fixture holding two cases received
// two days before its clock: one about procedures at Phường Ba Đình and
// one misconduct report, sealed to the hub's inspection key; and a viewer
// "xem" and an inspector "thanh tra".
func feedbackFixture(t *testing.T) (f *fixture, open, sealed hub.FeedbackCase) {
	t.Helper()
	var h *hub.Hub
	f = newFixtureWith(t, func(c *Config) { h = c.Feedback.(*hub.Hub) })
	ctx := context.Background()
	pub, _, err := h.InspectionKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(n int, cat feedback.Category, text string) hub.FeedbackCase {
		code, err := feedback.NewCode(bytes.NewReader([]byte{byte(n), 1, 2, 3, 4}))
		if err != nil {
			t.Fatal(err)
		}
		c := hub.FeedbackCase{ID: fmt.Sprintf("01938a7e-0000-7000-8000-%012d", n), Code: code.Compact(), Category: string(cat), Text: text,
			Source: "welcome", Lang: "vi", ServicePoint: "Phường Ba Đình", DeviceID: "dev-1", CreatedAt: f.now.Add(-48 * time.Hour),
			Content: []byte(text), Signature: make([]byte, 64)}
		if cat.Sealed() {
			if c.Sealed, err = feedback.Seal(pub, text); err != nil {
				t.Fatal(err)
			}
			c.Text = ""
		}
		return c
	}
	open = mk(1, feedback.CategoryProcedure, "Phải nộp bản sao hai lần")
	sealed = mk(2, feedback.CategoryMisconduct, "Bị đòi 200.000 đồng")
	if _, err := f.store.IngestFeedback(ctx, []hub.FeedbackCase{open, sealed}, f.now.Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]hub.Role{"xem": hub.RoleViewer, "thanh tra": hub.RoleInspector} {
		if err := f.store.PutAdminAs(ctx, name, adminHash(t, "mật khẩu "+name), role, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	return f, open, sealed
}

// loginAs logs c in as name (whose password is "mật khẩu " + name, or the
// fixture's admin's).
func (f *fixture) loginAs(t *testing.T, c *http.Client, name string) {
	t.Helper()
	password := "mật khẩu " + name
	if name == "admin" {
		password = "mật khẩu tốt"
	}
	_, page := get(t, c, f.srv.URL+"/login")
	if resp, _ := post(t, c, f.srv.URL+"/login", url.Values{"csrf": {csrfOf(t, page)}, "name": {name}, "password": {password}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: %d", name, resp.StatusCode)
	}
}

func auditOf(t *testing.T, f *fixture, action string) []hub.AuditEntry {
	t.Helper()
	var out []hub.AuditEntry
	for e, err := range f.store.AuditLog(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// TestFeedbackInboxAdmin: the admin's inbox lists the open case, overdue in
// red, and only counts the misconduct report, whose page answers 404; the
// admin acknowledges, is refused an answer without a reply, answers
// publicly; every action is in the audit log and the public page shows
// the reply.
func TestFeedbackInboxAdmin(t *testing.T) {
	f, open, sealed := feedbackFixture(t)
	c := f.client(t)
	f.loginAs(t, c, "admin")
	resp, body := get(t, c, f.srv.URL+"/feedback")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, feedbackCode(open.Code)) || strings.Contains(body, feedbackCode(sealed.Code)) {
		t.Fatalf("admin inbox %d:\n%s", resp.StatusCode, body)
	}
	if !strings.Contains(body, `id="sealed-count">Ngoài ra có 1 phản ánh nhũng nhiễu`) {
		t.Fatal("the inbox does not count the misconduct report")
	}
	// Received two days before the clock: acknowledging was due 8 working
	// hours later, and it has not been.
	if !strings.Contains(body, `class="in_progress late"`) && !strings.Contains(body, `class="new late"`) {
		t.Fatalf("the overdue case is not shown late:\n%s", body)
	}
	if resp, _ := get(t, c, f.srv.URL+"/feedback/"+sealed.ID); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("the admin opened a misconduct report: %d", resp.StatusCode)
	}
	resp, body = get(t, c, f.srv.URL+"/feedback/"+open.ID)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Phải nộp bản sao hai lần") {
		t.Fatalf("case page %d:\n%s", resp.StatusCode, body)
	}
	csrf := csrfOf(t, body)
	act := func(form url.Values) (*http.Response, string) {
		form.Set("csrf", csrf)
		return post(t, c, f.srv.URL+"/feedback/"+open.ID, form)
	}
	if resp, _ := act(url.Values{"state": {"in_progress"}, "assignee": {"Chị Lan"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("acknowledge: %d", resp.StatusCode)
	}
	if resp, body := act(url.Values{"state": {"answered"}, "assignee": {"Chị Lan"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "cần nội dung trả lời") {
		t.Fatalf("answer without reply: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := act(url.Values{"state": {"lost"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown state: %d", resp.StatusCode)
	}
	if resp, _ := act(url.Values{"state": {"answered"}, "assignee": {"Chị Lan"}, "reply": {"Từ tháng 12 chỉ cần nộp một bản."}, "public": {"1"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d", resp.StatusCode)
	}
	got, err := f.store.FeedbackCase(context.Background(), open.ID)
	if err != nil || got.State != hub.FeedbackAnswered || got.Assignee != "Chị Lan" || !got.Public || !got.AckAt.Equal(f.now) {
		t.Fatalf("stored case %+v, %v", got, err)
	}
	if n := len(auditOf(t, f, hub.AuditFeedback)); n != 2 {
		t.Fatalf("%d feedback actions in the audit log, want 2 (refusals are not actions)", n)
	}
	pc := f.client(t) // no login
	resp, body = get(t, pc, f.srv.URL+"/f/"+open.Code)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="state">Đã trả lời`) || !strings.Contains(body, "Từ tháng 12 chỉ cần nộp một bản.") {
		t.Fatalf("public page %d:\n%s", resp.StatusCode, body)
	}
	// The figures: one answered case at Phường Ba Đình, late.
	_, body = get(t, c, f.srv.URL+"/feedback")
	if !strings.Contains(body, `<td class="name">Phường Ba Đình</td><td class="num" data-label="Đã nhận">2</td><td class="num" data-label="Đã trả lời">1</td><td class="num" data-label="Đúng hạn">1</td>`) {
		t.Fatalf("figures missing or wrong:\n%s", body)
	}
}

// TestFeedbackPublicPage: an unknown or mistyped code says so; a
// misconduct report shows its state and never a reply.
func TestFeedbackPublicPage(t *testing.T) {
	f, open, sealed := feedbackFixture(t)
	c := f.client(t)
	if _, err := f.store.UpdateFeedback(context.Background(), sealed.ID, hub.FeedbackUpdate{State: ptrState(hub.FeedbackAnswered), Reply: ptrString("Đã xử lý cán bộ"), At: f.now}); err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, c, f.srv.URL+"/f/"+strings.ToLower(sealed.Code))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Đã trả lời") || strings.Contains(body, "Đã xử lý cán bộ") {
		t.Fatalf("misconduct public page %d:\n%s", resp.StatusCode, body)
	}
	resp, body = get(t, c, f.srv.URL+"/f/"+open.Code)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="no-reply"`) || !strings.Contains(body, "Mới") {
		t.Fatalf("new case public page %d:\n%s", resp.StatusCode, body)
	}
	bad := []byte(open.Code)
	bad[0], bad[1] = bad[1], bad[0]
	if bad[0] == bad[1] {
		bad[2], bad[3] = bad[3], bad[2]
	}
	if resp, body := get(t, c, f.srv.URL+"/f/"+string(bad)); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, `id="invalid"`) {
		t.Fatalf("mistyped code: %d\n%s", resp.StatusCode, body)
	}
	other, _ := feedback.NewCode(bytes.NewReader([]byte{9, 9, 9, 9, 9}))
	if resp, body := get(t, c, f.srv.URL+"/f/"+other.Compact()); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, `id="unknown"`) {
		t.Fatalf("unknown code: %d\n%s", resp.StatusCode, body)
	}
}

func ptrState(s hub.FeedbackState) *hub.FeedbackState { return &s }
func ptrString(s string) *string                      { return &s }

// TestFeedbackRoles: a viewer reads the inbox and is refused actions; an
// inspector sees only the misconduct report, reads its text (recorded in
// the audit log) and acts on it, and cannot publish its reply.
func TestFeedbackRoles(t *testing.T) {
	f, open, sealed := feedbackFixture(t)
	v := f.client(t)
	f.loginAs(t, v, "xem")
	_, body := get(t, v, f.srv.URL+"/feedback/"+open.ID)
	if !strings.Contains(body, "Tài khoản này chỉ xem") || strings.Contains(body, `id="case-form"`) {
		t.Fatalf("viewer case page:\n%s", body)
	}
	if resp, _ := post(t, v, f.srv.URL+"/feedback/"+open.ID, url.Values{"csrf": {csrfOf(t, body)}, "state": {"closed"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer action: %d, want 403", resp.StatusCode)
	}

	in := f.client(t)
	f.loginAs(t, in, "thanh tra")
	resp, body := get(t, in, f.srv.URL+"/feedback")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, feedbackCode(sealed.Code)) || strings.Contains(body, feedbackCode(open.Code)) {
		t.Fatalf("inspector inbox %d:\n%s", resp.StatusCode, body)
	}
	if resp, _ := get(t, in, f.srv.URL+"/feedback/"+open.ID); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("inspector opened a desk case: %d", resp.StatusCode)
	}
	resp, body = get(t, in, f.srv.URL+"/feedback/"+sealed.ID)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Bị đòi 200.000 đồng") || !strings.Contains(body, `<span id="role">Thanh tra</span>`) {
		t.Fatalf("inspector case page %d:\n%s", resp.StatusCode, body)
	}
	views := auditOf(t, f, hub.AuditFeedbackView)
	if len(views) != 1 || views[0].Actor != "thanh tra" || !strings.Contains(views[0].Details, sealed.ID) {
		t.Fatalf("audit of the opening: %+v", views)
	}
	csrf := csrfOf(t, body)
	if resp, _ := post(t, in, f.srv.URL+"/feedback/"+sealed.ID, url.Values{"csrf": {csrf}, "state": {"answered"}, "reply": {"x"}, "public": {"1"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("public reply to a misconduct report: %d, want 400", resp.StatusCode)
	}
	if resp, _ := post(t, in, f.srv.URL+"/feedback/"+sealed.ID, url.Values{"csrf": {csrf}, "state": {"in_progress"}, "assignee": {"Thanh tra sở"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("inspector action: %d", resp.StatusCode)
	}
	if got, err := f.store.FeedbackCase(context.Background(), sealed.ID); err != nil || got.State != hub.FeedbackInProgress {
		t.Fatalf("after the inspector's action: %+v, %v", got, err)
	}
	// The admin's page shows neither the text nor the code of the report.
	a := f.client(t)
	f.loginAs(t, a, "admin")
	if _, body := get(t, a, f.srv.URL+"/feedback"); strings.Contains(body, "200.000") || strings.Contains(body, sealed.ID) {
		t.Fatal("the admin's inbox shows the misconduct report")
	}
}

// TestDashboardFeedbackFigures: the dashboard counts the cases per service
// point, misconduct reports among them, and links to the inbox.
func TestDashboardFeedbackFigures(t *testing.T) {
	f, _, _ := feedbackFixture(t)
	c := f.client(t)
	f.loginAs(t, c, "xem")
	resp, body := get(t, c, f.srv.URL+"/dashboard")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="dash-feedback"`) ||
		!strings.Contains(body, `<td class="name">Phường Ba Đình</td><td class="num" data-label="Đã nhận">2</td><td class="num" data-label="Đã trả lời">0</td>`) {
		t.Fatalf("dashboard feedback figures %d:\n%s", resp.StatusCode, body)
	}
}

// TestFeedbackCSV: the figures download as CSV, recorded as an export.
func TestFeedbackCSV(t *testing.T) {
	f, open, _ := feedbackFixture(t)
	c := f.client(t)
	if resp, _ := get(t, c, f.srv.URL+"/feedback.csv"); resp.StatusCode == http.StatusOK {
		t.Fatal("the figures download without login")
	}
	f.loginAs(t, c, "xem")
	resp, body := get(t, c, f.srv.URL+"/feedback.csv")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(body, "Phường Ba Đình,2,0,0,\n") || !strings.HasPrefix(body, "\ufeffĐiểm phục vụ,") {
		t.Fatalf("csv %d %q", resp.StatusCode, body)
	}
	if n := len(auditOf(t, f, hub.AuditExport)); n != 1 {
		t.Fatalf("%d exports in the audit log, want 1", n)
	}
	// One answered case: counted, but its median is a small cell.
	answered, reply := hub.FeedbackAnswered, "Đã sửa quy trình."
	if _, err := f.store.UpdateFeedback(context.Background(), open.ID, hub.FeedbackUpdate{State: &answered, Reply: &reply, At: f.now}); err != nil {
		t.Fatal(err)
	}
	if _, body := get(t, c, f.srv.URL+"/feedback.csv"); !strings.Contains(body, "Phường Ba Đình,2,1,1,< 5\n") {
		t.Fatalf("csv with one answered case: %q", body)
	}
}

// TestFeedbackInXLSX: the XLSX Summary carries the feedback table of the
// cases received in the exported period, misconduct reports counted; the
// on-time share and the median are "< 5" under 5 answered cases; a
// period before every case has no feedback table.
func TestFeedbackInXLSX(t *testing.T) {
	f, open, _ := feedbackFixture(t)
	answered, reply := hub.FeedbackAnswered, "Đã sửa quy trình."
	if _, err := f.store.UpdateFeedback(context.Background(), open.ID, hub.FeedbackUpdate{State: &answered, Reply: &reply, At: f.now}); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	f.loginAs(t, c, "admin")
	table := func(query string) map[string]string {
		t.Helper()
		resp, err := c.Get(f.srv.URL + "/api/v1/export?format=xlsx" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		x, err := excelize.OpenReader(resp.Body)
		if err != nil {
			t.Fatalf("export %s: %d, %v", query, resp.StatusCode, err)
		}
		got := map[string]string{}
		in := false
		for _, sheet := range x.GetSheetList() {
			rows, err := x.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if in {
				break // the table ends with its sheet
			}
			for _, r := range rows {
				switch {
				case len(r) > 0 && r[0] == "Phản ánh, kiến nghị: đã nhận và trả lời":
					in = true
				case in && len(r) > 1:
					got[r[0]] = strings.Join(r[1:], " | ")
				}
			}
		}
		if !in {
			return nil
		}
		return got
	}
	got := table("")
	for name, want := range map[string]string{
		"Phường Ba Đình": "2 | 1 | 1 | < 5 | < 5",
		"Tổng":           "2 | 1 | 1 | < 5 | < 5",
	} {
		if got[name] != want {
			t.Errorf("%s: %q, want %q (%v)", name, got[name], want, got)
		}
	}
	if got := table("&to=2026-11-01"); got != nil {
		t.Errorf("a period before the cases has a feedback table: %v", got)
	}
}

// TestFeedbackPurgedCase: after a purge of feedback texts the inspector's
// page of the misconduct report and the admin's page of the open case
// say the text was purged, keep the case's state, and no opening is
// recorded, since nothing was opened.
func TestFeedbackPurgedCase(t *testing.T) {
	f, open, sealed := feedbackFixture(t)
	ctx := context.Background()
	res, err := f.store.Purge(ctx, hub.PurgeRequest{FeedbackBefore: f.now, Entry: hub.NewAuditEntry(f.now, "cli:root", hub.AuditPurge, "local", nil)})
	if err != nil || res.Feedback != 2 {
		t.Fatalf("Purge = %+v, %v; want 2 feedback texts", res, err)
	}
	const said = "Nội dung phản ánh đã được xoá theo thời hạn lưu trữ"
	in := f.client(t)
	f.loginAs(t, in, "thanh tra")
	resp, body := get(t, in, f.srv.URL+"/feedback/"+sealed.ID)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, said) || strings.Contains(body, "Không mở được") {
		t.Fatalf("inspector's page of a purged report %d:\n%s", resp.StatusCode, body)
	}
	if views := auditOf(t, f, hub.AuditFeedbackView); len(views) != 0 {
		t.Errorf("opening a purged report was recorded: %+v", views)
	}
	if resp, _ := post(t, in, f.srv.URL+"/feedback/"+sealed.ID, url.Values{"csrf": {csrfOf(t, body)}, "state": {"closed"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("closing a purged report: %d", resp.StatusCode)
	}
	a := f.client(t)
	f.loginAs(t, a, "admin")
	resp, body = get(t, a, f.srv.URL+"/feedback/"+open.ID)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, said) || strings.Contains(body, "Phải nộp bản sao hai lần") {
		t.Fatalf("admin's page of a purged case %d:\n%s", resp.StatusCode, body)
	}
}
