package client

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/sync/protocol"
	"golang.org/x/text/unicode/norm"
)

func TestNormalizeHubURL(t *testing.T) {
	tests := []struct {
		in, want string
		bad      bool
	}{
		{in: "https://hub.example.vn", want: "https://hub.example.vn"},
		{in: "  https://hub.example.vn/  ", want: "https://hub.example.vn"},
		{in: "hub.example.vn", want: "https://hub.example.vn"},
		{in: "hub.example.vn:8443/dongbo/", want: "https://hub.example.vn:8443/dongbo"},
		{in: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{in: "", bad: true},
		{in: "   ", bad: true},
		{in: "ftp://hub.example.vn", bad: true},
		{in: "https://", bad: true},
		{in: "https://hub.example.vn/?x=1", bad: true},
		{in: "https://user:pw@hub.example.vn", bad: true},
		{in: "https://hub example.vn", bad: true},
		{in: "https://:8080", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeHubURL(tt.in)
			if tt.bad {
				if KindOf(err) != KindBadURL {
					t.Errorf("NormalizeHubURL(%q) = %q, %v; want a bad-URL error", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("NormalizeHubURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

// enrollHub answers the enroll endpoint like the hub: code "ABCDE-12345"
// is good once.
func enrollHub(t *testing.T) (*httptest.Server, *ed25519.PublicKey) {
	var pub ed25519.PublicKey
	used := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != protocol.PathEnroll || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		var req protocol.EnrollRequest
		if err := protocol.Decode(r.Body, protocol.MaxRequestBytes, &req); err != nil {
			t.Errorf("enroll request: %v", err)
		}
		w.Header().Set("Content-Type", protocol.ContentType)
		if protocol.NormalizeCode(req.Code) != "ABCDE12345" || used {
			w.WriteHeader(http.StatusForbidden)
			json.NewEncoder(w).Encode(protocol.Error{Code: protocol.CodeBadCode, Message: "unknown code"})
			return
		}
		used = true
		pub = req.PublicKey
		json.NewEncoder(w).Encode(protocol.EnrollResponse{DeviceID: "dev-42", Token: "secret-token", Name: "Quầy 1", ServicePoint: "Phường Ba Đình"})
	}))
	t.Cleanup(srv.Close)
	return srv, &pub
}

func TestEnrollStoresIdentity(t *testing.T) {
	ctx := context.Background()
	srv, pub := enrollHub(t)
	st := openStore(t)
	id, err := Enroll(ctx, st, nil, srv.URL+"/", "abcde 12345")
	if err != nil {
		t.Fatal(err)
	}
	got, ok, err := LoadIdentity(ctx, st)
	if err != nil || !ok {
		t.Fatalf("LoadIdentity = %v, %v", ok, err)
	}
	if got.HubURL != srv.URL || got.DeviceID != "dev-42" || got.Token != "secret-token" || got.Name != "Quầy 1" {
		t.Errorf("identity = %+v", got)
	}
	if !got.Key.Equal(id.Key) || !ed25519.PublicKey(*pub).Equal(got.Key.Public()) {
		t.Error("stored key is not the one whose public half the hub got")
	}
	// The hub lists the device at Phường Ba Đình: a kiosk still at the
	// default takes it; one set to another keeps its own and says so; one
	// set to the same (typed in NFD here, as some keyboards do) agrees.
	if id.ServicePoint != "Phường Ba Đình" {
		t.Errorf("hub's service point %q", id.ServicePoint)
	}
	for _, tc := range []struct {
		name, stored string // "" stored nothing
		own          string
		adopted      bool
		after        string
	}{
		{"never set", "", "", true, "Phường Ba Đình"},
		{"the default", "Bộ phận Một cửa", "", true, "Phường Ba Đình"},
		{"another", "Quầy lưu động KCN Thăng Long", "Quầy lưu động KCN Thăng Long", false, "Quầy lưu động KCN Thăng Long"},
		{"the same", norm.NFD.String(" Phường Ba Đình "), "", false, norm.NFD.String(" Phường Ba Đình ")},
	} {
		kv := openStore(t)
		if tc.stored != "" {
			if err := kv.SetSettings(ctx, map[string]string{settings.KeyServicePoint: tc.stored}); err != nil {
				t.Fatal(err)
			}
		}
		own, adopted, err := AdoptServicePoint(ctx, kv, id)
		c, lerr := settings.Load(ctx, kv)
		if err != nil || lerr != nil || own != tc.own || adopted != tc.adopted || norm.NFC.String(c.ServicePoint) != norm.NFC.String(tc.after) {
			t.Errorf("%s: AdoptServicePoint = %q, %v, %v; stored %q (%v); want %q, %v, stored %q",
				tc.name, own, adopted, err, c.ServicePoint, lerr, tc.own, tc.adopted, tc.after)
		}
	}
	if own, adopted, _ := AdoptServicePoint(ctx, st, Identity{}); own != "" || adopted {
		t.Errorf("AdoptServicePoint with none from the hub = %q, %v", own, adopted)
	}
	for _, k := range []string{KeyHubURL, KeyDeviceID, KeyToken, KeyPrivateKey} {
		if v, ok, _ := st.Setting(ctx, k); !ok || v == "" {
			t.Errorf("setting %s not stored", k)
		}
	}
	// The code is spent: a second try is a bad code, and the identity stays.
	if _, err := Enroll(ctx, st, nil, srv.URL, "ABCDE-12345"); KindOf(err) != KindBadCode {
		t.Errorf("re-using the code: %v, want bad code", err)
	}
	if again, _, _ := LoadIdentity(ctx, st); again.Token != "secret-token" {
		t.Error("a failed enrollment changed the stored identity")
	}
}

func TestEnrollErrors(t *testing.T) {
	good, _ := enrollHub(t)
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "<html>not here</html>")
	}))
	t.Cleanup(web.Close)
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html>captive portal login</html>")
	}))
	t.Cleanup(portal.Close)
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	}))
	t.Cleanup(broken.Close)
	stalled := make(chan struct{})
	stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stalled:
		}
	}))
	t.Cleanup(func() { close(stalled); stall.Close() })
	// A hub serving https with a certificate this machine does not trust
	// (a ward's self-signed one).
	selfSigned := httptest.NewTLSServer(good.Config.Handler)
	t.Cleanup(selfSigned.Close)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()

	tests := []struct {
		name, url, code string
		want            Kind
	}{
		{"empty address", "", "ABCDE-12345", KindBadURL},
		{"wrong scheme", "ftp://hub.example.vn", "ABCDE-12345", KindBadURL},
		{"no host", "https://", "ABCDE-12345", KindBadURL},
		{"wrong code", good.URL, "ZZZZZ-99999", KindBadCode},
		{"empty code", good.URL, " - ", KindBadCode},
		{"a web site, not the hub", web.URL, "ABCDE-12345", KindNotHub},
		{"captive portal answering 200 HTML", portal.URL, "ABCDE-12345", KindNotHub},
		{"hub failing", broken.URL, "ABCDE-12345", KindServer},
		// An admin types the address without "http://"; https is assumed,
		// and a ward's plain-HTTP hub answers the TLS hello in HTTP.
		{"http hub typed without scheme", strings.TrimPrefix(good.URL, "http://"), "ABCDE-12345", KindNotTLS},
		{"http hub typed as https", "https://" + strings.TrimPrefix(good.URL, "http://"), "ABCDE-12345", KindNotTLS},
		{"https hub typed as http", "http://" + strings.TrimPrefix(selfSigned.URL, "https://"), "ABCDE-12345", KindNeedsTLS},
		{"https hub with an untrusted certificate", selfSigned.URL, "ABCDE-12345", KindCertificate},
		{"nothing listening", closed, "ABCDE-12345", KindUnreachable},
		{"hub does not answer", stall.URL, "ABCDE-12345", KindTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t)
			hc := &http.Client{Timeout: 300 * time.Millisecond}
			_, err := Enroll(context.Background(), st, hc, tt.url, tt.code)
			if KindOf(err) != tt.want {
				t.Fatalf("Enroll = %v, want kind %s", err, tt.want)
			}
			if _, ok, _ := LoadIdentity(context.Background(), st); ok {
				t.Error("a failed enrollment stored an identity")
			}
		})
	}
}

// The hub's receipts page, given at enrollment, is kept for the thank-you
// screen; an address that is no http(s) page is refused as not a hub's.
func TestEnrollReceiptsURL(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		given string
		ok    bool
	}{
		{"", true},
		{"https://danhgia.phuong.vn/receipts", true},
		{"http://192.168.1.10:8080/receipts", true},
		{"ftp://danhgia.phuong.vn/receipts", false},
		{"https:///receipts", false},
		{"javascript:alert(1)", false},
		{"https://danhgia.phuong.vn/" + strings.Repeat("x", maxReceiptsURL), false},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", protocol.ContentType)
			json.NewEncoder(w).Encode(protocol.EnrollResponse{DeviceID: "dev-1", Token: "tok", Name: "Quầy 1", ReceiptsURL: tc.given})
		}))
		st := openStore(t)
		_, err := Enroll(ctx, st, nil, srv.URL, "ABCDE-12345")
		srv.Close()
		got, rerr := ReceiptsURL(ctx, st)
		switch {
		case tc.ok && (err != nil || rerr != nil || got != tc.given):
			t.Errorf("%q: enroll %v; stored %q (%v)", tc.given, err, got, rerr)
		case !tc.ok && (KindOf(err) != KindNotHub || got != ""):
			t.Errorf("%q: enroll %v (want not a hub); stored %q", tc.given, err, got)
		}
	}
}
