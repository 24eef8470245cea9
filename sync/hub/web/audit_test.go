package web

import (
	"context"
	"encoding/csv"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// auditActions lists the store's audit log as "actor action details".
func auditActions(t *testing.T, f *fixture) []string {
	t.Helper()
	var out []string
	for e, err := range f.store.AuditLog(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e.Actor+" "+e.Action+" "+e.Details)
	}
	return out
}

// TestAuditOfLoginsAndExports: a failed login, a login and an export with
// its filters are in the audit log, in order, with the client's address,
// and the log holds.
func TestAuditOfLoginsAndExports(t *testing.T) {
	f := newFixture(t, responses(t, 6, 5, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))...)
	c := f.client(t)
	if resp := f.login(t, c, "sai mật khẩu"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	if resp := f.login(t, c, "mật khẩu tốt"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	if resp, _ := get(t, c, f.srv.URL+"/api/v1/export?format=jsonl&from=2026-11-01&service_point=Phường+Ba+Đình"); resp.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", resp.StatusCode)
	}
	want := []string{
		"admin login_failed ",
		"admin login ",
		"admin export " + url.Values{"format": {"jsonl"}, "from": {"2026-11-01"}, "service_point": {"Phường Ba Đình"}}.Encode(),
	}
	got := auditActions(t, f)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for e, err := range f.store.AuditLog(context.Background()) {
		if err != nil || e.Addr != "127.0.0.1" || !e.At.Equal(f.now) {
			t.Errorf("entry %+v, %v: want address 127.0.0.1 and the dashboard's clock", e, err)
		}
	}
	rep, err := hub.VerifyAudit(context.Background(), nil, f.store.AuditLog(context.Background()), nil)
	if err != nil || rep.Break != nil || rep.Entries != 3 {
		t.Errorf("VerifyAudit: %+v, %v", rep, err)
	}
}

// failingAudit accepts the first ok appends, then refuses every one.
type failingAudit struct {
	inner Audit
	ok    atomic.Int32
}

func (a *failingAudit) AppendAudit(ctx context.Context, e hub.AuditEntry) (hub.AuditEntry, error) {
	if a.ok.Add(-1) < 0 {
		return hub.AuditEntry{}, context.DeadlineExceeded
	}
	return a.inner.AppendAudit(ctx, e)
}

// TestNoAuditNoAction: when the audit log cannot be written, a login and
// an export are refused rather than done unrecorded.
func TestNoAuditNoAction(t *testing.T) {
	audit := &failingAudit{}
	f := newFixtureWith(t, func(c *Config) { audit.inner = c.Audit; c.Audit = audit })
	c := f.client(t)
	if resp := f.login(t, c, "mật khẩu tốt"); resp.StatusCode != http.StatusInternalServerError {
		t.Fatalf("login without an audit log: %d, want 500", resp.StatusCode)
	}
	if resp, _ := get(t, c, f.srv.URL+"/dashboard"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a session started although the login was not recorded: %d", resp.StatusCode)
	}
	audit.ok.Store(1)
	if resp := f.login(t, c, "mật khẩu tốt"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	resp, body := get(t, c, f.srv.URL+"/api/v1/export?format=csv")
	if resp.StatusCode != http.StatusInternalServerError || !strings.Contains(body, "nhật ký") {
		t.Errorf("export without an audit log: %d %s, want 500", resp.StatusCode, body)
	}
	if got := auditActions(t, f); len(got) != 1 || got[0] != "admin login " {
		t.Errorf("audit log %q, want the one login", got)
	}
}

// TestAuditPageAndCSV: an admin sees the log newest first, filters it by
// action and by actor typed without diacritics, and downloads it as CSV
// with hashes, a formula-like name defused; a viewer gets 403.
func TestAuditPageAndCSV(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, e := range []hub.AuditEntry{
		hub.NewAuditEntry(f.now, "Nguyễn Văn Bình", hub.AuditDeviceRevoke, "local", url.Values{"id": {"dev-1"}}),
		hub.NewAuditEntry(f.now, "=HYPERLINK(\"x\")", hub.AuditLoginFailed, "203.0.113.9", nil),
	} {
		if _, err := f.store.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.store.PutAdminAs(ctx, "xem", adminHash(t, "mật khẩu người xem"), hub.RoleViewer, time.Now()); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	resp, page := get(t, c, f.srv.URL+"/audit")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("audit page: %d", resp.StatusCode)
	}
	iLogin, iRevoke := strings.Index(page, "Đăng nhập</td>"), strings.Index(page, "Thu hồi thiết bị</td>")
	if iLogin < 0 || iRevoke < 0 || iLogin > iRevoke || !strings.Contains(page, "id: dev-1") {
		t.Errorf("audit page not newest first with details:\n%s", page)
	}
	if _, page := get(t, c, f.srv.URL+"/audit?actor=nguyen+van"); !strings.Contains(page, "Thu hồi thiết bị</td>") || strings.Contains(page, "Đăng nhập</td>") {
		t.Errorf("actor filter:\n%s", page)
	}
	if _, page := get(t, c, f.srv.URL+"/audit?action=login_failed"); !strings.Contains(page, "203.0.113.9") || strings.Contains(page, "Thu hồi thiết bị</td>") {
		t.Errorf("action filter:\n%s", page)
	}
	resp, body := get(t, c, f.srv.URL+"/audit.csv")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("audit CSV: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\xef\xbb\xbf"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var hashes []string
	for e, err := range f.store.AuditLog(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, hex.EncodeToString(e.Hash[:]))
	}
	if len(rows) != 4 || rows[0][0] != "seq" || rows[1][2] != "Nguyễn Văn Bình" || rows[1][5] != "id=dev-1" || rows[3][6] != hashes[2] {
		t.Errorf("audit CSV rows %q", rows)
	}
	if strings.HasPrefix(rows[2][2], "=") {
		t.Errorf("a formula-like actor is not defused: %q", rows[2][2])
	}
	v := f.client(t)
	_, page = get(t, v, f.srv.URL+"/login")
	post(t, v, f.srv.URL+"/login", url.Values{"csrf": {csrfOf(t, page)}, "name": {"xem"}, "password": {"mật khẩu người xem"}})
	for _, p := range []string{"/audit", "/audit.csv"} {
		if resp, _ := get(t, v, f.srv.URL+p); resp.StatusCode != http.StatusForbidden {
			t.Errorf("viewer %s: %d, want 403", p, resp.StatusCode)
		}
	}
	if _, page := get(t, v, f.srv.URL+"/dashboard"); strings.Contains(page, `href="/audit"`) {
		t.Error("a viewer is shown the audit link")
	}
}
