package web

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/assets"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// fixtureData are the Vietnamese texts the fixtures store (names, the
// test survey, the built-in slides, a case's text): data a page shows as
// it is, in any language.
func fixtureData(t *testing.T) []string {
	t.Helper()
	// and the number of Decision 766/QĐ-TTg, a name in every language
	data := []string{"Kiosk tầng 1", "Phường Ba Đình", "Máy lưu động", "Xã Ba Vì", "Phải nộp bản sao hai lần", "766/QĐ-TTg"}
	s, err := survey.Parse([]byte(testSurvey))
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, s.Title["vi"], s.Purpose["vi"])
	for _, q := range s.Questions {
		data = append(data, q.Text["vi"], q.Title["vi"])
		for _, o := range q.OptionsOf() {
			data = append(data, o.Label["vi"])
		}
	}
	slides, err := survey.BuiltinSlides()
	if err != nil {
		t.Fatal(err)
	}
	for _, sl := range slides.Slides {
		data = append(data, sl.Title["vi"], sl.Text["vi"])
		if sl.QR != nil {
			data = append(data, sl.QR.Caption["vi"])
		}
	}
	for _, c := range slides.Channels {
		data = append(data, c.Name["vi"], c.Detail["vi"])
	}
	// Longest first, so that a text holding a shorter one goes whole.
	data = slices.DeleteFunc(data, func(s string) bool { return s == "" })
	slices.SortFunc(data, func(a, b string) int { return len(b) - len(a) })
	return data
}

var styleBlock = regexp.MustCompile(`(?s)<style>.*?</style>`)

// vietnameseIn returns the places in page that hold Vietnamese once the
// fixtures' data and the brand are taken out: texts, attributes (titles,
// placeholders, labels) and JSON messages alike.
func vietnameseIn(page string, data []string) []string {
	page = styleBlock.ReplaceAllString(page, "")
	for _, d := range data {
		page = strings.ReplaceAll(page, d, "")
		page = strings.ReplaceAll(page, strings.ReplaceAll(d, "\n", "&#10;"), "") // a textarea's value
	}
	page = strings.ReplaceAll(page, brand, "")
	var out []string
	for _, loc := range vietnamese.FindAllStringIndex(page, -1) {
		from, to := max(0, loc[0]-40), min(len(page), loc[1]+40)
		for from > 0 && !utf8RuneStart(page[from]) {
			from--
		}
		for to < len(page) && !utf8RuneStart(page[to]) {
			to++
		}
		out = append(out, page[from:to])
		if len(out) == 3 {
			break
		}
	}
	return out
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// TestEveryPageInEnglish: with ?lang=en once, every page (the admin
// pages, their error answers, the public ones) is in English, with
// <html lang="en">, and stays so when a link is followed; ?lang=vi
// switches back.
func TestEveryPageInEnglish(t *testing.T) {
	f, open, _ := feedbackFixture(t)
	ctx := context.Background()
	def, err := survey.Parse([]byte(testSurvey))
	if err != nil {
		t.Fatal(err)
	}
	var items []hub.Incoming
	day := time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)
	for _, r := range append(responses(t, 12, 9, day), responses(t, 3, 1, day.AddDate(0, 0, -7))...) {
		in, err := hub.NewIncoming(def, r, []byte("sig"))
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, in)
	}
	if _, err := f.store.Ingest(ctx, items, f.now); err != nil {
		t.Fatal(err)
	}
	data := fixtureData(t)
	c := f.client(t)

	// The language comes with ?lang=en and is kept by the cookie.
	resp, page := get(t, c, f.srv.URL+"/login?lang=en")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `<html lang="en">`) || !strings.Contains(page, "Admin login") {
		t.Fatalf("login in English: %d\n%s", resp.StatusCode, page)
	}
	if !strings.Contains(page, `href="?lang=vi"`) {
		t.Error("the English login page has no switch back to Vietnamese")
	}
	// Logging in keeps it, and so does every page after.
	_, page = get(t, c, f.srv.URL+"/login")
	if resp, _ := post(t, c, f.srv.URL+"/login", url.Values{"csrf": {csrfOf(t, page)}, "name": {"admin"}, "password": {"mật khẩu tốt"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	_, dash := get(t, c, f.srv.URL+"/dashboard")
	if !strings.Contains(dash, `<html lang="en">`) || !strings.Contains(dash, "Satisfaction index") {
		t.Fatalf("dashboard after an English login is not English:\n%s", dash)
	}
	if !strings.Contains(dash, `href="/api/v1/export?format=csv&amp;lang=en"`) {
		t.Error("the English dashboard's exports are not asked in English")
	}
	link := regexp.MustCompile(`<a class="navlink" href="(/devices)">Devices</a>`).FindStringSubmatch(dash)
	if link == nil {
		t.Fatal("no Devices link in the English header")
	}
	if _, page := get(t, c, f.srv.URL+link[1]); !strings.Contains(page, `<html lang="en">`) || !strings.Contains(page, "Add a device") {
		t.Errorf("the link from the dashboard lost the language:\n%s", page)
	}

	pages := []struct {
		path   string
		status int
	}{
		{"/dashboard", http.StatusOK},
		{"/dashboard?period=week", http.StatusOK},
		{"/dashboard?period=month&service_point=phuong", http.StatusOK},
		{"/dashboard?from=yesterday", http.StatusBadRequest},
		{"/dashboard?period=year", http.StatusBadRequest},
		{"/dashboard?service_point=nowhere", http.StatusBadRequest},
		{"/dashboard?service_point=ba", http.StatusOK}, // two points match: the choice
		{"/devices", http.StatusOK},
		{"/devices/revoke?id=dev-1", http.StatusOK},
		{"/devices/revoke?id=nope", http.StatusNotFound},
		{"/surveys", http.StatusOK},
		{"/surveys?published=nhanh&version=1", http.StatusOK},
		{"/surveys/preview?id=nhanh&version=1", http.StatusOK},
		{"/surveys/preview?id=nhanh&version=9", http.StatusNotFound},
		{"/audit", http.StatusOK},
		{"/files", http.StatusOK},
		{PathSlips, http.StatusOK},
		{PathFeedback, http.StatusOK},
		{PathFeedback + "?state=nope", http.StatusBadRequest},
		{PathFeedback + "/" + open.ID, http.StatusOK},
		{PathFeedback + "/" + open.ID + "?saved=1", http.StatusOK},
		{PathFeedback + "/nope", http.StatusNotFound},
		{PathHelp, http.StatusOK},
		{PathSlides, http.StatusOK},
		{PathAlerts, http.StatusOK},
		{PathWebhooks, http.StatusOK},
		{PathBoard, http.StatusOK},
		{PathBoard + "?point=" + url.QueryEscape("Phường Ba Đình"), http.StatusOK},
		{PathReceipts, http.StatusNotFound}, // this hub publishes no receipts: see TestReceiptPageInEnglish
		{"/f/" + open.Code, http.StatusOK},
		{"/f/ZZZZ-ZZZZ", http.StatusNotFound},
		{"/f/nope", http.StatusNotFound},
		{"/api/v1/export?format=pdf", http.StatusBadRequest},
		{"/api/v1/export?from=yesterday", http.StatusBadRequest},
		{"/nowhere", http.StatusNotFound},
	}
	for _, p := range pages {
		resp, page := get(t, c, f.srv.URL+p.path)
		if resp.StatusCode != p.status {
			t.Errorf("%s: status %d, want %d", p.path, resp.StatusCode, p.status)
		}
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") && !strings.Contains(page, `<html lang="en">`) {
			t.Errorf("%s: not <html lang=\"en\">", p.path)
		}
		if v := vietnameseIn(page, data); len(v) > 0 {
			t.Errorf("%s: Vietnamese left in English: %q", p.path, v)
		}
	}
	// Form problems and flash messages.
	csrf := csrfOf(t, dash)
	for _, p := range []struct {
		path string
		form url.Values
	}{
		{"/devices/enroll", url.Values{"name": {""}}},
		{"/files", url.Values{"day": {"2026-13-01"}, "service_point": {"x"}, "files": {"4"}}},
		{"/files", url.Values{"day": {"2026-11-24"}, "service_point": {"Phường Ba Đình"}, "files": {"40"}}},
		{PathSlipsPrint, url.Values{"service_point": {"Phường Ba Đình"}, "count": {"0"}}},
		{PathWebhooksAdd, url.Values{"url": {"ftp://x"}}},
		{PathFeedback + "/" + open.ID, url.Values{"state": {"answered"}}},
		{"/devices/revoke", url.Values{"id": {"nope"}}},
		{"/logout", url.Values{"csrf": {"wrong"}}},
	} {
		form := p.form
		if form.Get("csrf") == "" {
			form.Set("csrf", csrf)
		}
		_, page := post(t, c, f.srv.URL+p.path, form)
		if v := vietnameseIn(page, data); len(v) > 0 {
			t.Errorf("POST %s: Vietnamese left in English: %q", p.path, v)
		}
	}
	// ?lang=vi switches back, and the cookie keeps that too.
	if _, page := get(t, c, f.srv.URL+"/devices?lang=vi"); !strings.Contains(page, `<html lang="vi">`) || !strings.Contains(page, "Thêm thiết bị") {
		t.Errorf("?lang=vi did not switch back:\n%s", page)
	}
	if _, page := get(t, c, f.srv.URL+"/dashboard"); !strings.Contains(page, `<html lang="vi">`) || !strings.Contains(page, "Chỉ số hài lòng") {
		t.Error("the cookie did not keep Vietnamese")
	}
}

// TestReceiptPageInEnglish: the receipt page's answers in English, the
// counted days in English alone.
func TestReceiptPageInEnglish(t *testing.T) {
	f, items := receiptFixture(t)
	c := f.client(t)
	data := fixtureData(t)
	code := protocol.ReceiptFor(items[0].Content)
	for _, q := range []string{"?lang=en", "?code=" + code.String(), "?code=" + protocol.ReceiptFor([]byte("never sent")).String(), "?code=nope"} {
		resp, page := get(t, c, f.srv.URL+PathReceipts+q)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, `<html lang="en">`) {
			t.Errorf("%s: %d, not English", q, resp.StatusCode)
		}
		if v := vietnameseIn(page, data); len(v) > 0 {
			t.Errorf("%s: Vietnamese left in English: %q", q, v)
		}
	}
	if _, page := get(t, c, f.srv.URL+PathReceipts+"?code="+code.String()); !strings.Contains(page, "The answer with code <b class=\"code\">"+code.String()+"</b> was counted on 24 November 2026.") {
		t.Errorf("counted, in English:\n%s", page)
	}
}

// TestEnglishLoginErrors: the login form's refusals are English in English.
func TestEnglishLoginErrors(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	_, page := get(t, c, f.srv.URL+"/login?lang=en")
	resp, page := post(t, c, f.srv.URL+"/login", url.Values{"csrf": {csrfOf(t, page)}, "name": {"admin"}, "password": {"wrong"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "Wrong user name or password.") {
		t.Errorf("wrong password in English: %d\n%s", resp.StatusCode, page)
	}
	resp, page = post(t, c, f.srv.URL+"/login", url.Values{"csrf": {"stale"}, "name": {"admin"}, "password": {"x"}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(page, "The login session has expired.") {
		t.Errorf("stale form in English: %d\n%s", resp.StatusCode, page)
	}
}

// TestCountedTextsHaveEnglishPlurals: every text given a Count reads in
// both languages for one and for many (the web area picks English plural
// forms by Count, and a missing form would show the key).
func TestCountedTextsHaveEnglishPlurals(t *testing.T) {
	raw, err := fs.ReadFile(assets.I18n, "i18n/web/vi.json")
	if err != nil {
		t.Fatal(err)
	}
	var vi map[string]string
	if err := json.Unmarshal(raw, &vi); err != nil {
		t.Fatal(err)
	}
	counted := 0
	for key, text := range vi {
		if !strings.Contains(text, "{{.Count}}") {
			continue
		}
		counted++
		for _, lang := range []string{"vi", "en"} {
			x := textsIn(t, lang)
			one, many := x.T(key, "Count", 1), x.T(key, "Count", "12")
			if one == key || many == key || !strings.Contains(one, "1") || !strings.Contains(many, "12") {
				t.Errorf("%s in %s: %q, %q", key, lang, one, many)
			}
			if lang == "en" && one == strings.ReplaceAll(many, "12", "1") {
				t.Errorf("%s: the English one and other forms are the same: %q", key, one)
			}
		}
	}
	if counted < 8 {
		t.Errorf("only %d counted texts", counted)
	}
}
