package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// TestIdleWarningCountsDown: in the last IdleWarning before idle reset the
// screen shows the seconds left, once a second; a touch anywhere on it
// cancels the reset and the full countdown starts again.
func TestIdleWarningCountsDown(t *testing.T) {
	r := newRig(t, "sipas", Options{})
	r.start()
	r.choice(survey.CodeNo)
	idle := r.cfg.IdleTimeout
	r.clock.Advance(idle - IdleWarning - time.Second)
	if got := r.k.IdleWarningShown(); got != "" {
		t.Fatalf("warning %q shown too early", got)
	}
	r.clock.Advance(time.Second)
	if got := r.k.IdleWarningShown(); !strings.Contains(got, "10 giây") {
		t.Fatalf("warning at 10 s left: %q", got)
	}
	if len(r.k.win.Canvas().Overlays().List()) != 1 {
		t.Fatal("the warning does not cover the window")
	}
	r.clock.Advance(3 * time.Second)
	if got := r.k.IdleWarningShown(); !strings.Contains(got, "7 giây") {
		t.Fatalf("warning at 7 s left: %q", got)
	}
	test.Tap(r.k.idle) // a touch anywhere on the warning
	if r.k.IdleWarningShown() != "" || len(r.k.win.Canvas().Overlays().List()) != 0 || r.k.Question == nil {
		t.Fatal("a touch did not cancel the warning")
	}
	r.clock.Advance(idle - IdleWarning - time.Second)
	if r.k.IdleWarningShown() != "" || r.k.Question == nil {
		t.Fatal("the countdown did not start again from the full idle time")
	}
	r.clock.Advance(IdleWarning + time.Second)
	if r.k.Welcome == nil || r.k.IdleWarningShown() != "" || len(r.k.win.Canvas().Overlays().List()) != 0 {
		t.Fatal("the countdown ran out but the survey was not reset")
	}
	if got := r.saved(); got.Status != survey.StatusAbandoned {
		t.Fatalf("reset saved %+v", got)
	}
}

// TestSaveInFlight: the save runs off the UI goroutine; until it is done
// the question screen takes no second tap, and Home asked meanwhile (the
// admin shortcut) follows the thank-you screen rather than racing it.
func TestSaveInFlight(t *testing.T) {
	r := newRig(t, "papi-nhanh", Options{})
	r.start()
	for !r.k.Question.ss.IsLast() {
		r.choice(r.k.Question.Choices[0].Code)
		test.Tap(r.k.Question.Next)
	}
	if r.k.Question.Comment == nil {
		r.choice(r.k.Question.Choices[0].Code)
	}
	r.later = true
	q := r.k.Question
	test.Tap(q.Next)
	test.Tap(q.Next) // a double tap
	test.Tap(q.Back)
	if r.k.Question != q || r.count() != 0 || len(r.queued) != 1 {
		t.Fatalf("while saving: screen changed=%v, %d saved, %d queued", r.k.Question != q, r.count(), len(r.queued))
	}
	r.flush()
	if r.k.Thanks == nil || r.count() != 1 {
		t.Fatalf("after the save: thanks=%v, %d saved", r.k.Thanks != nil, r.count())
	}
	test.Tap(r.k.Thanks.Done)
	if r.k.Thanks == nil || len(r.queued) != 1 {
		t.Fatal("the welcome screen's settings were read on the UI goroutine")
	}
	r.flush()
	if r.k.Welcome == nil {
		t.Fatal("no welcome screen after its settings were read")
	}
}

// TestPanicInScreenReturnsHome: a panic in a handler is recovered; the
// partial answers are saved as abandoned and the welcome screen shows.
func TestPanicInScreenReturnsHome(t *testing.T) {
	r := newRig(t, "sipas", Options{})
	r.start()
	r.choice(survey.CodeNo)
	q := r.k.Question
	q.Question = nil // breaks the screen: the next tap dereferences it
	test.Tap(q.Choices[0].Button)
	if r.k.Welcome == nil {
		t.Fatal("after a panic the kiosk is not on the welcome screen")
	}
	if got := r.saved(); got.Status != survey.StatusAbandoned || len(got.Answers) != 1 {
		t.Fatalf("partial answers after the panic: %+v", got)
	}
	r.start() // and the next citizen can go on
}

// TestThankYouLinksAndScan: the thank-you QR is the first link the admin
// configured, and "I will scan" keeps the screen up for ScanTime instead
// of the short thank-you timeout.
func TestThankYouLinksAndScan(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	r.cfg.Links = []settings.Link{{Title: survey.Text{"vi": "Cổng của phường", "en": "Ward portal"}, URL: "https://phuong.example.vn/gop-y"}}
	r.cfg.ThankYouTimeout = 8 * time.Second
	r.k.Home()
	finish := func() {
		t.Helper()
		r.start()
		for r.k.Question != nil {
			if r.k.Question.Comment == nil {
				r.choice(survey.CodeSatisfied)
			}
			test.Tap(r.k.Question.Next)
		}
	}
	finish()
	th := r.k.Thanks
	if th == nil || th.QR == nil || th.QR.URL != "https://phuong.example.vn/gop-y" || th.QR.Caption.Text != "Cổng của phường" {
		t.Fatalf("thank-you QR: %+v", th.QR)
	}
	test.Tap(th.Scan)
	if th.Scan.Visible() || !th.Scanning.Visible() {
		t.Fatal("tapping scan did not say the screen waits")
	}
	r.clock.Advance(ScanTime - time.Second)
	if r.k.Thanks != th {
		t.Fatal("the thank-you screen left before ScanTime")
	}
	r.clock.Advance(time.Second)
	if r.k.Welcome == nil {
		t.Fatal("the thank-you screen stayed after ScanTime")
	}

	r.cfg.Links = nil // the admin removed every link: no code
	r.k.Home()
	finish()
	if r.k.Thanks.QR != nil || r.k.Thanks.Scan != nil {
		t.Fatal("a QR code shown with no link configured")
	}
	r.clock.Advance(r.cfg.ThankYouTimeout)
	if r.k.Welcome == nil {
		t.Fatal("the thank-you screen did not time out")
	}
}

// heldSpeaker reads until the test ends the reading.
type heldSpeaker struct {
	spoken []string
	stops  int
	done   chan error
}

func (h *heldSpeaker) Speak(_ context.Context, text string) <-chan error {
	h.spoken = append(h.spoken, text)
	h.done = make(chan error, 1)
	return h.done
}

func (h *heldSpeaker) Stop() {
	h.stops++
	if h.done != nil {
		select {
		case h.done <- context.Canceled:
		default:
		}
	}
}

// TestReadAloudOrderStateStop: options are read in the order the screen
// shows them (faces from the least to the most satisfied); the button
// shows that it is reading and stops it; it comes back when reading ends.
func TestReadAloudOrderStateStop(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	sp := &heldSpeaker{}
	r.k.deps.Speaker = sp
	r.k.Home()
	q := r.start()
	r.later = true // waiting for the reading to end is background work
	test.Tap(q.Speak)
	if len(sp.spoken) != 1 {
		t.Fatalf("spoken %v", sp.spoken)
	}
	var order []string
	for _, c := range q.Choices {
		order = append(order, c.Label.Text)
	}
	text := sp.spoken[0]
	last := -1
	for _, l := range order {
		i := strings.Index(text, l+".")
		if !strings.HasSuffix(text, l) && i < 0 || i >= 0 && i < last {
			t.Fatalf("read %q, not in screen order %v", text, order)
		}
		last = max(i, last)
	}
	if !q.Reading() || q.Speak.Text != "Dừng đọc" {
		t.Fatalf("while reading: button %q", q.Speak.Text)
	}
	test.Tap(q.Speak) // stop
	if q.Reading() || q.Speak.Text != "Nghe đọc" || sp.stops == 0 {
		t.Fatalf("after stop: reading=%v button %q", q.Reading(), q.Speak.Text)
	}
	test.Tap(q.Speak) // read again, to the end this time
	sp.done <- nil
	r.flush()
	if q.Reading() || q.Speak.Text != "Nghe đọc" {
		t.Fatalf("after the reading ended: button %q", q.Speak.Text)
	}
}

// TestStopSavesPartialAnswers: shutting the kiosk down mid-survey saves
// what was answered as abandoned, as idle reset does.
func TestStopSavesPartialAnswers(t *testing.T) {
	r := newRig(t, "sipas", Options{})
	r.start()
	r.choice(survey.CodeNo)
	if err := r.k.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := r.saved()
	if r.count() != 1 || got.Status != survey.StatusAbandoned || got.Answers["bi_phien_ha"][0] != survey.CodeNo {
		t.Fatalf("after Stop: %d saved, %+v", r.count(), got)
	}
	r.clock.Advance(time.Hour)
	if r.count() != 1 {
		t.Fatal("a timer acted after Stop")
	}
}

// TestStopSavesPendingRetry: a response waiting for Retry is tried once
// more at shutdown.
func TestStopSavesPendingRetry(t *testing.T) {
	r := newRig(t, "sipas", Options{})
	r.start()
	r.choice(survey.CodeNo)
	r.store.fail = errFull
	r.clock.Advance(r.cfg.IdleTimeout)
	if r.k.SaveError == nil {
		t.Fatal("no save-error screen")
	}
	if !strings.Contains(r.k.SaveError.Kept.Text, "bộ nhớ") {
		t.Fatalf("save-error screen says %q; the answers are in memory only", r.k.SaveError.Kept.Text)
	}
	test.Tap(r.k.SaveError.Retry)
	if !r.k.SaveError.Status.Visible() || !strings.Contains(r.k.SaveError.Status.Text, "vẫn chưa lưu được") {
		t.Fatalf("failed retry shows %q", r.k.SaveError.Status.Text)
	}
	r.store.fail = nil
	if err := r.k.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r.count() != 1 {
		t.Fatal("the pending response was not saved at shutdown")
	}
}

var errFull = store.ErrDiskFull

// TestScreensChangeInStage: in window and kiosk mode every screen change
// puts the new screen in the stage, laid out at the stage's size, and the
// window keeps the stage as its content; a new scale (the window made
// smaller) rebuilds the screen in the same stage.
func TestScreensChangeInStage(t *testing.T) {
	for _, opts := range []Options{{}, {Kiosk: true}} {
		r := newRig(t, "mot-cua-nhanh", opts)
		w := r.k.win
		stage := r.k.stage
		check := func(what string) {
			t.Helper()
			if w.Content() != stage {
				t.Fatalf("kiosk=%v, %s: the window's content is not the stage", opts.Kiosk, what)
			}
			if len(stage.Objects) != 1 || stage.Objects[0] != r.k.screen {
				t.Fatalf("kiosk=%v, %s: the stage does not hold the screen on show", opts.Kiosk, what)
			}
			if got, want := r.k.screen.Size(), stage.Size(); got != want || want.IsZero() {
				t.Fatalf("kiosk=%v, %s: screen laid out at %v in a stage of %v", opts.Kiosk, what, got, want)
			}
		}
		check("welcome")
		r.start()
		for r.k.Question != nil {
			check("question " + r.k.Question.Question.Code)
			if len(r.k.Question.Choices) > 0 {
				r.choice(r.k.Question.Choices[len(r.k.Question.Choices)-1].Code)
			}
			test.Tap(r.k.Question.Next)
		}
		check("thank-you")
		test.Tap(r.k.Thanks.Done)
		check("welcome again")
		before := r.k.Welcome
		scale := r.k.theme.scale
		w.Resize(fyne.NewSize(1024, 600))
		if r.k.theme.scale == scale || r.k.Welcome == before {
			t.Fatalf("kiosk=%v: the smaller window did not rebuild the screen at a new scale", opts.Kiosk)
		}
		check("welcome at 1024×600")
	}
}
