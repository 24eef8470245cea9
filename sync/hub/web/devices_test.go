package web

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"html"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/hailong-kiosk/hailong/sync/hub"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

var (
	qrRe   = regexp.MustCompile(`<img id="qr" src="data:image/png;base64,([^"]+)"`)
	codeRe = regexp.MustCompile(`<td id="code"[^>]*>([^<]+)</td>`)
)

// decodeQR reads the text of the enrollment page's QR code.
func decodeQR(t *testing.T, page string) string {
	t.Helper()
	m := qrRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no QR code in the page:\n%s", page)
	}
	b, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode QR: %v", err)
	}
	return res.GetText()
}

// TestDevicesEnrollAndRevoke: an admin enrolls a device from the page,
// the shown code and its QR code claim it, and a confirmed revoke revokes
// it; both are in the audit log under the admin's name.
func TestDevicesEnrollAndRevoke(t *testing.T) {
	f := newFixture(t)
	f.now = time.Now()
	c := f.client(t)
	f.login(t, c, "mật khẩu tốt")
	resp, page := get(t, c, f.srv.URL+"/devices")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Kiosk tầng 1") || !strings.Contains(page, "Máy lưu động") || !strings.Contains(page, `id="enroll"`) {
		t.Fatalf("devices page: %d\n%s", resp.StatusCode, page)
	}
	csrf := csrfOf(t, page)
	for _, tt := range []struct{ name, point, want string }{
		{"  ", "x", "Hãy nhập tên thiết bị"},
		{strings.Repeat("ê", 101), "x", "tối đa 100 ký tự"},
		{"Kiosk", strings.Repeat("a", 201), "tối đa 200 ký tự"},
		{"Kiosk\x07", "", "ký tự điều khiển"},
	} {
		resp, page := post(t, c, f.srv.URL+"/devices/enroll", url.Values{"csrf": {csrf}, "name": {tt.name}, "service_point": {tt.point}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(page, tt.want) {
			t.Errorf("enroll %q: %d, want 400 with %q", tt.name, resp.StatusCode, tt.want)
		}
	}
	if resp, _ := post(t, c, f.srv.URL+"/devices/enroll", url.Values{"name": {"Kiosk"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("enroll without CSRF token: %d, want 403", resp.StatusCode)
	}
	resp, page = post(t, c, f.srv.URL+"/devices/enroll", url.Values{"csrf": {csrf}, "name": {"Kiosk sảnh"}, "service_point": {"Phường Hoàn Kiếm"}})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("enroll: %d, Cache-Control %q\n%s", resp.StatusCode, resp.Header.Get("Cache-Control"), page)
	}
	m := codeRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no code in the page:\n%s", page)
	}
	hubURL, qrCode, err := protocol.ParseEnrollURI(decodeQR(t, page))
	if err != nil || qrCode != m[1] || hubURL != f.srv.URL {
		t.Fatalf("QR holds %q, %q, %v; want %s and the code %s", hubURL, qrCode, err, f.srv.URL, m[1])
	}
	// Opened on the hub itself (127.0.0.1 here), the address reaches no
	// kiosk: the page says so. The way there is named as the kiosk names it.
	if !strings.Contains(page, `id="loopback"`) || !strings.Contains(page, "thẻ <b>Đồng bộ</b> → <b>Kết nối máy chủ đồng bộ</b>") {
		t.Errorf("enrolled page on 127.0.0.1 lacks the loopback warning or the tab's name:\n%s", page)
	}
	pub, _, _ := ed25519.GenerateKey(nil)
	h := hub.New(hub.Config{Store: f.store})
	er, err := h.Enroll(context.Background(), &protocol.EnrollRequest{Code: qrCode, PublicKey: pub})
	if err != nil {
		t.Fatalf("the page's code does not enroll: %v", err)
	}
	if _, page := get(t, c, f.srv.URL+"/devices"); !strings.Contains(page, "Kiosk sảnh") || !strings.Contains(page, "Đang hoạt động") {
		t.Errorf("enrolled device not listed as active:\n%s", page)
	}
	resp, page = get(t, c, f.srv.URL+"/devices/revoke?id="+er.DeviceID)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Thu hồi thiết bị Kiosk sảnh?") {
		t.Fatalf("confirmation: %d\n%s", resp.StatusCode, page)
	}
	if d, _ := f.store.Device(context.Background(), er.DeviceID); d.State() != "active" {
		t.Fatal("the confirmation page revoked the device")
	}
	if resp, _ := get(t, c, f.srv.URL+"/devices/revoke?id=dev-none"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("confirm an unknown device: %d, want 404", resp.StatusCode)
	}
	if resp, _ := post(t, c, f.srv.URL+"/devices/revoke", url.Values{"csrf": {csrf}, "id": {"dev-none"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("revoke an unknown device: %d, want 404", resp.StatusCode)
	}
	resp, _ = post(t, c, f.srv.URL+"/devices/revoke", url.Values{"csrf": {csrf}, "id": {er.DeviceID}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/devices" {
		t.Fatalf("revoke: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if d, _ := f.store.Device(context.Background(), er.DeviceID); d.State() != "revoked" {
		t.Errorf("after revoke the device is %s", d.State())
	}
	got := auditActions(t, f)
	want := []string{
		"admin login ",
		"admin device_enroll " + url.Values{"id": {er.DeviceID}, "name": {"Kiosk sảnh"}, "service_point": {"Phường Hoàn Kiếm"}}.Encode(),
		"admin device_revoke id=" + er.DeviceID,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestViewerCannotChangeDevices: a viewer sees the list, without the form
// or buttons, and every change is refused with 403 and changes nothing.
func TestViewerCannotChangeDevices(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.store.PutAdminAs(ctx, "xem", adminHash(t, "mật khẩu người xem"), hub.RoleViewer, time.Now()); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	_, page := get(t, c, f.srv.URL+"/login")
	post(t, c, f.srv.URL+"/login", url.Values{"csrf": {csrfOf(t, page)}, "name": {"xem"}, "password": {"mật khẩu người xem"}})
	resp, page := get(t, c, f.srv.URL+"/devices")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Kiosk tầng 1") {
		t.Fatalf("viewer's devices page: %d\n%s", resp.StatusCode, page)
	}
	if strings.Contains(page, `id="enroll"`) || strings.Contains(page, "/devices/revoke") {
		t.Error("a viewer is shown the enroll form or revoke buttons")
	}
	csrf := csrfOf(t, page)
	before, _ := f.store.Devices(ctx)
	for _, req := range []struct {
		method, path string
		form         url.Values
	}{
		{"POST", "/devices/enroll", url.Values{"csrf": {csrf}, "name": {"Kiosk lạ"}}},
		{"GET", "/devices/revoke?id=dev-1", nil},
		{"POST", "/devices/revoke", url.Values{"csrf": {csrf}, "id": {"dev-1"}}},
	} {
		var resp *http.Response
		var body string
		if req.method == "GET" {
			resp, body = get(t, c, f.srv.URL+req.path)
		} else {
			resp, body = post(t, c, f.srv.URL+req.path, req.form)
		}
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "tài khoản quản trị") {
			t.Errorf("viewer %s %s: %d %s, want 403", req.method, req.path, resp.StatusCode, body)
		}
	}
	after, _ := f.store.Devices(ctx)
	if len(after) != len(before) || after[0].State() != "pending" {
		t.Errorf("a viewer changed the devices: %d before, %d after", len(before), len(after))
	}
	if got := auditActions(t, f); len(got) != 1 || got[0] != "xem login " {
		t.Errorf("audit log %q, want the viewer's login only", got)
	}
}

func TestIsLoopbackURL(t *testing.T) {
	for u, want := range map[string]bool{
		"http://127.0.0.1:8080": true, "http://127.1.2.3": true, "http://[::1]:8080": true,
		"http://localhost:8080": true, "https://hub.localhost": true, "http://LOCALHOST": true,
		"http://192.168.1.10:8080": false, "https://hub.phuong.vn": false, "http://[fd00::2]:8080": false,
		"http://localhost.phuong.vn": false, "://bad": false,
	} {
		if got := isLoopbackURL(u); got != want {
			t.Errorf("isLoopbackURL(%q) = %v, want %v", u, got, want)
		}
	}
}
