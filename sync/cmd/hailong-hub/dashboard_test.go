package main

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startServe runs `serve` through Main on 127.0.0.1 and returns its base URL.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	m := NewMain(io.Discard, io.Discard)
	if err := m.ParseFlags(context.Background(), append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Error(err)
		}
	})
	return "http://" + m.Addr().String()
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// browser is an HTTP client with a cookie jar that shows each redirect.
func browser(t *testing.T, transport http.RoundTripper) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func fetch(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// logIn fetches the login form, posts it with its CSRF token and cookie,
// and returns the answer to the POST.
func logIn(t *testing.T, c *http.Client, base, name, password string) *http.Response {
	t.Helper()
	_, page := fetch(t, c, base+"/login")
	m := csrfRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in the login page:\n%s", page)
	}
	res, err := c.PostForm(base+"/login", url.Values{"csrf": {m[1]}, "name": {name}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// TestAdminAddThenDashboard is the operator's path: add an admin with the
// CLI, start serve, log in over HTTP, see the dashboard, export CSV.
func TestAdminAddThenDashboard(t *testing.T) {
	db := fillHub(t, 30, 10)
	const pw = "mật khẩu của An"
	if _, errs, code := runCmdIn(t, pw+"\n", "admin", "add", "An", "--db", db); code != 0 {
		t.Fatalf("admin add: exit %d\n%s", code, errs)
	}
	base := startServe(t, "--db", db)
	c := browser(t, nil)

	if res, _ := fetch(t, c, base+"/dashboard"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("dashboard before login: %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := logIn(t, c, base, "An", "mật khẩu sai rồi"); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d, want 401", res.StatusCode)
	}
	if res := logIn(t, c, base, "an", pw); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("name in the wrong case: %d, want 401", res.StatusCode)
	}
	res := logIn(t, c, base, "An", pw)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/dashboard" {
		t.Fatalf("login: %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	for _, ck := range res.Cookies() {
		if ck.Name == "hl_session" && (!ck.HttpOnly || ck.Secure) {
			t.Errorf("session cookie over plain HTTP: %+v, want HttpOnly and not Secure", ck)
		}
	}
	res, page := fetch(t, c, base+"/dashboard")
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "Chỉ số hài lòng") || !strings.Contains(page, "Đánh giá nhanh") {
		t.Fatalf("dashboard: %d\n%.2000s", res.StatusCode, page)
	}
	res, body := fetch(t, c, base+"/api/v1/export?format=csv&from=2026-11-21&to=2026-11-21")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export: %d %s", res.StatusCode, body)
	}
	rows := readCSV(t, []byte(body))
	if len(rows) != 10 || rows[0]["gop_y"] != comment {
		t.Fatalf("export: %d rows (want 10), first %v", len(rows), rows[0])
	}

	// The sync API, /healthz and /metrics still answer beside the dashboard.
	if res, _ := fetch(t, c, base+"/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("/healthz: %d", res.StatusCode)
	}
	if res, _ := fetch(t, c, base+"/metrics"); res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("/metrics: %d %s, want Prometheus text", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res, body := fetch(t, c, base+"/api/v1/surveys"); res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"code"`) {
		t.Errorf("/api/v1/surveys without a token: %d %s, want a JSON 401", res.StatusCode, body)
	}
	if res, body := fetch(t, c, base+"/nope"); res.StatusCode != http.StatusNotFound || !strings.Contains(body, `"code"`) {
		t.Errorf("/nope: %d %s, want the hub's JSON 404", res.StatusCode, body)
	}
	if res, _ := fetch(t, c, base+"/"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/dashboard" {
		t.Errorf("/: %d → %s, want the dashboard", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestSecureCookiesFlag(t *testing.T) {
	tests := []struct {
		args []string
		want bool
	}{
		{nil, false},
		{[]string{"--tls-cert", "c.pem", "--tls-key", "k.pem"}, true},
		{[]string{"--tls-cert", "c.pem", "--tls-key", "k.pem", "--secure-cookies=false"}, false},
		{[]string{"--secure-cookies"}, true}, // behind a TLS proxy
	}
	for _, tt := range tests {
		m := NewMain(io.Discard, io.Discard)
		if err := m.ParseFlags(context.Background(), append([]string{"serve"}, tt.args...)); err != nil {
			t.Fatal(err)
		}
		if got := m.command.(*serveCommand).secureCookies; got != tt.want {
			t.Errorf("serve %q: secure cookies %v, want %v", tt.args, got, tt.want)
		}
	}
}

// TestLargeExportOutlivesWriteTimeout streams 20 000 rows through the real
// serve with a 1 s write timeout to a client that stops reading for longer
// than that mid-download, with small receive buffers so that the hub's
// writes block: the export must still arrive whole, because the export
// handler lifts the write deadline. Over HTTP/1.1 and over HTTP/2 on TLS.
func TestLargeExportOutlivesWriteTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("stores and streams 20 000 responses")
	}
	const n = 20_000
	const writeTimeout = time.Second
	db := fillHub(t, n, 2_000)
	const pw = "mật khẩu xuất dữ liệu"
	if _, errs, code := runCmdIn(t, pw+"\n", "admin", "add", "an", "--db", db); code != 0 {
		t.Fatalf("admin add: exit %d\n%s", code, errs)
	}
	// The client's socket takes 4 KiB at a time (no autotuning).
	dialer := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		if err != nil {
			return err
		}
		return serr
	}}
	certFile, keyFile, pool := selfSigned(t, t.TempDir())
	tests := []struct {
		name      string
		args      []string
		transport *http.Transport
		proto     int
	}{
		{"HTTP/1.1", nil, &http.Transport{DialContext: dialer.DialContext}, 1},
		{"HTTP/2 over TLS", []string{"--tls-cert", certFile, "--tls-key", keyFile}, &http.Transport{
			DialContext: dialer.DialContext, TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true,
			// The smallest flow-control windows, so the hub blocks on them too.
			HTTP2: &http.HTTP2Config{MaxReceiveBufferPerConnection: 64 << 10, MaxReceiveBufferPerStream: 64 << 10},
		}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := startServe(t, append([]string{"--db", db, "--write-timeout", writeTimeout.String()}, tt.args...)...)
			if tt.proto == 2 {
				base = strings.Replace(base, "http://", "https://", 1)
			}
			c := browser(t, tt.transport)
			if res := logIn(t, c, base, "an", pw); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("login: %d", res.StatusCode)
			}
			res, err := c.Get(base + "/api/v1/export?format=csv")
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode != http.StatusOK || res.ProtoMajor != tt.proto {
				t.Fatalf("export: %d over %s", res.StatusCode, res.Proto)
			}
			head := make([]byte, 4096)
			if _, err := io.ReadFull(res.Body, head); err != nil {
				t.Fatal(err)
			}
			// Stall past the server's write timeout: what is under test is
			// that deadline, so a timer is the signal here.
			<-time.After(2*writeTimeout + writeTimeout/2)
			rest, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatalf("export cut after %d bytes: %v", len(head)+len(rest), err)
			}
			data := append(head, rest...)
			if len(data) < 5<<20 { // more than the kernel's largest send buffer (4 MiB)
				t.Fatalf("export is only %d bytes: too small to fill the buffers, the test proves nothing", len(data))
			}
			rows := readCSV(t, data)
			if len(rows) != n {
				t.Fatalf("export holds %d rows, want %d", len(rows), n)
			}
			seen := make(map[string]bool, n)
			for _, r := range rows {
				seen[r["id"]] = true
			}
			if len(seen) != n || rows[n-1]["gop_y"] != comment {
				t.Errorf("%d distinct ids, last row %v", len(seen), rows[n-1])
			}
		})
	}
}

// TestDashboardOverTLS: with --tls-cert the dashboard's cookies are Secure,
// and an admin logs in and exports over HTTPS (HTTP/2).
func TestDashboardOverTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	db := fillHub(t, 12, 12)
	if _, errs, code := runCmdIn(t, "mật khẩu qua TLS\n", "admin", "add", "an", "--db", db); code != 0 {
		t.Fatalf("admin add: exit %d\n%s", code, errs)
	}
	m := NewMain(io.Discard, io.Discard)
	if err := m.ParseFlags(context.Background(), []string{"serve", "--db", db, "--listen", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile}); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	base := "https://" + m.Addr().String()
	c := browser(t, &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true})
	res := logIn(t, c, base, "an", "mật khẩu qua TLS")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login over TLS: %d", res.StatusCode)
	}
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "hl_session" {
			session = ck
		}
	}
	if session == nil || !session.Secure || !session.HttpOnly {
		t.Fatalf("session cookie over TLS: %+v, want Secure and HttpOnly", session)
	}
	res, body := fetch(t, c, base+"/api/v1/export?format=jsonl")
	if res.StatusCode != http.StatusOK || res.ProtoMajor != 2 || strings.Count(body, "\n") != 12 {
		t.Errorf("export over TLS: %d %s, %d lines; want 200 over HTTP/2 with 12", res.StatusCode, res.Proto, strings.Count(body, "\n"))
	}
}
