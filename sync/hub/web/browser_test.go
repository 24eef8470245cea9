package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// This file drives Debian's headless Chromium through chromedriver's
// WebDriver protocol (plain JSON over HTTP, so no client library): log in,
// see the charts, download an export, take a screenshot. `make test`
// installs chromium and chromium-driver and sets HAILONG_REQUIRE_BROWSER=1,
// so there a missing browser fails instead of skipping.

type webDriver struct {
	t    *testing.T
	base string // http://127.0.0.1:port/session/<id>
}

func startBrowser(t *testing.T, downloads string) *webDriver {
	t.Helper()
	chromium, err1 := exec.LookPath("chromium")
	driver, err2 := exec.LookPath("chromedriver")
	if err1 != nil || err2 != nil {
		if os.Getenv("HAILONG_REQUIRE_BROWSER") != "" {
			t.Fatalf("chromium/chromedriver not installed (apt-get install chromium chromium-driver): %v %v", err1, err2)
		}
		t.Skip("chromium/chromedriver not installed; `make test` installs them")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(driver, fmt.Sprintf("--port=%d", port))
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	root := fmt.Sprintf("http://127.0.0.1:%d", port)
	// chromedriver gives no readiness signal but its /status endpoint.
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(root + "/status")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("chromedriver did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName": "chrome",
		"goog:chromeOptions": map[string]any{
			"binary": chromium,
			"args": []string{"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--window-size=1200,1700", "--lang=vi",
				"--user-data-dir=" + t.TempDir()},
			"prefs": map[string]any{"download.default_directory": downloads, "download.prompt_for_download": false},
		},
	}}}
	wd := &webDriver{t: t, base: root}
	var out struct {
		SessionID string `json:"sessionId"`
	}
	wd.call("POST", "/session", caps, &out)
	wd.base = root + "/session/" + out.SessionID
	t.Cleanup(func() { wd.call("DELETE", "", nil, nil) })
	// Element look-ups wait for the element (up to 20 s), so a check after a
	// click waits for the next page instead of reading the old one.
	wd.call("POST", "/timeouts", map[string]any{"implicit": 20_000}, nil)
	// Allow downloads in headless mode explicitly (Chrome DevTools command).
	wd.call("POST", "/goog/cdp/execute", map[string]any{"cmd": "Browser.setDownloadBehavior",
		"params": map[string]any{"behavior": "allow", "downloadPath": downloads}}, nil)
	return wd
}

func (wd *webDriver) call(method, path string, body, out any) {
	wd.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, wd.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		wd.t.Fatalf("webdriver %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		wd.t.Fatalf("webdriver %s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if out == nil {
		return
	}
	var env struct{ Value json.RawMessage }
	if err := json.Unmarshal(raw, &env); err != nil {
		wd.t.Fatal(err)
	}
	if err := json.Unmarshal(env.Value, out); err != nil {
		wd.t.Fatal(err)
	}
}

func (wd *webDriver) open(url string) { wd.call("POST", "/url", map[string]string{"url": url}, nil) }

func (wd *webDriver) find(css string) string {
	var v map[string]string
	wd.call("POST", "/element", map[string]string{"using": "css selector", "value": css}, &v)
	for _, id := range v {
		return id
	}
	wd.t.Fatalf("no element %s", css)
	return ""
}

func (wd *webDriver) typeInto(css, text string) {
	wd.call("POST", "/element/"+wd.find(css)+"/value", map[string]string{"text": text}, nil)
}

func (wd *webDriver) click(css string) {
	wd.call("POST", "/element/"+wd.find(css)+"/click", map[string]any{}, nil)
}

func (wd *webDriver) text(css string) string {
	var s string
	wd.call("GET", "/element/"+wd.find(css)+"/text", nil, &s)
	return s
}

func (wd *webDriver) currentURL() string {
	var s string
	wd.call("GET", "/url", nil, &s)
	return s
}

// script runs JavaScript in the page and decodes its result into out.
func (wd *webDriver) script(js string, out any) {
	wd.call("POST", "/execute/sync", map[string]any{"script": js, "args": []any{}}, out)
}

// viewport makes the page width × height CSS pixels, as a phone or a
// desktop browser would show it (mobile: the meta viewport applies).
func (wd *webDriver) viewport(width, height int, mobile bool) {
	wd.call("POST", "/goog/cdp/execute", map[string]any{"cmd": "Emulation.setDeviceMetricsOverride",
		"params": map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}}, nil)
}

func (wd *webDriver) screenshot(path string) {
	var b64 string
	wd.call("GET", "/screenshot", nil, &b64)
	png, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		wd.t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		wd.t.Fatal(err)
	}
}

func TestBrowserLoginChartExport(t *testing.T) {
	var rs = responses(t, 9, 7, time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
	rs = append(rs, responses(t, 12, 11, time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC))...)
	rs = append(rs, responses(t, 3, 1, time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC))...)
	rs = append(rs, responses(t, 10, 6, time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))...)
	f := newFixture(t, rs...)
	f.now = time.Now()
	downloads := t.TempDir()
	wd := startBrowser(t, downloads)

	wd.open(f.srv.URL + "/dashboard")
	if u := wd.currentURL(); !strings.HasSuffix(u, "/login") {
		t.Fatalf("not sent to the login page: %s", u)
	}
	wd.typeInto("#name", "admin")
	wd.typeInto("#password", "sai mật khẩu")
	wd.click("#login")
	if msg := wd.text(".error"); !strings.Contains(msg, "Sai tên đăng nhập hoặc mật khẩu") {
		t.Fatalf("wrong password message %q", msg)
	}
	wd.typeInto("#password", "mật khẩu tốt")
	wd.click("#login")
	wd.find("#overall") // only on the dashboard
	if u := wd.currentURL(); !strings.HasSuffix(u, "/dashboard") {
		t.Fatalf("after login at %s", u)
	}
	if got := wd.text("#overall .n"); got == "" || got == "< 5" {
		t.Fatalf("overall index %q", got)
	}
	wd.find("#bars li.bar .fill")
	wd.find("#trend polyline")

	shot := filepath.Join(t.TempDir(), "hub-dashboard.png")
	if os.Getenv("HAILONG_SCREENSHOTS") != "" {
		shot = filepath.Join("..", "..", "..", "docs", "screenshots", "hub-dashboard.png")
		os.MkdirAll(filepath.Dir(shot), 0o755)
	}
	wd.screenshot(shot)
	if st, err := os.Stat(shot); err != nil || st.Size() < 10_000 {
		t.Fatalf("screenshot %s: %v", shot, err)
	}

	wd.click("#export-csv")
	deadline := time.Now().Add(30 * time.Second)
	for {
		matches, _ := filepath.Glob(filepath.Join(downloads, "hailong*.csv"))
		if len(matches) == 1 {
			data, err := os.ReadFile(matches[0])
			if err != nil {
				t.Fatal(err)
			}
			if lines := strings.Count(string(data), "\n"); lines != 1+len(rs) {
				t.Fatalf("downloaded %s has %d lines, want %d", matches[0], lines, 1+len(rs))
			}
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(downloads)
			t.Fatalf("no CSV downloaded; folder holds %v", entries)
		}
		time.Sleep(100 * time.Millisecond) // no download-finished signal over WebDriver
	}
}
