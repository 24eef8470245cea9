package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// at makes n responses at a service point from a device, sat satisfied,
// with ids unique by prefix.
func at(prefix int, point, device, event string, n, sat int, day time.Time) []*survey.Response {
	var out []*survey.Response
	for i := range n {
		code := survey.CodeNotSatisfied
		if i < sat {
			code = survey.CodeSatisfied
		}
		id := fmt.Sprintf("0190a5c0-0000-7000-8000-%06d%06d", prefix, i)
		r := response(id, day.Add(time.Duration(i)*time.Minute), survey.Answers{"q1": {code}, "q2": {survey.CodeVerySatisfied}})
		r.ServicePoint, r.DeviceID, r.EventTag = point, device, event
		out = append(out, r)
	}
	return out
}

var day = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

func TestDashboardServicePointsDevicesAndCounts(t *testing.T) {
	var rs []*survey.Response
	rs = append(rs, at(1, "Phường Ba Đình", "dev-1", "", 69, 50, day)...)
	rs = append(rs, at(2, "Phường Hoàn Kiếm", "dev-1", "", 6, 3, day)...)
	rs = append(rs, at(3, "Xã Ba Vì", "dev-2", "hoi-cho", 3, 1, day)...)
	rs = append(rs, at(4, "Phường Tây Hồ", "dev-1", "", 12, 9, day)...)
	rs = append(rs, at(5, "Phường Long Biên", "dev-1", "", 5, 4, day)...)
	f := newFixture(t, rs...)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	_, body := get(t, c, f.srv.URL+"/dashboard")
	for _, want := range []string{
		// A count is a count: 6 shows 6 and its index; 3 shows 3 and "< 5";
		// Long Biên, the smallest other point, is hidden so that the total
		// minus the others does not give Ba Vì away.
		`<tr class="ok"><td>Phường Hoàn Kiếm</td><td class="num">75,0 %</td><td class="num">6</td></tr>`,
		`<tr class="suppressed"><td>Xã Ba Vì</td><td class="num">&lt; 5</td><td class="num">3</td></tr>`,
		`<tr class="hidden"><td>Phường Long Biên</td><td class="num">ẩn</td><td class="num">5</td></tr>`,
		`<tr class="ok"><td>Phường Tây Hồ</td><td class="num">87,5 %</td><td class="num">12</td></tr>`,
		`<tr class="ok"><td>Phường Ba Đình</td><td class="num">86,2 %</td><td class="num">69</td></tr>`,
		// Devices by name, with their counts.
		`<td>Kiosk tầng 1<div class="note">dev-1</div></td><td>Phường Ba Đình</td><td class="num">92</td>`,
		`<td>Máy lưu động<div class="note">dev-2</div></td><td>Xã Ba Vì</td><td class="num">3</td>`,
		`<option value="dev-2">Máy lưu động — Xã Ba Vì</option>`,
		// The points the hub knows, for the search list.
		`<datalist id="points"><option value="Phường Ba Đình"></option><option value="Phường Hoàn Kiếm"></option><option value="Phường Long Biên"></option><option value="Phường Tây Hồ"></option><option value="Xã Ba Vì"></option></datalist>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %s", want)
		}
	}

	tests := []struct {
		name, typed string
		status      int
		want        []string
	}{
		// Case and diacritics do not matter; the chosen name goes on.
		{"folded", "phuong ba dinh", 200, []string{`value="Phường Ba Đình" list="points"`, `trên 69 phiếu`,
			`href="/api/v1/export?format=csv&amp;service_point=Ph%C6%B0%E1%BB%9Dng&#43;Ba&#43;%C4%90%C3%ACnh"`}},
		{"part", "TÂY hồ", 200, []string{`value="Phường Tây Hồ" list="points"`, `trên 12 phiếu`}},
		{"exact", "Xã Ba Vì", 200, []string{`mới có 3 phiếu, cần ít nhất 5`}},
		// "ba" is in Ba Đình and Ba Vì: the admin chooses.
		{"several", "ba", 200, []string{`Có 2 điểm phục vụ khớp “ba”`, `<a href="/dashboard?service_point=Ph%C6%B0%E1%BB%9Dng&#43;Ba&#43;%C4%90%C3%ACnh">Phường Ba Đình</a>`, `>Xã Ba Vì</a>`}},
		{"none", "Phường Láng", 400, []string{`Không có điểm phục vụ nào khớp “Phường Láng”`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, c, f.srv.URL+"/dashboard?service_point="+url.QueryEscape(tt.typed))
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %s", w)
				}
			}
		})
	}
	// The device and event filters work on the dashboard too.
	if _, body := get(t, c, f.srv.URL+"/dashboard?device=dev-2"); !strings.Contains(body, `mới có 3 phiếu, cần ít nhất 5`) || !strings.Contains(body, `<option value="dev-2" selected>`) {
		t.Error("device filter not applied")
	}
	if _, body := get(t, c, f.srv.URL+"/dashboard?event=hoi-cho"); !strings.Contains(body, `mới có 3 phiếu, cần ít nhất 5`) {
		t.Error("event filter not applied")
	}
}

func TestDashboardTrendPeriods(t *testing.T) {
	var rs []*survey.Response
	for i := range 10 { // 10 days from Monday 23 November, 6 responses a day
		rs = append(rs, at(i, "Phường Ba Đình", "dev-1", "", 6, 3+i%3, day.AddDate(0, 0, i))...)
	}
	f := newFixture(t, rs...)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	tests := []struct {
		period string
		want   []string
	}{
		{"", []string{"Xu hướng theo ngày", `>23/11</text>`, `<a class="chip on" href="/dashboard?period=day">Ngày</a>`}},
		{"week", []string{"Xu hướng theo tuần", `>Tuần 48</text>`, `>Tuần 49</text>`, `<a class="chip on" href="/dashboard?period=week">Tuần</a>`}},
		{"month", []string{"Xu hướng theo tháng", `>11/2026</text>`, `>12/2026</text>`}},
	}
	for _, tt := range tests {
		t.Run(tt.period, func(t *testing.T) {
			resp, body := get(t, c, f.srv.URL+"/dashboard?period="+tt.period)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d", resp.StatusCode)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %s", w)
				}
			}
		})
	}
}

// TestTrendDoesNotDrawHiddenDaysAsZero: a day under 5 is a grey band, never
// a point on the 0 % line.
func TestTrendDoesNotDrawHiddenDaysAsZero(t *testing.T) {
	rs := append(at(1, "P", "dev-1", "", 6, 6, day), at(2, "P", "dev-1", "", 2, 2, day.AddDate(0, 0, 1))...)
	rs = append(rs, at(3, "P", "dev-1", "", 7, 7, day.AddDate(0, 0, 2))...)
	f := newFixture(t, rs...)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	_, body := get(t, c, f.srv.URL+"/dashboard")
	if n := strings.Count(body, `<circle `); n != 1 {
		t.Errorf("%d points drawn, want 1 (two days hidden)", n)
	}
	if n := strings.Count(body, `class="hidden-band"`); n != 2 {
		t.Errorf("%d hidden bands, want 2", n)
	}
	if !strings.Contains(body, `<title>24/11: &lt; 5</title>`) || !strings.Contains(body, `<title>23/11: ẩn</title>`) {
		t.Error("hidden days not labelled")
	}
}

func TestExportParameters(t *testing.T) {
	var rs []*survey.Response
	rs = append(rs, at(1, "Phường Ba Đình", "dev-1", "", 4, 2, day)...)
	rs = append(rs, at(2, "Xã Ba Vì", "dev-2", "hoi-cho", 3, 1, day.AddDate(0, 0, 1))...)
	f := newFixture(t, rs...)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	rows := func(t *testing.T, q string) int {
		t.Helper()
		resp, body := get(t, c, f.srv.URL+"/api/v1/export?format=csv&"+q)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", q, resp.StatusCode, body)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return len(recs) - 1
	}
	for q, want := range map[string]int{
		"":              7,
		"device=dev-2":  3,
		"event=hoi-cho": 3,
		"service_point=Ph%C6%B0%E1%BB%9Dng+Ba+%C4%90%C3%ACnh": 4,
		"survey=nhanh":                   7,
		"survey=nhanh@1&status=complete": 7,
		"survey=khac":                    0,
		"from=2026-11-24":                3,
		"to=2026-11-23":                  4,
		"labels=1&lang=en":               7,
		"device=dev-1&event=hoi-cho":     0,
	} {
		if got := rows(t, q); got != want {
			t.Errorf("%q: %d rows, want %d", q, got, want)
		}
	}
	for _, q := range []string{
		"format=csv&service-point=x", // misspelt: must not export every row
		"format=csv&servicepoint=x",
		"format=csv&device=dev-1&device=dev-2",
		"format=csv&labels=yes",
		"format=csv&lang=fr",
		"format=csv&survey=@2",
		"format=pdf",
		"",
	} {
		resp, body := get(t, c, f.srv.URL+"/api/v1/export?"+q)
		var e struct{ Code, Message string }
		if resp.StatusCode != http.StatusBadRequest || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
			json.Unmarshal([]byte(body), &e) != nil || e.Code == "" || e.Message == "" {
			t.Errorf("%q: %d %s %s, want a JSON 400", q, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}
}

// TestErrorsAreJSON: a wrong method, an unknown path, a missing CSRF token
// get JSON like every other error.
func TestErrorsAreJSON(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	tests := []struct {
		method, path string
		status       int
		code         string
	}{
		{"POST", "/dashboard", 405, "method"},
		{"DELETE", "/login", 405, "method"},
		{"PUT", "/api/v1/export", 405, "method"},
		{"GET", "/logout", 405, "method"},
		{"POST", "/", 405, "method"},
		{"GET", "/khong-co", 404, "not_found"},
		{"POST", "/logout", 403, "bad_csrf"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, f.srv.URL+tt.path, strings.NewReader(""))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var e struct{ Code, Message string }
		if resp.StatusCode != tt.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
			json.Unmarshal(body, &e) != nil || e.Code != tt.code || e.Message == "" {
			t.Errorf("%s %s: %d %s %s, want %d JSON %s", tt.method, tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), body, tt.status, tt.code)
		}
	}
}

// loginFrom logs in through a proxy that says the client is xff.
func (f *fixture) loginFrom(t *testing.T, c *http.Client, xff, name, password string) (*http.Response, string) {
	t.Helper()
	do := func(req *http.Request) (*http.Response, string) {
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	req, _ := http.NewRequest("GET", f.srv.URL+"/login", nil)
	_, page := do(req)
	form := url.Values{"csrf": {csrfOf(t, page)}, "name": {name}, "password": {password}}
	req, _ = http.NewRequest("POST", f.srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(req)
}

func TestLoginThrottledPerAccountAndPerAddress(t *testing.T) {
	f := newFixtureWith(t, func(c *Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	})
	if err := f.store.PutAdmin(t.Context(), "thu-ky", adminHash(t, "mật khẩu khác"), time.Now()); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	// One address fails five times: that address is locked ...
	for range maxLoginFailures {
		if resp, _ := f.loginFrom(t, c, "10.0.0.1", "admin", "sai"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", resp.StatusCode)
		}
	}
	if resp, body := f.loginFrom(t, c, "10.0.0.1", "thu-ky", "mật khẩu khác"); resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Đăng nhập sai quá nhiều lần") {
		t.Fatalf("locked address: %d", resp.StatusCode)
	}
	// ... but not the admins behind the same proxy at other addresses.
	if resp, _ := f.loginFrom(t, f.client(t), "10.0.0.2", "admin", "mật khẩu tốt"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("another address: %d, want a login", resp.StatusCode)
	}
	// Failures naming one account from many addresses lock that account only.
	for i := range maxAccountFailures {
		addr := fmt.Sprintf("10.0.1.%d", i/maxLoginFailures)
		if resp, _ := f.loginFrom(t, c, addr, "thu-ky", "sai"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i, resp.StatusCode)
		}
	}
	if resp, body := f.loginFrom(t, f.client(t), "10.0.2.1", "thu-ky", "mật khẩu khác"); resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Tài khoản này bị đăng nhập sai quá nhiều lần") {
		t.Fatalf("locked account: %d", resp.StatusCode)
	}
	if resp, _ := f.loginFrom(t, f.client(t), "10.0.2.1", "admin", "mật khẩu tốt"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("another account: %d, want a login", resp.StatusCode)
	}
	f.now = f.now.Add(loginWindow)
	if resp, _ := f.loginFrom(t, f.client(t), "10.0.2.1", "thu-ky", "mật khẩu khác"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after the window: %d, want a login", resp.StatusCode)
	}
}

// TestForwardedForIgnoredWithoutTrustedProxy: a client cannot dodge the
// limit by inventing X-Forwarded-For.
func TestForwardedForIgnoredWithoutTrustedProxy(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	for i := range maxLoginFailures {
		f.loginFrom(t, c, fmt.Sprintf("10.9.9.%d", i), "admin", "sai")
	}
	if resp, _ := f.loginFrom(t, c, "10.9.9.99", "admin", "mật khẩu tốt"); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("forged X-Forwarded-For: %d, want 429", resp.StatusCode)
	}
}

func TestClientAddr(t *testing.T) {
	trusted, err := ParseTrustedProxies("127.0.0.1, 10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		remote string
		xff    []string
		want   string
	}{
		{"192.0.2.7:5000", nil, "192.0.2.7"},
		{"192.0.2.7:5000", []string{"198.51.100.1"}, "192.0.2.7"}, // not from a trusted proxy
		{"127.0.0.1:5000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"127.0.0.1:5000", []string{"6.6.6.6, 198.51.100.1"}, "198.51.100.1"},    // the client's own entry is not believed
		{"127.0.0.1:5000", []string{"198.51.100.1, 10.1.2.3"}, "198.51.100.1"},   // two trusted hops
		{"127.0.0.1:5000", []string{"198.51.100.1", "10.1.2.3"}, "198.51.100.1"}, // two headers
		{"127.0.0.1:5000", nil, "127.0.0.1"},                                     // the proxy itself
		{"127.0.0.1:5000", []string{"rác"}, "127.0.0.1"},                         // garbage: the last good hop
		{"[::ffff:127.0.0.1]:5000", []string{"2001:db8::1"}, "2001:db8::1"},
	}
	for _, tt := range tests {
		r := &http.Request{RemoteAddr: tt.remote, Header: http.Header{}}
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := clientAddr(r, trusted); got != tt.want {
			t.Errorf("%s %v: %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
	for _, bad := range []string{"localhost", "10.0.0.0/33", "1.2.3"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestFormOfAndFold(t *testing.T) {
	if _, err := formOf(url.Values{"service-point": {"x"}}, filterParams...); err == nil || !strings.Contains(err.Error(), "service-point") {
		t.Errorf("misspelt parameter: %v", err)
	}
	if _, err := formOf(url.Values{"from": {"2026-11-01", "2026-11-02"}}, filterParams...); err == nil {
		t.Error("repeated parameter accepted")
	}
	f, err := formOf(url.Values{"service_point": {" Phu\u031bo\u031b\u0300ng Ba \u0110i\u0300nh "}, "device": {"dev-1"}, "event": {"hoi-cho"}}, filterParams...)
	if err != nil || f.ServicePoint != "Phường Ba Đình" || f.Device != "dev-1" || f.Event != "hoi-cho" {
		t.Errorf("form %+v %v: want NFC, trimmed", f, err)
	}
	for in, want := range map[string]string{"Phường Ba Đình": "phuong ba dinh", "XÃ  BA VÌ": "xa ba vi", "Đống Đa": "dong da"} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func adminHash(t *testing.T, password string) []byte {
	t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
