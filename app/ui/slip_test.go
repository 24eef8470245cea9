package ui

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui/internal/fit"
	"github.com/hailong-kiosk/hailong/sync/slip"
)

// kioskSlips is the kiosk's slip checks over the rig's real store, with the
// hub's slip key as enrollment would have stored it.
type kioskSlips struct {
	*store.Store
	key ed25519.PublicKey
}

func (s kioskSlips) SlipKey(context.Context) (ed25519.PublicKey, error) { return s.key, nil }

// hubSlipKey is the test hub's slip key.
var hubSlipKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))

// newSlipRig is a rig on the quick survey with the given slip policy, the
// hub's slip key known.
func newSlipRig(t *testing.T, policy survey.SlipPolicy) *rig {
	t.Helper()
	r := newRig(t, "mot-cua-nhanh", Options{})
	s := *r.surveys["mot-cua-nhanh"]
	s.Slip = policy
	r.surveys["mot-cua-nhanh"] = &s
	r.k.deps.Slips = kioskSlips{Store: r.store.Store, key: hubSlipKey.Public().(ed25519.PublicKey)}
	r.k.Home()
	if r.k.Welcome == nil {
		t.Fatal("no welcome screen")
	}
	return r
}

// newSlip returns a fresh slip code and its QR text signed by the hub.
func newSlip(t *testing.T, seed string) (slip.Code, string) {
	t.Helper()
	c, err := slip.New(strings.NewReader(seed))
	if err != nil {
		t.Fatal(err)
	}
	return c, slip.ScanURL("https://hub.example.vn", c, slip.Sign(hubSlipKey, c))
}

// scan types text on the kiosk's canvas and Enter, as a USB scanner does.
func (r *rig) scan(text string) {
	r.t.Helper()
	c := r.k.Window().Canvas()
	if c.OnTypedRune() == nil || c.OnTypedKey() == nil {
		r.t.Fatal("the screen does not listen for a scanner")
	}
	test.TypeOnCanvas(c, text)
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// typeCode taps code on the slip screen's on-screen keyboard.
func (r *rig) typeCode(code string) {
	r.t.Helper()
	kb := r.k.Slip.Keyboard
	for _, ch := range code {
		b := kb.Letters[[]rune(strings.ToLower(string(ch)))[0]]
		if ch >= '0' && ch <= '9' {
			b = kb.Marks[ch]
		}
		if b == nil {
			r.t.Fatalf("no key for %q", ch)
		}
		test.Tap(b)
	}
}

// answerAll answers the survey on show to the thank-you screen.
func (r *rig) answerAll() {
	r.t.Helper()
	for r.k.Question != nil {
		q := r.k.Question
		if q.Question.Type != survey.Comment {
			r.choice(q.Choices[0].Code)
		}
		test.Tap(q.Next)
	}
	if r.k.Thanks == nil {
		r.t.Fatal("no thank-you screen")
	}
}

// TestSlipScanned: a scanner's burst on the welcome screen gives the slip,
// the survey then starts and the response is saved with it; the same slip
// scanned for the next citizen is refused in Vietnamese.
func TestSlipScanned(t *testing.T) {
	r := newSlipRig(t, survey.SlipRequired)
	w := r.k.Welcome
	if w.SlipHint == nil || !strings.Contains(w.SlipHint.Text, "quét mã QR") || w.SlipEnter == nil {
		t.Fatalf("welcome screen does not ask for a slip: %+v", w.SlipHint)
	}
	code, qr := newSlip(t, "abcdef")
	r.scan(qr)
	if r.k.Welcome == nil || !r.k.Welcome.SlipStatus.Visible() || !strings.Contains(r.k.Welcome.SlipStatus.Text, "Đã nhận phiếu "+code.String()) {
		t.Fatalf("after the scan: %q", r.k.Welcome.SlipStatus.Text)
	}
	if st := r.k.Welcome.SlipStatus; st.Size().Height < st.MinSize().Height {
		t.Fatalf("the message was given no room: %v", st.Size())
	}
	r.start()
	r.answerAll()
	if got := r.saved(); got.Slip != code.Compact() {
		t.Fatalf("saved slip %q, want %q", got.Slip, code.Compact())
	}
	test.Tap(r.k.Thanks.Done)
	if r.k.Welcome == nil || r.k.Welcome.SlipStatus.Visible() {
		t.Fatal("the next citizen's welcome screen still shows the slip")
	}
	r.scan(qr)
	if st := r.k.Welcome.SlipStatus; !st.Visible() || !strings.HasPrefix(st.Text, "Phiếu này đã được dùng") {
		t.Fatalf("reused slip: %q", st.Text)
	}
	// Still required: Start asks for a slip instead of starting.
	test.Tap(r.k.Welcome.Start)
	if r.k.Slip == nil || r.k.Question != nil {
		t.Fatal("a reused slip let the survey start")
	}
}

// TestSlipTyped: Start without a slip asks for one; the code typed on the
// on-screen keyboard (no hyphen needed) starts the survey.
func TestSlipTyped(t *testing.T) {
	r := newSlipRig(t, survey.SlipRequired)
	test.Tap(r.k.Welcome.Start)
	s := r.k.Slip
	if s == nil || r.k.Question != nil {
		t.Fatal("Start without a slip did not ask for one")
	}
	if !s.Message.Visible() || !strings.Contains(s.Message.Text, "cần phiếu đánh giá") || s.Skip != nil {
		t.Fatalf("required slip screen: message %q, skip %v", s.Message.Text, s.Skip)
	}
	test.Type(s.Code, "ABC")
	test.Tap(s.Confirm)
	if s.Message.Size().Height < s.Message.MinSize().Height || !strings.Contains(s.Message.Text, "10 ký tự") {
		t.Fatalf("the message %q was given no room: %v", s.Message.Text, s.Message.Size())
	}
	s.Code.SetText("")
	code, _ := newSlip(t, "ghijkl")
	r.typeCode(code.Compact())
	if got := s.Code.Text; got != code.Compact() {
		t.Fatalf("typed %q, want %q", got, code.Compact())
	}
	test.Tap(s.Confirm)
	if r.k.Question == nil {
		t.Fatal("a good code did not start the survey")
	}
	r.answerAll()
	if got := r.saved(); got.Slip != code.Compact() {
		t.Fatalf("saved slip %q", got.Slip)
	}
}

// TestSlipBadCodes: every kind of bad slip gets its own message and
// starts nothing.
func TestSlipBadCodes(t *testing.T) {
	code, _ := newSlip(t, "abcdef")
	wrong := []byte(code.Compact())
	wrong[3] = map[bool]byte{true: 'A', false: 'B'}[wrong[3] != 'A'] // one typo
	otherKey := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{1}, ed25519.SeedSize))
	tests := []struct {
		name, text, want string
	}{
		{"one typo", string(wrong), "có lẽ một ký tự bị gõ nhầm"},
		{"too short", code.Compact()[:7], "mã gồm 10 ký tự"},
		{"a letter outside the alphabet", "ABCDE-1234U", "mã gồm 10 ký tự"},
		{"another QR code", "https://dichvucong.gov.vn/p/home", "không phải mã của phiếu"},
		{"signed by another key", slip.ScanURL("https://hub.example.vn", code, slip.Sign(otherKey, code)), "không phải phiếu do cơ quan phát"},
		{"cut signature", slip.ScanURL("https://hub.example.vn", code, slip.Sign(hubSlipKey, code))[:60], "không phải phiếu do cơ quan phát"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/scanned", func(t *testing.T) {
			r := newSlipRig(t, survey.SlipRequired)
			r.scan(tt.text)
			if st := r.k.Welcome.SlipStatus; !st.Visible() || !strings.Contains(st.Text, tt.want) {
				t.Fatalf("message %q, want it to say %q", st.Text, tt.want)
			}
			test.Tap(r.k.Welcome.Start)
			if r.k.Question != nil {
				t.Fatal("a bad slip let the survey start")
			}
		})
		t.Run(tt.name+"/typed", func(t *testing.T) {
			r := newSlipRig(t, survey.SlipRequired)
			test.Tap(r.k.Welcome.SlipEnter)
			test.Type(r.k.Slip.Code, tt.text) // a laptop's keyboard
			test.Tap(r.k.Slip.Confirm)
			if r.k.Slip == nil || r.k.Question != nil {
				t.Fatal("a bad code left the slip screen")
			}
			if m := r.k.Slip.Message; !m.Visible() || !strings.Contains(m.Text, tt.want) {
				t.Fatalf("message %q, want it to say %q", m.Text, tt.want)
			}
		})
	}
}

// TestSlipReusedTyped: a code this kiosk already took is refused on the
// slip screen too, even after the first response was purged.
func TestSlipReusedTyped(t *testing.T) {
	r := newSlipRig(t, survey.SlipOptional)
	code, _ := newSlip(t, "abcdef")
	first := &survey.Response{ID: "019abcde-f012-7345-8678-9abcdef01234", SurveyID: "mot-cua-nhanh", SurveyVersion: 1,
		Answers: survey.Answers{}, StartedAt: r.clock.Now(), FinishedAt: r.clock.Now(), DeviceID: "kiosk-test",
		Lang: "vi", Status: survey.StatusAbandoned, Slip: code.Compact()}
	if err := r.store.Store.SaveResponse(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	test.Tap(r.k.Welcome.Start)
	if r.k.Slip == nil || r.k.Slip.Skip == nil || r.k.Slip.Message.Visible() {
		t.Fatal("optional slip: Start should offer the slip screen with Skip and no warning")
	}
	test.Type(r.k.Slip.Code, strings.ToLower(code.String()))
	test.Tap(r.k.Slip.Confirm)
	if m := r.k.Slip.Message; r.k.Question != nil || !strings.HasPrefix(m.Text, "Phiếu này đã được dùng") {
		t.Fatalf("reused code: message %q", m.Text)
	}
}

// TestSlipOptional: an optional slip is asked for, and skipping it answers
// without one; a scanned one is kept.
func TestSlipOptional(t *testing.T) {
	r := newSlipRig(t, survey.SlipOptional)
	if !strings.HasPrefix(r.k.Welcome.SlipHint.Text, "Nếu có phiếu") {
		t.Fatalf("optional hint %q", r.k.Welcome.SlipHint.Text)
	}
	test.Tap(r.k.Welcome.Start)
	test.Tap(r.k.Slip.Skip)
	r.answerAll()
	if got := r.saved(); got.Slip != "" {
		t.Fatalf("skipped, but saved slip %q", got.Slip)
	}
	test.Tap(r.k.Thanks.Done)
	code, qr := newSlip(t, "mnopqr")
	r.scan(qr)
	r.start()
	r.answerAll()
	if got := r.saved(); got.Slip != code.Compact() {
		t.Fatalf("saved slip %q, want %q", got.Slip, code.Compact())
	}
}

// TestSlipNotUsed: a survey without slips starts at once, shows nothing
// about slips and ignores what is typed on the canvas.
func TestSlipNotUsed(t *testing.T) {
	r := newSlipRig(t, "")
	if r.k.Welcome.SlipHint != nil || r.k.Window().Canvas().OnTypedRune() != nil {
		t.Fatal("a survey without slips asks for one")
	}
	r.start()
	r.answerAll()
	if got := r.saved(); got.Slip != "" {
		t.Fatalf("saved slip %q", got.Slip)
	}
}

// TestSlipScanAfterStrayKeys: keys pressed long before a scan are not part
// of it, and an unfinished burst is dropped when the screen changes.
func TestSlipScanAfterStrayKeys(t *testing.T) {
	r := newSlipRig(t, survey.SlipRequired)
	test.TypeOnCanvas(r.k.Window().Canvas(), "xx")
	r.clock.Advance(2 * scanGap)
	code, qr := newSlip(t, "abcdef")
	r.scan(qr)
	if st := r.k.Welcome.SlipStatus; !strings.Contains(st.Text, code.String()) {
		t.Fatalf("scan after stray keys: %q", st.Text)
	}
}

// TestSlipIdleForgotten: a slip given and left on the welcome screen is
// forgotten after the idle timeout, not left for the next citizen.
func TestSlipIdleForgotten(t *testing.T) {
	r := newSlipRig(t, survey.SlipRequired)
	_, qr := newSlip(t, "abcdef")
	r.scan(qr)
	r.clock.Advance(r.cfg.IdleTimeout + time.Second)
	if r.k.Welcome == nil || r.k.Welcome.SlipStatus.Visible() || r.k.slip.code != "" {
		t.Fatal("the slip outlived the idle timeout")
	}
	test.Tap(r.k.Welcome.Start)
	if r.k.Slip == nil {
		t.Fatal("the forgotten slip started the survey")
	}
	// The slip screen goes home by itself too.
	r.clock.Advance(r.cfg.IdleTimeout + time.Second)
	if r.k.Welcome == nil {
		t.Fatal("the slip screen stayed after the idle timeout")
	}
}

// TestSlipTakenMeanwhile: a slip another response took after it was
// checked does not lose the answers: they are saved without it.
func TestSlipTakenMeanwhile(t *testing.T) {
	r := newSlipRig(t, survey.SlipRequired)
	code, qr := newSlip(t, "abcdef")
	r.scan(qr)
	other := &survey.Response{ID: "019abcde-f012-7345-8678-9abcdef01234", SurveyID: "mot-cua-nhanh", SurveyVersion: 1,
		Answers: survey.Answers{}, StartedAt: r.clock.Now(), FinishedAt: r.clock.Now(), DeviceID: "kiosk-test",
		Lang: "vi", Status: survey.StatusAbandoned, Slip: code.Compact()}
	if err := r.store.Store.SaveResponse(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	before := r.count()
	r.start()
	r.answerAll()
	if got := r.saved(); got.Slip != "" || r.count() != before+1 {
		t.Fatalf("saved %+v; %d responses, want %d", got, r.count(), before+1)
	}
}

// TestSlipScreensFit lays the slip screens out at every supported size and
// at MinScreen, full screen and in a window, in Vietnamese and English: the welcome screen
// asking for a slip with its longest message, and the slip screen with
// its message, required and optional (Skip).
func TestSlipScreensFit(t *testing.T) {
	screens := append([]fyne.Size{MinScreen.AddWidthHeight(10, 10)}, fit.Screens...) // and the test window's padding
	for _, screen := range screens {
		for _, kiosk := range []bool{true, false} {
			if !kiosk && screen == screens[0] {
				continue // a window is never made smaller than the smallest screen (as TestSmallestScreenFits)
			}
			for _, policy := range []survey.SlipPolicy{survey.SlipRequired, survey.SlipOptional} {
				for _, lang := range []string{"vi", "en"} {
					t.Run(fmt.Sprintf("%vx%v/kiosk=%v/%s/%s", screen.Width, screen.Height, kiosk, policy, lang), func(t *testing.T) {
						r := newSlipRig(t, policy)
						r.cfg.Links = settings.DefaultLinks()
						w := r.k.Window()
						size := screen
						if kiosk {
							w.Resize(screen)
						} else {
							size = FitWindow(w, fyne.NewSize(1280, 800), screen)
						}
						r.k.Home()
						if lang == "en" {
							test.Tap(r.k.Welcome.Lang)
						}
						c := w.Canvas()
						fits := func(name string) {
							t.Helper()
							if fit.Check(t, name, c, size, MinTarget) == 0 {
								t.Errorf("%s: nothing to tap", name)
							}
						}
						fits("welcome")
						r.scan("ABCDE-1234U")
						fits("welcome with a refused slip")
						_, qr := newSlip(t, "abcdef")
						r.scan(qr)
						fits("welcome with a slip")
						test.Tap(r.k.Welcome.SlipEnter)
						fits("slip screen")
						test.Type(r.k.Slip.Code, "ABCDE-1234")
						test.Tap(r.k.Slip.Confirm)
						if !r.k.Slip.Message.Visible() {
							t.Fatal("no message for a bad code")
						}
						fits("slip screen with a message")
					})
				}
			}
		}
	}
}

// TestSlipScannedOnSlipScreen: a scan on the slip screen is checked like a
// typed code and starts the survey; the language toggle on the welcome
// screen keeps a slip already given.
func TestSlipScannedOnSlipScreen(t *testing.T) {
	r := newSlipRig(t, survey.SlipRequired)
	test.Tap(r.k.Welcome.SlipEnter)
	code, qr := newSlip(t, "abcdef")
	r.scan(qr)
	if r.k.Question == nil {
		t.Fatal("a scan on the slip screen did not start the survey")
	}
	r.answerAll()
	if got := r.saved(); got.Slip != code.Compact() {
		t.Fatalf("saved slip %q", got.Slip)
	}

	test.Tap(r.k.Thanks.Done)
	other, qr2 := newSlip(t, "uvwxyz")
	r.scan(qr2)
	test.Tap(r.k.Welcome.Lang)
	if st := r.k.Welcome.SlipStatus; !st.Visible() || !strings.Contains(st.Text, "Slip "+other.String()+" received") {
		t.Fatalf("after switching to English: %q", st.Text)
	}
	r.start()
	r.answerAll()
	if got := r.saved(); got.Slip != other.Compact() || got.Lang != "en" {
		t.Fatalf("saved slip %q in %q", got.Slip, got.Lang)
	}
}
