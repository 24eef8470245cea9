package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// TestViewerSeesFiguresAndExports logs in a viewer: the dashboard and the
// export answer, and the page names the role; demoting the admin shows on
// its next request, without logging in again.
func TestViewerSeesFiguresAndExports(t *testing.T) {
	day := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	f := newFixture(t, responses(t, 6, 5, day)...)
	ctx := context.Background()
	if err := f.store.PutAdminAs(ctx, "xem", adminHash(t, "mật khẩu người xem"), hub.RoleViewer, time.Now()); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	_, page := get(t, c, f.srv.URL+"/login")
	resp, _ := post(t, c, f.srv.URL+"/login", map[string][]string{"csrf": {csrfOf(t, page)}, "name": {"xem"}, "password": {"mật khẩu người xem"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("viewer login: %d", resp.StatusCode)
	}
	resp, body := get(t, c, f.srv.URL+"/dashboard")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<span id="role">Người xem</span>`) {
		t.Fatalf("viewer dashboard: %d, role missing:\n%s", resp.StatusCode, body)
	}
	resp, body = get(t, c, f.srv.URL+"/api/v1/export?format=csv")
	if resp.StatusCode != http.StatusOK || strings.Count(body, "\n") < 7 {
		t.Fatalf("viewer export: %d\n%s", resp.StatusCode, body)
	}

	a := f.client(t)
	if resp := f.login(t, a, "mật khẩu tốt"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin login: %d", resp.StatusCode)
	}
	if _, body := get(t, a, f.srv.URL+"/dashboard"); !strings.Contains(body, `<span id="role">Quản trị viên</span>`) {
		t.Fatal("admin's dashboard does not name the role")
	}
	hash, err := f.store.AdminPasswordHash(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.PutAdminAs(ctx, "admin", hash, hub.RoleViewer, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, body := get(t, a, f.srv.URL+"/dashboard"); !strings.Contains(body, `<span id="role">Người xem</span>`) {
		t.Error("a demoted admin's open session still shows the admin role")
	}
}
