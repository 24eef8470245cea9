package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/hub/sqlite"
)

const testSurvey = `{"id":"nhanh","version":1,"title":{"vi":"Đánh giá nhanh","en":"Quick rating"},
 "questions":[{"code":"q1","type":"rating3","text":{"vi":"Bạn có hài lòng với cán bộ không?"},"index":"sipas:cong-chuc"},
              {"code":"q2","type":"rating5","text":{"vi":"Thủ tục có rõ ràng không?"},"index":"sipas:thu-tuc"}]}`

type fixture struct {
	srv   *httptest.Server
	store *sqlite.Store
	now   time.Time
}

// newFixture starts the dashboard on 127.0.0.1 over a real SQLite hub store
// holding the given responses, the published test survey and one admin,
// "admin", whose password is "mật khẩu tốt" (as `hailong-hub admin add`
// would store it). Accounts and Surveys are the store's.
func newFixture(t *testing.T, responses ...*survey.Response) *fixture {
	t.Helper()
	return newFixtureWith(t, nil, responses...)
}

// newFixtureWith is newFixture with the dashboard's Config changed by
// configure (nil: unchanged). The store also holds device "dev-1", named
// "Kiosk tầng 1" at Phường Ba Đình, and "dev-2", "Máy lưu động" at Xã Ba Vì.
func newFixtureWith(t *testing.T, configure func(*Config), responses ...*survey.Response) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.PublishSurvey(ctx, hub.PublishedSurvey{ID: "nhanh", Version: 1, Definition: []byte(testSurvey), PublishedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	def, err := survey.Parse([]byte(testSurvey))
	if err != nil {
		t.Fatal(err)
	}
	var items []hub.Incoming
	for _, r := range responses {
		in, err := hub.NewIncoming(def, r, []byte("sig"))
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, in)
	}
	if len(items) > 0 {
		if _, err := st.Ingest(ctx, items, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	hash, err := bcrypt.GenerateFromPassword([]byte("mật khẩu tốt"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutAdmin(ctx, "admin", hash, time.Now()); err != nil {
		t.Fatal(err)
	}
	for i, dev := range []*hub.Device{
		{ID: "dev-1", Name: "Kiosk tầng 1", ServicePoint: "Phường Ba Đình", CreatedAt: time.Now(), CodeExpiresAt: time.Now().Add(time.Hour)},
		{ID: "dev-2", Name: "Máy lưu động", ServicePoint: "Xã Ba Vì", CreatedAt: time.Now(), CodeExpiresAt: time.Now().Add(time.Hour)},
	} {
		if err := st.CreateDevice(ctx, dev, []byte(fmt.Sprintf("code hash %d .....................", i))); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{store: st, now: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	h := hub.New(hub.Config{Store: st, Now: func() time.Time { return f.now }})
	cfg := Config{
		Data:      st,
		Accounts:  st,
		Files:     st,
		Slips:     h,
		SlideSets: h,
		Feedback:  h,
		Help:      h,
		Webhooks:  st,
		Alerts:    st,
		Audit:     st,
		AuditLog:  st,
		Devices:   h,
		Publish:   h,
		Surveys:   func(ctx context.Context) ([]*survey.Survey, error) { return hub.ParsedSurveys(ctx, st) },
		Now:       func() time.Time { return f.now },
	}
	if configure != nil {
		configure(&cfg)
	}
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(d)
	t.Cleanup(f.srv.Close)
	return f
}

// client returns an HTTP client with a cookie jar that does not follow
// redirects, so tests see each answer.
func (f *fixture) client(t *testing.T) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf token in page:\n%s", page)
	}
	return m[1]
}

// login logs c in and returns the dashboard's CSRF token.
func (f *fixture) login(t *testing.T, c *http.Client, password string) *http.Response {
	t.Helper()
	_, page := get(t, c, f.srv.URL+"/login")
	resp, _ := post(t, c, f.srv.URL+"/login", url.Values{"csrf": {csrfOf(t, page)}, "name": {"admin"}, "password": {password}})
	return resp
}

func response(id string, started time.Time, answers survey.Answers) *survey.Response {
	return &survey.Response{ID: id, SurveyID: "nhanh", SurveyVersion: 1, Answers: answers,
		StartedAt: started, FinishedAt: started.Add(20 * time.Second), ServicePoint: "Phường Ba Đình",
		DeviceID: "dev-1", Lang: "vi", Status: survey.StatusComplete}
}

// responses makes n responses on one day, the first sat of them satisfied.
func responses(t *testing.T, n, sat int, day time.Time) []*survey.Response {
	t.Helper()
	var out []*survey.Response
	for i := range n {
		code := survey.CodeNotSatisfied
		if i < sat {
			code = survey.CodeSatisfied
		}
		id := fmt.Sprintf("0190a5c0-0000-7000-8000-%012d", day.YearDay()*1000+i)
		out = append(out, response(id, day.Add(time.Duration(i)*time.Minute), survey.Answers{"q1": {code}, "q2": {survey.CodeVerySatisfied}}))
	}
	return out
}

func TestLoginRequiredAndSessionCookie(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	resp, _ := get(t, c, f.srv.URL+"/dashboard")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("dashboard without login: %d %s, want redirect to /login", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := get(t, c, f.srv.URL+"/api/v1/export?format=csv")
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"code":"unauthorized"`) {
		t.Fatalf("export without login: %d %s", resp.StatusCode, body)
	}
	// A newcomer at the login page learns where accounts come from.
	if _, page := get(t, c, f.srv.URL+"/login"); !strings.Contains(page, "<code>hailong-hub admin add TÊN</code>") {
		t.Errorf("login page does not say how accounts are made:\n%s", page)
	}
	resp = f.login(t, c, "mật khẩu tốt")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie %+v: want HttpOnly and SameSite=Strict", cookie)
	}
	resp, body = get(t, c, f.srv.URL+"/dashboard")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Chỉ số hài lòng") {
		t.Fatalf("dashboard after login: %d", resp.StatusCode)
	}
	// Logout needs the CSRF token; without it nothing happens.
	resp, _ = post(t, c, f.srv.URL+"/logout", url.Values{})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("logout without csrf: %d, want 403", resp.StatusCode)
	}
	resp, _ = post(t, c, f.srv.URL+"/logout", url.Values{"csrf": {csrfOf(t, body)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	resp, _ = get(t, c, f.srv.URL+"/dashboard")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dashboard after logout: %d, want redirect", resp.StatusCode)
	}
	// The old cookie no longer works even if replayed.
	replay := f.client(t)
	u, _ := url.Parse(f.srv.URL)
	replay.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: cookie.Value}})
	if resp, _ = get(t, replay, f.srv.URL+"/dashboard"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("replayed cookie after logout: %d, want redirect", resp.StatusCode)
	}
}

func TestLoginErrorsAndRateLimit(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	// A POST without the login form's CSRF token is refused.
	resp, body := post(t, c, f.srv.URL+"/login", url.Values{"name": {"admin"}, "password": {"mật khẩu tốt"}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Phiên đăng nhập đã hết hạn") {
		t.Fatalf("login without csrf: %d", resp.StatusCode)
	}
	for i := range maxLoginFailures {
		resp := f.login(t, c, "sai")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d, want 401", i+1, resp.StatusCode)
		}
	}
	// Locked now, even with the right password.
	_, page := get(t, c, f.srv.URL+"/login")
	resp, body = post(t, c, f.srv.URL+"/login", url.Values{"csrf": {csrfOf(t, page)}, "name": {"admin"}, "password": {"mật khẩu tốt"}})
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Đăng nhập sai quá nhiều lần") {
		t.Fatalf("after %d failures: %d, want 429 with a message", maxLoginFailures, resp.StatusCode)
	}
	f.now = f.now.Add(loginWindow)
	if resp := f.login(t, c, "mật khẩu tốt"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after the window: %d, want a login", resp.StatusCode)
	}
}

func TestDashboardFiguresAndSuppression(t *testing.T) {
	day1 := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	day2 := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	rs := append(responses(t, 8, 6, day1), responses(t, 4, 4, day2)...)
	f := newFixture(t, rs...)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	tests := []struct {
		name, query string
		want        []string
		status      int
	}{
		// q1: 10 of 12 satisfied = 83.3 %; q2: 12 of 12 = 100 %; index = mean of elements 91.7 %.
		{"all", "", []string{`<div class="card big ok" id="overall">`, `<div class="n">91,7 %</div>`, `trên 12 phiếu`, `83,3 %`, `100,0 %`,
			`<div id="bars">`, `<h3 class="survey">Đánh giá nhanh</h3>`, `<svg id="trend"`, `kiểu SIPAS`, `không phải Chỉ số SIPAS do Bộ Nội vụ công bố`}, 200},
		// Day 2 alone has 4 responses: every figure is suppressed, the count is shown.
		{"day with 4", "?from=2026-11-24&to=2026-11-24", []string{`<div class="card big suppressed" id="overall">`, `<div class="n">&lt; 5</div>`,
			`mới có 4 phiếu, cần ít nhất 5`, `4 câu trả lời · Dưới 5 câu trả lời: không công bố.`}, 200},
		// Nothing matches: no data, not a big green "< 5".
		{"nothing", "?from=2027-01-01", []string{`<div class="card big nodata" id="overall">`, `<div class="n">chưa có dữ liệu</div>`,
			`trên 0 phiếu`, `Chưa có câu hỏi đánh giá nào`}, 200},
		// Day 1 alone has 8: q1 6/8 = 75 %.
		{"day with 8", "?from=2026-11-23&to=2026-11-23", []string{`75,0 %`}, 200},
		{"bad date", "?from=25/11/2026", []string{`Ngày bắt đầu &#34;25/11/2026&#34; không hợp lệ`}, 400},
		{"reversed", "?from=2026-11-24&to=2026-11-23", []string{"Ngày bắt đầu phải trước"}, 400},
		{"misspelt", "?service-point=x", []string{"Tham số không được hỗ trợ: service-point"}, 400},
		{"bad period", "?period=year", []string{"Chu kỳ &#34;year&#34; không hợp lệ"}, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, c, f.srv.URL+"/dashboard"+tt.query)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
}

func TestExportStreamsFilteredCSV(t *testing.T) {
	day1 := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	day2 := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	f := newFixture(t, append(responses(t, 3, 3, day1), responses(t, 2, 2, day2)...)...)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	resp, body := get(t, c, f.srv.URL+"/api/v1/export?format=csv&from=2026-11-24&to=2026-11-24")
	if resp.StatusCode != 200 {
		t.Fatalf("export: %d %s", resp.StatusCode, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "hailong-") || !strings.HasSuffix(cd, `.csv"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !strings.HasPrefix(body, "\ufeff") {
		t.Error("CSV lacks the UTF-8 BOM Excel needs")
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+2 {
		t.Fatalf("got %d rows, want header + 2", len(rows))
	}
	if !bytes.Contains([]byte(body), []byte("Phường Ba Đình")) {
		t.Error("Vietnamese service point not intact")
	}
	for _, q := range []string{"format=pdf", "format=csv&status=maybe"} {
		resp, body := get(t, c, f.srv.URL+"/api/v1/export?"+q)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `"message"`) {
			t.Errorf("%s: %d %s, want a JSON 400", q, resp.StatusCode, body)
		}
	}
}

// TestRemovedAdminOrNewPasswordEndsSessions: `hailong-hub admin remove` and
// `admin add` with a new password end the sessions already open.
func TestRemovedAdminOrNewPasswordEndsSessions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	c := f.client(t)
	if resp := f.login(t, c, "mật khẩu tốt"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	if resp, _ := get(t, c, f.srv.URL+"/dashboard"); resp.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", resp.StatusCode)
	}
	// The same password stored again (admin add repeated): the session stays.
	hash, err := f.store.AdminPasswordHash(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.PutAdmin(ctx, "admin", hash, time.Now()); err != nil {
		t.Fatal(err)
	}
	if resp, _ := get(t, c, f.srv.URL+"/dashboard"); resp.StatusCode != http.StatusOK {
		t.Fatalf("dashboard after storing the same hash: %d, want 200", resp.StatusCode)
	}
	newHash, _ := bcrypt.GenerateFromPassword([]byte("mật khẩu mới"), bcrypt.MinCost)
	if err := f.store.PutAdmin(ctx, "admin", newHash, time.Now()); err != nil {
		t.Fatal(err)
	}
	if resp, _ := get(t, c, f.srv.URL+"/dashboard"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dashboard after a password change: %d, want a redirect to /login", resp.StatusCode)
	}
	if resp := f.login(t, c, "mật khẩu mới"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login with the new password: %d", resp.StatusCode)
	}
	if err := f.store.DeleteAdmin(ctx, "admin"); err != nil {
		t.Fatal(err)
	}
	if resp, body := get(t, c, f.srv.URL+"/api/v1/export?format=csv"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("export after admin remove: %d %s, want 401", resp.StatusCode, body)
	}
	if resp := f.login(t, c, "mật khẩu mới"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("login of a removed admin: %d, want 401", resp.StatusCode)
	}
}
