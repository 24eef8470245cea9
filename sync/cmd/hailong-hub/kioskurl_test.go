package main

import (
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeKioskURL: with --kiosk-url, the dashboard's enrollment page (and
// its QR code) gives kiosks that address, not the one the admin's browser
// used (on the hub itself, 127.0.0.1, which no kiosk reaches); an address
// without a scheme is refused at start.
func TestServeKioskURL(t *testing.T) {
	if _, errs, code := runCmd(t, "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--kiosk-url", "192.168.1.10:8080"); code != 2 || !strings.Contains(errs, "--kiosk-url") {
		t.Errorf("--kiosk-url without a scheme: exit %d %s", code, errs)
	}
	db := filepath.Join(t.TempDir(), "hub.db")
	const pw = "mật khẩu của An"
	if _, errs, code := runCmdIn(t, pw+"\n", "admin", "add", "An", "--db", db); code != 0 {
		t.Fatalf("admin add: exit %d\n%s", code, errs)
	}
	for _, tc := range []struct {
		args []string
		want string // "" is the browser's address
	}{
		{nil, ""},
		{[]string{"--kiosk-url", "http://192.168.1.10:8080/"}, "http://192.168.1.10:8080"},
	} {
		base := startServe(t, append([]string{"--db", db}, tc.args...)...)
		want := tc.want
		if want == "" {
			want = base
		}
		c := browser(t, nil)
		if res := logIn(t, c, base, "An", pw); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %d", res.StatusCode)
		}
		_, page := fetch(t, c, base+"/devices")
		m := csrfRE.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no CSRF token in the devices page:\n%s", page)
		}
		res, err := c.PostForm(base+"/devices/enroll", url.Values{"csrf": {m[1]}, "name": {"Kiosk sảnh"}, "service_point": {"Phường Hoàn Kiếm"}})
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `<td id="hub_url">`+want+`</td>`) {
			t.Errorf("%v: enrolled page %d does not give %s:\n%s", tc.args, res.StatusCode, want, body)
		}
	}
}
