package web

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
)

// TestSlidesPage: the page shows the built-in set until one is published;
// a form with mistakes publishes nothing and names each mistake by its
// block; a good form is published as version 1, audited, and shown as the
// set on the kiosks; a viewer sees the set but cannot publish.
func TestSlidesPage(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	c := f.client(t)
	if resp, _ := get(t, c, f.srv.URL+PathSlides); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("slides page without login: %d", resp.StatusCode)
	}
	f.login(t, c, "mật khẩu tốt")
	resp, page := get(t, c, f.srv.URL+PathSlides)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Chưa công bố bộ nào") ||
		!strings.Contains(html.UnescapeString(page), `value="Ý kiến của Ông/Bà có ý nghĩa"`) {
		t.Fatalf("slides page before any publication: %d\n%s", resp.StatusCode, page)
	}
	csrf := csrfOf(t, page)

	bad := url.Values{"csrf": {csrf},
		"s1_title_vi": {"Dịch vụ công"}, "s1_text_vi": {"Ba bước"},
		"s3_title_vi": {"Chỉ có tiêu đề"},
		"c2_name_vi":  {"Đường dây nóng"}, "c2_phone": {"gọi 1022"}}
	resp, page = post(t, c, f.srv.URL+PathSlides, bad)
	page = html.UnescapeString(page)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", resp.StatusCode)
	}
	for _, want := range []string{"Trang 3, nội dung (tiếng Việt): Thiếu nội dung tiếng Việt", "Kênh 2, số điện thoại: Số điện thoại “gọi 1022” không hợp lệ", `value="Chỉ có tiêu đề"`} {
		if !strings.Contains(page, want) {
			t.Errorf("bad form's page lacks %q", want)
		}
	}
	if _, err := f.store.LatestSlides(ctx); !errors.Is(err, hub.ErrNotFound) {
		t.Fatalf("a bad form published something: %v", err)
	}

	good := url.Values{"csrf": {csrf},
		"s2_title_vi": {"Dịch vụ công"}, "s2_title_en": {"Public services"}, "s2_text_vi": {"Ba bước\r\nthật dễ"},
		"s2_qr_url": {"https://dichvucong.hanoi.gov.vn"}, "s2_qr_vi": {"Dịch vụ công Hà Nội"},
		"c1_name_vi": {"Đường dây nóng"}, "c1_phone": {"1022"}}
	resp, _ = post(t, c, f.srv.URL+PathSlides, good)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != PathSlides+"?published=1" {
		t.Fatalf("good form: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	ps, err := f.store.LatestSlides(ctx)
	if err != nil {
		t.Fatal(err)
	}
	set, err := survey.ParseSlides(ps.Definition)
	if err != nil {
		t.Fatal(err)
	}
	if ps.Version != 1 || ps.PublishedBy != "admin" || len(set.Slides) != 1 || set.Slides[0].Text["vi"] != "Ba bước\nthật dễ" ||
		set.Slides[0].QR == nil || len(set.Channels) != 1 || set.Channels[0].Phone != "1022" {
		t.Fatalf("published %+v: %s", ps, ps.Definition)
	}
	found := false
	for e, err := range f.store.AuditLog(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		found = found || e.Action == hub.AuditSlidesPublish && e.Actor == "admin" && strings.Contains(e.Details, "version=1")
	}
	if !found {
		t.Error("no audit entry for the publication")
	}
	_, page = get(t, c, f.srv.URL+PathSlides+"?published=1")
	if !strings.Contains(page, "phiên bản 1") || !strings.Contains(page, `id="published"`) {
		t.Errorf("page after publishing lacks the version")
	}

	if err := f.store.PutAdminAs(ctx, "admin", adminHash(t, "mật khẩu tốt"), hub.RoleViewer, time.Now()); err != nil {
		t.Fatal(err)
	}
	c = f.client(t) // a new password hash ends the session
	f.login(t, c, "mật khẩu tốt")
	_, page = get(t, c, f.srv.URL+PathSlides)
	good.Set("csrf", csrfOf(t, page))
	if strings.Contains(page, `id="publish-slides"`) {
		t.Error("a viewer gets the publish button")
	}
	if resp, _ := post(t, c, f.srv.URL+PathSlides, good); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a viewer's publication: %d, want 403", resp.StatusCode)
	}
}
