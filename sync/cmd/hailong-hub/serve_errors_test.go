package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/sync/hub"
)

// TestServeErrorsAreJSON: through the real server, oversize headers, wrong
// methods and unknown paths get JSON, on the sync API and the dashboard.
func TestServeErrorsAreJSON(t *testing.T) {
	base := startServe(t, "--db", filepath.Join(t.TempDir(), "hub.db"))
	big := strings.Repeat("x", hub.MaxHeaderBytes+1)
	tests := []struct {
		method, path string
		header       string
		status       int
	}{
		{"GET", "/healthz", big, http.StatusRequestHeaderFieldsTooLarge},
		{"GET", "/dashboard", big, http.StatusRequestHeaderFieldsTooLarge},
		{"POST", "/dashboard", "", http.StatusMethodNotAllowed},
		{"PUT", "/login", "", http.StatusMethodNotAllowed},
		{"GET", "/api/v1/batches", "", http.StatusMethodNotAllowed},
		{"GET", "/khong-co", "", http.StatusNotFound},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, base+tt.path, nil)
		if tt.header != "" {
			req.Header.Set("X-Long", tt.header)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var e struct{ Code, Message string }
		if res.StatusCode != tt.status || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") ||
			json.Unmarshal(body, &e) != nil || e.Code == "" || e.Message == "" {
			t.Errorf("%s %s: %d %q %.80s, want %d JSON", tt.method, tt.path, res.StatusCode, res.Header.Get("Content-Type"), body, tt.status)
		}
	}
	// A header just under the limit passes.
	req, _ := http.NewRequest("GET", base+"/healthz", nil)
	req.Header.Set("X-Long", strings.Repeat("x", hub.MaxHeaderBytes-200))
	if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
		t.Errorf("header under the limit: %v %v", res, err)
	}
}

func TestEnrollHubURL(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hub.db")
	for _, bad := range []string{"hub.phuong.vn", "ftp://hub.phuong.vn", "https://", "http:///duong-dan", "https://u:p@hub.vn", "https://hub.vn/?a=1", "https://hub.vn:99999", "https://hub.vn#x"} {
		_, errs, code := runCmd(t, "device", "enroll", "--db", db, "--name", "Kiosk 1", "--hub-url", bad)
		if code != 2 || !strings.Contains(errs, "--hub-url") || !strings.Contains(errs, "cần dạng http(s)://") {
			t.Errorf("--hub-url %q: exit %d, %s", bad, code, errs)
		}
	}
	out := mustRun(t, "device", "enroll", "--db", db, "--name", "Kiosk 1", "--service-point", "Phường Ba Đình", "--hub-url", "https://hub.phuong.vn:8443/")
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "Thiết bị / Device:") || !strings.Contains(out, "Địa chỉ máy chủ / Hub URL:      https://hub.phuong.vn:8443\n") ||
		!strings.Contains(out, "Mã kích hoạt / Code:") || !codeRE.MatchString(out) {
		t.Errorf("output not Vietnamese first:\n%s", out)
	}
	vi, en := strings.Index(out, "Nhập địa chỉ máy chủ"), strings.Index(out, "Enter the hub URL")
	if vi < 0 || en < vi {
		t.Errorf("the Vietnamese instruction must come first:\n%s", out)
	}
	// The instruction names the kiosk's tab and box as the kiosk shows them.
	for _, want := range []string{"thẻ Đồng bộ, mục Kết nối máy chủ đồng bộ", "tab Đồng bộ / Sync, box Kết nối máy chủ đồng bộ / Connect to the sync hub", "hailong enroll --hub"} {
		if !strings.Contains(out, want) {
			t.Errorf("instruction lacks %q:\n%s", want, out)
		}
	}
	// Without --hub-url the admin is told which address to give.
	out = mustRun(t, "device", "enroll", "--db", db, "--name", "Kiosk 2")
	if !strings.Contains(out, "Địa chỉ máy chủ / Hub URL:      địa chỉ mà serve in ra") || !strings.Contains(out, "the address serve printed") {
		t.Errorf("without --hub-url, no word on the address:\n%s", out)
	}
}

func TestTrustedProxyFlag(t *testing.T) {
	for _, bad := range []string{"localhost", "10.0.0.0/40"} {
		_, errs, code := runCmd(t, "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--trusted-proxy", bad)
		if code != 2 || !strings.Contains(errs, "--trusted-proxy") {
			t.Errorf("--trusted-proxy %q: exit %d %s", bad, code, errs)
		}
	}
	// Behind the proxy (127.0.0.1), one admin's failures lock only their address.
	db := filepath.Join(t.TempDir(), "hub.db")
	if _, errs, code := runCmdIn(t, "mật khẩu tốt\n", "admin", "add", "admin", "--db", db); code != 0 {
		t.Fatalf("admin add: %s", errs)
	}
	base := startServe(t, "--db", db, "--trusted-proxy", "127.0.0.1")
	for i := range 5 {
		if res := logInFrom(t, base, "10.0.0.1", "admin", fmt.Sprint("sai", i)); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", res.StatusCode)
		}
	}
	if res := logInFrom(t, base, "10.0.0.1", "admin", "mật khẩu tốt"); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("locked address: %d, want 429", res.StatusCode)
	}
	if res := logInFrom(t, base, "10.0.0.2", "admin", "mật khẩu tốt"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("another admin behind the proxy: %d, want a login", res.StatusCode)
	}
}

// logInFrom logs in as a reverse proxy would forward a client at xff.
func logInFrom(t *testing.T, base, xff, name, password string) *http.Response {
	t.Helper()
	c := browser(t, &forwarded{xff: xff})
	return logIn(t, c, base, name, password)
}

type forwarded struct{ xff string }

func (f *forwarded) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", f.xff)
	return http.DefaultTransport.RoundTrip(r)
}
