package launch

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/client"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// walk calls fn on o and everything drawn inside it, depth first, until fn
// returns true.
func walk(o fyne.CanvasObject, fn func(o fyne.CanvasObject, parent *fyne.Container) bool) bool {
	var rec func(o fyne.CanvasObject, parent *fyne.Container) bool
	rec = func(o fyne.CanvasObject, parent *fyne.Container) bool {
		if o == nil || !o.Visible() {
			return false
		}
		if fn(o, parent) {
			return true
		}
		switch v := o.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				if rec(c, v) {
					return true
				}
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				if rec(c, parent) {
					return true
				}
			}
		}
		return false
	}
	return rec(o, nil)
}

// tapText taps the button labelled text: a widget.Button with that text,
// or a button drawn under a caption in the same stack.
func tapText(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	var target *widget.Button
	walk(w.Content(), func(o fyne.CanvasObject, parent *fyne.Container) bool {
		b, ok := o.(*widget.Button)
		if ok && strings.Contains(b.Text, text) {
			target = b
			return true
		}
		if !ok || parent == nil {
			return false
		}
		// A caption drawn over the button, or a label inside it.
		return walk(parent, func(o fyne.CanvasObject, _ *fyne.Container) bool {
			switch v := o.(type) {
			case *canvas.Text:
				if strings.Contains(v.Text, text) {
					target = b
					return true
				}
			case *widget.Label:
				if strings.Contains(v.Text, text) {
					target = b
					return true
				}
			}
			return false
		})
	})
	if target == nil {
		t.Fatalf("no button %q on screen", text)
	}
	test.Tap(target)
}

// runNow is Main.Go for the test driver, which runs fyne.Do at once.
func runNow(f func()) { f() }

func hasText(w fyne.Window, text string) bool {
	return walk(w.Content(), func(o fyne.CanvasObject, _ *fyne.Container) bool {
		switch v := o.(type) {
		case *canvas.Text:
			return strings.Contains(v.Text, text)
		case *widget.Label:
			return strings.Contains(v.Text, text)
		case *widget.Button:
			return strings.Contains(v.Text, text)
		case *widget.RichText:
			return strings.Contains(v.String(), text)
		}
		return false
	})
}

// TestRunCollectsAResponse starts the kiosk exactly as main.go does, on a
// fresh database, answers the default survey and reads the saved row back.
func TestRunCollectsAResponse(t *testing.T) {
	a := test.NewTempApp(t)
	db := filepath.Join(t.TempDir(), "sub", "hailong.db")
	m := &Main{Go: runNow}
	if err := m.ParseFlags([]string{"--db", db}, nil); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := m.Run(ctx, a); err != nil {
		t.Fatal(err)
	}
	w := m.kiosk.Window()
	if !hasText(w, "Bắt đầu đánh giá") {
		t.Fatal("welcome screen not shown")
	}
	tapText(t, w, "Bắt đầu đánh giá")
	if _, err := exec.LookPath("espeak-ng"); err == nil && !hasText(w, "Nghe đọc") {
		t.Error("espeak-ng is installed but the question has no speaker button")
	}
	for range 3 { // three ratings; the "why" follow-up stays hidden
		tapText(t, w, "Rất hài lòng")
		tapText(t, w, "Tiếp theo")
	}
	tapText(t, w, "Hoàn thành") // the optional comment, left empty
	if !hasText(w, "Xin cảm ơn") {
		t.Fatal("thank-you screen not shown after saving")
	}
	tabs, err := m.adminTabs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, tab := range tabs {
		titles = append(titles, tab.Title)
	}
	if got := strings.Join(titles, ","); got != "Hỗ trợ,Đồng bộ,Xuất dữ liệu,Thống kê" {
		t.Errorf("admin tabs %q", got)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	last, err := st.LastResponse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if last.SurveyID != "mot-cua-nhanh" || last.Status != survey.StatusComplete || len(last.Answers) != 3 ||
		last.Answers["thai_do"][0] != survey.CodeVerySatisfied || !strings.HasPrefix(last.DeviceID, "local-") {
		t.Fatalf("saved %+v", last)
	}
	if last.ServicePoint == "" {
		t.Error("service point not stamped")
	}
}

// TestCatalogPrefersNewerPulledVersion checks that a survey version pulled
// from the hub replaces the built-in one at the next welcome screen, and
// that the device id made on first run is kept.
func TestCatalogPrefersNewerPulledVersion(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "hailong.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := &Main{store: st, Go: runNow}
	id1, err := m.deviceID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if id2, _ := m.deviceID(ctx); id2 != id1 {
		t.Fatalf("device id changed: %s then %s", id1, id2)
	}

	cat := &catalog{store: st, log: m.logger()}
	if err := cat.load(ctx); err != nil {
		t.Fatal(err)
	}
	builtin, err := cat.byID(ctx, "sipas")
	if err != nil {
		t.Fatal(err)
	}
	if builtin.Version != 2 || len(cat.builtinSurveys()) != 9 {
		t.Fatalf("catalog runs sipas version %d of %d built-in definitions, want the newest (2) and all 9 kept (4 surveys, 2 versions each, and lay-y-kien-du-thao)", builtin.Version, len(cat.builtinSurveys()))
	}
	next := *builtin
	next.Version = builtin.Version + 1
	next.Title = survey.Text{"vi": "Khảo sát SIPAS (bản mới)"}
	raw, err := json.Marshal(&next)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveSurvey(ctx, raw); err != nil {
		t.Fatal(err)
	}
	got, err := cat.byID(ctx, "sipas")
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != next.Version || got.Title.In("vi") != "Khảo sát SIPAS (bản mới)" {
		t.Fatalf("catalog gave version %d %q", got.Version, got.Title.In("vi"))
	}
	if len(cat.all(ctx)) != 5 {
		t.Errorf("catalog has %d surveys, want the 5 built-ins", len(cat.all(ctx)))
	}
	if _, err := cat.byID(ctx, "khong-co"); err == nil {
		t.Error("unknown survey id gave no error")
	}
}

func TestStartupErrorsAreExplained(t *testing.T) {
	tests := []struct {
		err      error
		want, en string
	}{
		{fmt.Errorf("open: %w", ErrAlreadyRunning), "đang chạy trên máy này", "already running"},
		{fmt.Errorf("open: %w", store.ErrNewerSchema), "phiên bản Hài Lòng mới hơn", "newer version"},
		{fmt.Errorf("open: %w", store.ErrDiskFull), "Ổ đĩa đã đầy", "disk is full"},
		{fmt.Errorf("open: %w", store.ErrReadOnly), "chỉ đọc", "read-only"},
		{errors.New("boom"), "lỗi hệ thống", "system error"},
	}
	for _, tt := range tests {
		vi, en := StartupMessage(tt.err)
		if !strings.Contains(vi, tt.want) || !strings.Contains(en, tt.en) {
			t.Errorf("%v: %q / %q, want %q / %q", tt.err, vi, en, tt.want, tt.en)
		}
	}
	a := test.NewTempApp(t)
	w := ShowStartupError(a, "/media/usb/hailong.db", fmt.Errorf("open: %w", store.ErrReadOnly))
	if !hasText(w, "chỉ đọc") || !hasText(w, "/media/usb/hailong.db") || !hasText(w, "Đóng / Close") {
		t.Error("startup error window lacks the message, the path or the button")
	}
}

// TestRunOnNewerSchemaFails checks that a database from a newer version is
// refused with ErrNewerSchema (main.go then shows StartupMessage).
func TestRunOnNewerSchemaFails(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "hailong.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	m := &Main{DBPath: db, Go: runNow}
	err = m.Run(ctx, test.NewTempApp(t))
	if !errors.Is(err, store.ErrNewerSchema) {
		t.Fatalf("Run on a newer schema: %v", err)
	}
	m.Close()
}

func TestFlags(t *testing.T) {
	tests := []struct {
		args     []string
		wantErr  bool
		kiosk    bool
		operator bool
	}{
		{nil, false, false, false},
		{[]string{"--kiosk"}, false, true, false},
		{[]string{"--operator"}, false, false, true},
		{[]string{"--kiosk", "--operator"}, true, true, true},
		{[]string{"--nope"}, true, false, false},
		{[]string{"extra"}, true, false, false},
	}
	for _, tt := range tests {
		var m Main
		err := m.ParseFlags(tt.args, io.Discard)
		if (err != nil) != tt.wantErr || (err == nil && (m.Kiosk != tt.kiosk || m.Operator != tt.operator)) {
			t.Errorf("%v: err %v kiosk %v operator %v", tt.args, err, m.Kiosk, m.Operator)
		}
		if err == nil && m.DBPath == "" {
			t.Errorf("%v: no default database path", tt.args)
		}
	}
	// A mistyped subcommand, an unknown flag and two modes at once are
	// not silent, and say so in Vietnamese, then in English.
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"enrol"}, "hailong: Không hiểu “enrol”: đây không phải cờ, cũng không phải lệnh con (hailong help liệt kê các lệnh con).\n" +
			"Unexpected argument \"enrol\": neither a flag nor a subcommand (hailong help lists the subcommands).\n"},
		{[]string{"--nope"}, "hailong: Không có cờ --nope (hailong --help liệt kê các cờ).\nThere is no flag --nope (hailong --help lists the flags).\n"},
		{[]string{"--db"}, "hailong: Cờ --db cần có giá trị đi kèm.\nThe flag --db needs a value.\n"},
		{[]string{"--kiosk=maybe"}, "hailong: Giá trị của một cờ không hợp lệ.\nA flag has an invalid value.\n(invalid boolean value \"maybe\" for -kiosk: parse error)\n"},
		{[]string{"--kiosk", "--operator"}, "hailong: --operator chạy trong cửa sổ nên không dùng cùng --kiosk được.\n--operator runs in a window; it cannot be combined with --kiosk.\n"},
	} {
		var said strings.Builder
		var mt Main
		if err := mt.ParseFlags(tt.args, &said); err == nil || said.String() != tt.want {
			t.Errorf("hailong %q: %v, printed %q, want %q", tt.args, err, said.String(), tt.want)
		}
	}
	// -h names the subcommands' help too: hailong survey, export, pin and
	// enroll are not flags. It says so in Vietnamese, then in English.
	var help strings.Builder
	var m Main
	if err := m.ParseFlags([]string{"-h"}, &help); !errors.Is(err, flag.ErrHelp) || !strings.HasPrefix(help.String(), "Cách dùng: hailong [--kiosk | --operator]") ||
		!strings.Contains(help.String(), "hailong help liệt kê các lệnh con") || !strings.Contains(help.String(), "\n\nUsage: hailong") ||
		!strings.Contains(help.String(), "hailong help lists the subcommands") || !strings.Contains(help.String(), "--kiosk") {
		t.Errorf("-h: %v\n%s", err, help.String())
	}
}

// TestRunOperatorMode starts outreach mode and checks that the operator
// panel is beside the kiosk screens.
func TestRunOperatorMode(t *testing.T) {
	a := test.NewTempApp(t)
	m := &Main{DBPath: filepath.Join(t.TempDir(), "hailong.db"), Operator: true, Go: runNow}
	if err := m.Run(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	w := m.kiosk.Window()
	if !hasText(w, "Bắt đầu đánh giá") || !hasText(w, "Tổng kết sự kiện") {
		t.Fatal("outreach mode lacks the kiosk screen or the operator panel")
	}
}

// TestRunSignsOnceEnrolled: on a kiosk enrolled with a hub, the response a
// citizen gives is saved with the device id and its signature, which
// verifies with the device's public key.
func TestRunSignsOnceEnrolled(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "hailong.db")
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	if err := st.SetSettings(ctx, map[string]string{
		client.KeyHubURL: "https://hub.example.vn", client.KeyDeviceID: "dev-quay-3", client.KeyDeviceName: "Quầy 3",
		client.KeyToken: "tok", client.KeyPrivateKey: base64.StdEncoding.EncodeToString(priv),
	}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	a := test.NewTempApp(t)
	m := &Main{Go: runNow}
	if err := m.ParseFlags([]string{"--db", db}, nil); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(ctx, a); err != nil {
		t.Fatal(err)
	}
	w := m.kiosk.Window()
	tapText(t, w, "Bắt đầu đánh giá")
	for range 3 {
		tapText(t, w, "Hài lòng")
		tapText(t, w, "Tiếp theo")
	}
	tapText(t, w, "Hoàn thành")
	if !hasText(w, "Xin cảm ơn") {
		t.Fatal("thank-you screen not shown after saving")
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	st, err = store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.PendingAfter(ctx, 0, 10)
	if err != nil || len(rows) != 1 {
		t.Fatalf("outbox: %d rows, %v", len(rows), err)
	}
	o := rows[0]
	if o.Response.DeviceID != "dev-quay-3" || o.Signature == nil {
		t.Fatalf("saved by device %q with signature %x; want the enrolled id, signed", o.Response.DeviceID, o.Signature)
	}
	if err := protocol.Verify(pub, protocol.Item{Response: protocol.NewResponseV1(o.Response), Seq: o.DeviceSeq, Signature: o.Signature}); err != nil {
		t.Errorf("signature made at save: %v", err)
	}
}

// TestKioskModeAsksFirstPIN: the first --kiosk start opens on the PIN
// set-up screen, with no way back to the kiosk until a PIN is set; the
// next start shows the welcome screen.
func TestKioskModeAsksFirstPIN(t *testing.T) {
	a := test.NewTempApp(t)
	db := filepath.Join(t.TempDir(), "hailong.db")
	m := &Main{DBPath: db, Kiosk: true, Go: runNow}
	ctx := context.Background()
	if err := m.Run(ctx, a); err != nil {
		t.Fatal(err)
	}
	w := m.kiosk.Window()
	if !hasText(w, "Đặt mã PIN quản trị") || hasText(w, "Bắt đầu đánh giá") || hasText(w, "Quay lại kiosk") {
		t.Fatal("the first --kiosk start does not ask for the PIN first, or offers a way back")
	}
	for range 2 { // the PIN, then again to confirm
		for _, d := range []string{"2", "5", "8", "0", "Xong"} {
			tapText(t, w, d)
		}
	}
	if !hasText(w, "Quay lại kiosk") {
		t.Fatal("the panel did not open once the PIN was set")
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}

	m = &Main{DBPath: db, Kiosk: true, Go: runNow}
	if err := m.Run(ctx, test.NewTempApp(t)); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if w := m.kiosk.Window(); !hasText(w, "Bắt đầu đánh giá") {
		t.Fatal("with a PIN set, --kiosk does not start on the welcome screen")
	}
}
