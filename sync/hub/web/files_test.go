package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var coverageRowRe = regexp.MustCompile(`<tr><td class="name">([^<]*)</td><td class="num" data-label="Hồ sơ trả">([^<]*)</td><td class="num" data-label="Phiếu">([^<]*)</td><td class="num" data-label="Độ phủ">([^<]*)</td><td class="num [a-z]+" data-label="Hài lòng">([^<]*)</td><td class="num [a-z]+" data-label="Kiểu 766">([^<]*)</td></tr>`)

// coverageOf reads the dashboard's coverage table: point → its cells.
func coverageOf(body string) map[string]string {
	out := map[string]string{}
	for _, m := range coverageRowRe.FindAllStringSubmatch(body, -1) {
		out[m[1]] = strings.Join(m[2:], " | ")
	}
	return out
}

// TestFilesFormAndCoverage records files returned on the /files form (CSRF
// checked, bad values refused in Vietnamese, nothing stored), and reads the
// coverage table on the dashboard: counts as they are, the small point's
// satisfied share and 766-equivalent hidden, and its neighbour's too.
func TestFilesFormAndCoverage(t *testing.T) {
	rs := at(1, "Phường Ba Đình", "dev-1", "", 20, 15, day)
	rs = append(rs, at(2, "Xã Ba Vì", "dev-2", "", 3, 1, day)...)
	f := newFixture(t, rs...)
	c := f.client(t)
	if resp, _ := get(t, c, f.srv.URL+"/files"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("files page without login: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	f.login(t, c, "mật khẩu tốt")
	_, page := get(t, c, f.srv.URL+"/files")
	csrf := csrfOf(t, page)
	if !strings.Contains(page, `<option value="Phường Ba Đình">`) || !strings.Contains(page, "Chưa ghi ngày nào.") {
		t.Fatalf("files page:\n%s", page)
	}
	_, body := get(t, c, f.srv.URL+"/dashboard")
	if got := coverageOf(body)["Xã Ba Vì"]; got != "chưa ghi | 3 | — | &lt; 5 | chưa có dữ liệu" {
		t.Fatalf("dashboard without files: Ba Vì %q", got)
	}

	record := func(day, point, files string) (*http.Response, string) {
		return post(t, c, f.srv.URL+"/files", url.Values{"csrf": {csrf}, "day": {day}, "service_point": {point}, "files": {files}})
	}
	if resp, _ := post(t, c, f.srv.URL+"/files", url.Values{"csrf": {"sai"}, "day": {"2026-11-23"}, "service_point": {"Xã Ba Vì"}, "files": {"9"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("bad CSRF: %d", resp.StatusCode)
	}
	for _, bad := range []struct{ day, point, files, msg string }{
		{"23/13/2026", "Xã Ba Vì", "9", "Ngày “23/13/2026” không hợp lệ"},
		{"2026-11-23", "  ", "9", "Hãy nhập điểm phục vụ."},
		{"2026-11-23", "Xã Ba Vì", "chín", "Số hồ sơ trả “chín” phải là một số nguyên"},
		{"2026-11-23", "Xã Ba Vì", "-1", "Số hồ sơ trả phải từ 0 đến 100000."},
	} {
		resp, body := record(bad.day, bad.point, bad.files)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, bad.msg) || !strings.Contains(body, `value="`+strings.TrimSpace(bad.files)+`"`) {
			t.Errorf("%+v: %d, want 400 saying %q with the typed value kept", bad, resp.StatusCode, bad.msg)
		}
	}
	if _, body := get(t, c, f.srv.URL+"/files"); !strings.Contains(body, "Chưa ghi ngày nào.") {
		t.Fatal("a refused form stored something")
	}

	// 23 November 2026 in Vietnamese day order; NFC; a day recorded again replaces it.
	for _, ok := range []struct{ day, point, files string }{
		{"23/11/2026", "Phường Ba Đình", "39"},
		{"2026-11-23", "Phường Ba Đình", "40"},
		{"2026-11-23", "Xa\u0303 Ba Vi\u0300", "10"},
		{"2026-11-30", "Xã Ba Vì", "500"}, // outside the filtered period below
	} {
		resp, body := record(ok.day, ok.point, ok.files)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Đã ghi "+ok.files+" hồ sơ trả ngày") {
			t.Fatalf("record %+v: %d\n%s", ok, resp.StatusCode, body)
		}
	}
	_, body = get(t, c, f.srv.URL+"/files")
	if !strings.Contains(body, `<td class="day">2026-11-23</td><td>Phường Ba Đình</td><td class="num">40</td>`) || strings.Contains(body, `<td class="num">39</td>`) {
		t.Errorf("files list:\n%s", body)
	}

	_, body = get(t, c, f.srv.URL+"/dashboard?from=2026-11-23&to=2026-11-29")
	got := coverageOf(body)
	want := map[string]string{
		"Phường Ba Đình": "40 | 20 | 50,0 % | ẩn | ẩn",
		"Xã Ba Vì":       "10 | 3 | 30,0 % | &lt; 5 | &lt; 5",
		"Tổng":           "50 | 23 | 46,0 % | 69,6 % | 86,0 %", // 16 of 23 satisfied; (50 − 7) ÷ 50
	}
	if len(got) != len(want) {
		t.Errorf("coverage rows %v, want %v", got, want)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("coverage %s: %q, want %q", k, got[k], w)
		}
	}
	// The XLSX export's Summary carries the same table.
	resp, err := c.Get(f.srv.URL + "/api/v1/export?format=xlsx&from=2026-11-23&to=2026-11-29")
	if err != nil {
		t.Fatal(err)
	}
	xl, err := excelize.OpenReader(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	sum, err := xl.GetRows("Tổng hợp")
	xl.Close()
	if err != nil {
		t.Fatal(err)
	}
	if last := sum[len(sum)-1]; strings.Join(last, " | ") != "Tổng | 50 | 23 | 46.00 | 69.57 | 86.00" {
		t.Errorf("XLSX coverage total %q", last)
	}
	// One service point: its row only, its files only.
	_, body = get(t, c, f.srv.URL+"/dashboard?service_point="+url.QueryEscape("Phường Ba Đình")+"&from=2026-11-23&to=2026-11-29")
	if got := coverageOf(body); len(got) != 1 || got["Phường Ba Đình"] != "40 | 20 | 50,0 % | 75,0 % | 87,5 %" {
		t.Errorf("coverage of one point: %v", got)
	}
}
