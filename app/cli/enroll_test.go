package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/sync/client"
	"github.com/hailong-kiosk/hailong/sync/hub/hubtest"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// TestEnrollFromTheCommandLine: a kiosk set up from a terminal is enrolled
// with a real hub before its first start, and the reasons the hub or the
// network give are the sync tab's messages.
func TestEnrollFromTheCommandLine(t *testing.T) {
	ctx := context.Background()
	srv := hubtest.Start(t)
	dir := t.TempDir()
	run := func(args ...string) (code int, out, errOut string) {
		t.Helper()
		var o, e bytes.Buffer
		handled, code := Run(ctx, append([]string{"enroll"}, args...), &o, &e)
		if !handled {
			t.Fatal("enroll not handled")
		}
		return code, o.String(), e.String()
	}

	// A new kiosk, no database yet, in a folder not made yet.
	db := filepath.Join(dir, "hailong", "hailong.db")
	code, out, errOut := run("--db", db, "--hub", srv.URL, "--code", srv.NewCode(t, "Kiosk 1", "Phường Ba Đình"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	id, ok, err := client.LoadIdentity(ctx, st)
	st.Close()
	if err != nil || !ok || id.HubURL != srv.URL {
		t.Fatalf("identity %+v, %v, %v", id, ok, err)
	}
	// The hub lists Kiosk 1 at Phường Ba Đình; the new kiosk, still at its
	// default service point, takes the hub's and says so.
	want := "Đã kết nối máy chủ. Mã máy: " + id.DeviceID + ". Từ nay kiosk ghi điểm phục vụ “Phường Ba Đình” của máy chủ vào phiếu.\n" +
		"Connected to the hub. Device id: " + id.DeviceID + ". The kiosk now writes the hub's service point “Phường Ba Đình” on its responses.\n"
	if out != want {
		t.Errorf("output %q, want %q", out, want)
	}
	if c := kioskConfig(t, db); c.ServicePoint != "Phường Ba Đình" {
		t.Errorf("service point after enrolling %q, want the hub's", c.ServicePoint)
	}

	if strings.Contains(out, "thay thế") {
		t.Errorf("a first enrollment says it replaced one:\n%s", out)
	}
	// Enrolling again names the enrollment it replaces.
	code, out, errOut = run("--db", db, "--hub", srv.URL, "--code", srv.NewCode(t, "Kiosk 1b", ""))
	if code != 0 {
		t.Fatalf("again: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Kết nối trước của máy này (máy chủ "+srv.URL+", mã máy "+id.DeviceID+") đã được thay thế") ||
		!strings.Contains(out, "This kiosk's earlier enrollment (hub "+srv.URL+", device "+id.DeviceID+") is replaced") {
		t.Errorf("enrolling again does not name the earlier enrollment:\n%s", out)
	}

	// A kiosk whose admin set another service point keeps it, and is told
	// both.
	set := filepath.Join(dir, "set.db")
	if st, err := store.Open(ctx, set); err != nil {
		t.Fatal(err)
	} else {
		err = st.SetSettings(ctx, map[string]string{settings.KeyServicePoint: "Quầy lưu động KCN Thăng Long"})
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut = run("--db", set, "--hub", srv.URL, "--code", srv.NewCode(t, "Kiosk 3", "Phường Ba Đình"))
	if code != 0 || !strings.Contains(out, "máy chủ ghi máy này ở điểm phục vụ “Phường Ba Đình”, còn kiosk ghi “Quầy lưu động KCN Thăng Long” vào phiếu") {
		t.Errorf("kiosk set to another point: exit %d: %s%s", code, out, errOut)
	}
	if c := kioskConfig(t, set); c.ServicePoint != "Quầy lưu động KCN Thăng Long" {
		t.Errorf("the admin's service point became %q", c.ServicePoint)
	}

	// The QR code's text holds hub and code.
	other := filepath.Join(dir, "other.db")
	uri := protocol.EnrollURI(srv.URL, srv.NewCode(t, "Kiosk 2", ""))
	if code, out, errOut := run("--db", other, "--code", uri); code != 0 || strings.Contains(out, "Lưu ý") {
		t.Fatalf("with the QR text, no service point on the hub: exit %d: %s%s", code, out, errOut)
	}

	tests := []struct {
		name string
		args []string
		exit int
		want []string // in the error output
	}{
		{"wrong code", []string{"--db", other, "--hub", srv.URL, "--code", "ZZZZZ-99999"}, 1,
			[]string{"Mã kết nối không đúng", "The enrollment code is wrong"}},
		{"plain-HTTP hub typed without http://", []string{"--db", other, "--hub", strings.TrimPrefix(srv.URL, "http://"), "--code", srv.NewCode(t, "Kiosk 3", "")}, 1,
			[]string{"bắt đầu bằng http://", "starting with http://", "not_tls"}},
		{"no code", []string{"--db", other, "--hub", srv.URL}, 2, []string{"--hub and --code are required"}},
		{"stray argument", []string{"--db", other, "--hub", srv.URL, "--code", "X", "more"}, 2, []string{`Unexpected argument "more"`, "Lệnh không nhận đối số “more”."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(tt.args...)
			if code != tt.exit || out != "" {
				t.Errorf("exit %d, output %q; want exit %d and nothing on stdout", code, out, tt.exit)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("error output lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

// kioskConfig reads the settings of the kiosk database at path.
func kioskConfig(t *testing.T, path string) settings.Config {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := settings.Load(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
