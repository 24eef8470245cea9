package admin

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/pin"
)

func TestFirstRunSetsPIN(t *testing.T) {
	r := newRig(t)
	p := r.show()
	if p.main != nil || p.pad == nil {
		t.Fatal("first run opened the panel without asking for a PIN")
	}
	if got := p.pad.title.Text; got != "Đặt mã PIN quản trị" {
		t.Fatalf("title %q; want the PIN set-up", got)
	}
	if r.w.Canvas().Focused() != p.pad.entry {
		t.Error("the PIN field does not have the keyboard: typed digits go nowhere")
	}
	r.keypad(p.pad, "12")
	if got := p.pad.msg.Text; got != "Mã PIN phải gồm 4 đến 8 chữ số." {
		t.Fatalf("too short: message %q", got)
	}
	r.keypad(p.pad, "4826")
	if got := p.pad.hint.Text; got != "Nhập lại mã PIN vừa chọn để xác nhận." {
		t.Fatalf("after the first entry: hint %q; want the confirmation", got)
	}
	r.keypad(p.pad, "4827")
	if got := p.pad.msg.Text; got != "Hai lần nhập không giống nhau. Hãy nhập lại từ đầu." {
		t.Fatalf("mismatch: message %q", got)
	}
	if set, _ := r.verifier().IsSet(r.ctx); set {
		t.Fatal("a mismatched confirmation stored a PIN")
	}
	// Typed on a keyboard this time, with the delete key used once.
	test.Type(p.pad.entry, "48269")
	test.Tap(p.pad.del)
	test.Tap(p.pad.ok)
	test.Type(p.pad.entry, "4826")
	test.Tap(p.pad.ok)
	if p.main == nil {
		t.Fatalf("panel not open after setting the PIN; message %q", p.pad.msg.Text)
	}
	if h, _ := r.setting(pin.KeyHash); h == "" || h == "4826" {
		t.Fatalf("stored hash %q", h)
	}
	if err := r.verifier().Verify(r.ctx, "4826"); err != nil {
		t.Fatalf("the new PIN does not verify after a restart: %v", err)
	}
}

func TestKeypadKeepsDigitsOnly(t *testing.T) {
	r := newRig(t)
	p := r.show()
	test.Type(p.pad.entry, "1a2-3 4")
	if got := p.pad.entry.Text; got != "1234" {
		t.Fatalf("entry %q; want only the digits", got)
	}
	for range 10 {
		test.Tap(p.pad.keys[9])
	}
	if got := p.pad.entry.Text; got != "12349999" {
		t.Fatalf("entry %q; want at most %d digits", got, pin.MaxLen)
	}
}

func TestLockoutAndUnlock(t *testing.T) {
	r := newRig(t)
	r.deps.AutoLock = time.Hour // watch the whole countdown
	r.setPIN("2580")
	p := r.show()
	if got := p.pad.title.Text; got != "Nhập mã PIN quản trị" {
		t.Fatalf("title %q; want PIN entry", got)
	}
	if r.w.Canvas().Focused() != p.pad.entry {
		t.Error("the PIN field does not have the keyboard")
	}
	for left := 4; left >= 1; left-- {
		r.keypad(p.pad, "1111")
		want := map[int]string{4: "Sai mã PIN. Còn 4 lần thử.", 3: "Sai mã PIN. Còn 3 lần thử.",
			2: "Sai mã PIN. Còn 2 lần thử.", 1: "Sai mã PIN. Còn 1 lần thử."}[left]
		if got := p.pad.msg.Text; got != want {
			t.Fatalf("wrong try with %d left: %q; want %q", left, got, want)
		}
		if p.pad.entry.Text != "" {
			t.Fatal("the wrong PIN stays in the display")
		}
	}
	r.keypad(p.pad, "1111")
	if got := p.pad.msg.Text; got != "Đã khoá 5 phút do nhập sai nhiều lần. Thử lại sau 05:00." {
		t.Fatalf("5th wrong try: %q", got)
	}
	if !p.pad.ok.Disabled() || !p.pad.keys[2].Disabled() || !p.pad.entry.Disabled() {
		t.Fatal("keypad still enabled while locked")
	}
	r.clock.Advance(48 * time.Second)
	if got := p.pad.msg.Text; got != "Đã khoá 5 phút do nhập sai nhiều lần. Thử lại sau 04:12." {
		t.Fatalf("after 48 s: %q", got)
	}
	// The right PIN is refused while locked, even from a restarted kiosk.
	p.Close()
	p = r.show()
	if got := p.pad.msg.Text; got != "Đã khoá 5 phút do nhập sai nhiều lần. Thử lại sau 04:12." {
		t.Fatalf("reopened during the lock: %q", got)
	}
	r.keypad(p.pad, "2580")
	if p.main != nil {
		t.Fatal("panel opened during the lock")
	}
	r.clock.Advance(4*time.Minute + 11*time.Second)
	if got := p.pad.msg.Text; got != "Đã khoá 5 phút do nhập sai nhiều lần. Thử lại sau 00:01." {
		t.Fatalf("1 s before the end: %q", got)
	}
	if !p.pad.ok.Disabled() {
		t.Fatal("keypad enabled 1 s before the end of the lock")
	}
	r.clock.Advance(time.Second)
	if got := p.pad.msg.Text; got != "Đã hết thời gian khoá. Hãy nhập mã PIN." {
		t.Fatalf("after 5 min: %q", got)
	}
	if p.pad.ok.Disabled() || p.pad.keys[2].Disabled() {
		t.Fatal("keypad still disabled after the lock")
	}
	r.keypad(p.pad, "2580")
	if p.main == nil {
		t.Fatalf("right PIN after the lock: panel not open; message %q", p.pad.msg.Text)
	}
}

func TestBackAndAutoLock(t *testing.T) {
	r := newRig(t)
	r.setPIN("2580")
	p := r.show()
	test.Tap(p.pad.keys[1])
	r.clock.Advance(DefaultAutoLock - time.Second)
	if r.closed != 0 {
		t.Fatal("PIN screen closed before the auto-lock time")
	}
	r.clock.Advance(time.Second)
	if r.closed != 1 || r.w.Content() != r.kiosk {
		t.Fatalf("untouched PIN screen: closed %d times, content %T; want back at the kiosk", r.closed, r.w.Content())
	}

	p = r.open()
	for range 3 { // activity keeps it open
		r.clock.Advance(DefaultAutoLock - time.Second)
		test.Type(p.general.agency, "x")
	}
	if r.closed != 1 {
		t.Fatal("panel closed although it was in use")
	}
	r.clock.Advance(DefaultAutoLock)
	if r.closed != 2 || r.w.Content() != r.kiosk {
		t.Fatalf("idle panel: closed %d times; want back at the kiosk", r.closed)
	}

	p = r.open()
	test.Tap(p.main.back)
	if r.closed != 3 || r.w.Content() != r.kiosk {
		t.Fatal("Quay lại kiosk did not return to the kiosk")
	}
	r.clock.Advance(2 * DefaultAutoLock) // the closed panel's timers do nothing
	if r.closed != 3 {
		t.Fatalf("closed %d times; a closed panel fired again", r.closed)
	}
}

func TestShowTwiceReturnsOpenPanel(t *testing.T) {
	r := newRig(t)
	if IsOpen(r.w) {
		t.Fatal("IsOpen before Show")
	}
	p := r.open()
	if !IsOpen(r.w) {
		t.Fatal("IsOpen false with the panel open")
	}
	q, err := Show(r.ctx, r.w, r.deps, func() { r.closed++ })
	if err != nil || q != p {
		t.Fatalf("second Show = %p, %v; want the open panel %p", q, err, p)
	}
	test.Tap(p.main.back)
	if r.w.Content() != r.kiosk || r.closed != 1 {
		t.Fatal("back did not restore the kiosk after a second Show")
	}
	if IsOpen(r.w) {
		t.Fatal("IsOpen after closing")
	}
}

func TestQuitAsksFirst(t *testing.T) {
	r := newRig(t)
	p := r.open()
	test.Tap(p.main.quit)
	if p.main.quitDialog == nil || r.quit != 0 {
		t.Fatalf("quit without asking (dialog %v, quit %d)", p.main.quitDialog, r.quit)
	}
	p.main.quitDialog.Dismiss()
	if r.quit != 0 {
		t.Fatal("quit after Ở lại")
	}
	test.Tap(p.main.quit)
	p.main.quitDialog.Confirm()
	if r.quit != 1 {
		t.Fatal("Thoát did not quit")
	}
	// A dialog left open is taken down with the panel (auto-lock).
	test.Tap(p.main.quit)
	if r.w.Canvas().Overlays().Top() == nil {
		t.Fatal("no dialog on the window")
	}
	r.clock.Advance(DefaultAutoLock)
	if r.w.Content() != r.kiosk || r.w.Canvas().Overlays().Top() != nil {
		t.Fatal("the quit dialog stayed over the kiosk after the panel closed")
	}
}

func TestReplacedPanelClosesQuietly(t *testing.T) {
	r := newRig(t)
	r.open()
	other := widget.NewLabel("welcome screen shown by a kiosk timer")
	r.w.SetContent(other)
	r.clock.Advance(DefaultAutoLock)
	if r.w.Content() != other || r.closed != 0 {
		t.Fatalf("auto-lock of a replaced panel changed the window (closed %d)", r.closed)
	}
}

func TestEnglish(t *testing.T) {
	r := newRig(t)
	r.deps.Lang = "en"
	r.setPIN("2580")
	p := r.show()
	r.keypad(p.pad, "1111")
	if got := p.pad.msg.Text; got != "Wrong PIN. Tries left: 4." {
		t.Fatalf("English wrong PIN: %q", got)
	}
	if got := p.pad.title.Text; got != "Enter the admin PIN" {
		t.Fatalf("English title: %q", got)
	}
}

// TestFeedbackAtOnce: checking the PIN and saving settings run off the UI
// goroutine; meanwhile the panel says what it is doing and takes no
// second tap, and the outcome shows when the work is done.
func TestFeedbackAtOnce(t *testing.T) {
	r := newRig(t)
	r.setPIN("2580")
	r.later = true
	p := r.show()
	r.keypad(p.pad, "2580")
	if p.main != nil || p.pad.msg.Text != "Đang kiểm tra mã PIN…" || !p.pad.ok.Disabled() || !p.pad.keys[1].Disabled() {
		t.Fatalf("while the PIN is checked: open=%v message %q, ok disabled=%v", p.main != nil, p.pad.msg.Text, p.pad.ok.Disabled())
	}
	r.flush()
	if p.main == nil {
		t.Fatal("the right PIN did not open the panel")
	}

	g := p.general
	g.agency.SetText("UBND phường Láng")
	test.Tap(g.save)
	if g.status.Text != "Đang lưu…" || !g.save.Disabled() {
		t.Fatalf("after Lưu: status %q, save disabled=%v", g.status.Text, g.save.Disabled())
	}
	if v, _ := r.setting("agency"); v == "UBND phường Láng" {
		t.Fatal("saved on the UI goroutine")
	}
	r.flush()
	if v, _ := r.setting("agency"); v != "UBND phường Láng" || g.save.Disabled() || !strings.HasPrefix(g.status.Text, "Đã lưu lúc") {
		t.Fatalf("after the save: stored %q, status %q", v, g.status.Text)
	}

	// A wrong PIN, checked off the UI goroutine too.
	p.Close()
	p = r.show()
	r.keypad(p.pad, "1111")
	r.flush()
	if p.main != nil || !strings.Contains(p.pad.msg.Text, "Sai mã PIN") || p.pad.ok.Disabled() {
		t.Fatalf("wrong PIN: message %q", p.pad.msg.Text)
	}
}
