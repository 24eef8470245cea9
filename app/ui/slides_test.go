package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// TestSlidesCycleWhileIdle: the plain welcome stays SlideEvery, then each
// built-in slide in turn takes the place of the title and invitation, then
// the plain welcome again; a tap on a slide returns to the plain welcome
// and starts the count again; the start button is on show and works
// throughout.
func TestSlidesCycleWhileIdle(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	r.k.Window().Resize(fyne.NewSize(1280, 800))
	builtin, err := survey.BuiltinSlides()
	if err != nil {
		t.Fatal(err)
	}
	w := r.k.Welcome
	s := w.Slides
	if s == nil || len(s.Slides) != len(builtin.Slides) {
		t.Fatalf("welcome slides %+v, want the %d built-in ones", s, len(builtin.Slides))
	}
	plain := func(when string) {
		t.Helper()
		if s.Index != -1 || !w.Title.Visible() || !w.Invite.Visible() || s.Area.Visible() {
			t.Fatalf("%s: slide %d on show (title visible %v), want the plain welcome", when, s.Index, w.Title.Visible())
		}
	}
	onSlide := func(when string, i int) {
		t.Helper()
		if s.Index != i || w.Title.Visible() || w.Invite.Visible() || !s.Area.Visible() {
			t.Fatalf("%s: slide %d on show (title visible %v), want slide %d", when, s.Index, w.Title.Visible(), i)
		}
		if want := builtin.Slides[i].Title["vi"]; s.Title.Text != want {
			t.Fatalf("%s: slide title %q, want %q", when, s.Title.Text, want)
		}
		if (s.QR != nil) != (builtin.Slides[i].QR != nil) {
			t.Fatalf("%s: slide %d QR code %v", when, i, s.QR)
		}
	}
	startShown := func(when string) {
		t.Helper()
		if !w.Start.Visible() || w.Start.Disabled() || w.Start.Size().Height < MinTarget {
			t.Fatalf("%s: start button visible %v, disabled %v, %v", when, w.Start.Visible(), w.Start.Disabled(), w.Start.Size())
		}
	}
	plain("at first")
	r.clock.Advance(SlideEvery - time.Millisecond)
	plain("just before the first change")
	for i := range builtin.Slides {
		r.clock.Advance(time.Millisecond)
		onSlide("after the wait", i)
		startShown("on a slide")
		r.clock.Advance(SlideEvery - time.Millisecond)
	}
	r.clock.Advance(time.Millisecond)
	plain("after the last slide")
	r.clock.Advance(SlideEvery)
	onSlide("the next round", 0)

	test.Tap(s.Area)
	plain("after a tap")
	r.clock.Advance(SlideEvery - time.Millisecond)
	plain("a tap starts the count again")
	r.clock.Advance(time.Millisecond)
	onSlide("after a tap and the wait", 0)

	test.Tap(w.Start)
	if r.k.Question == nil {
		t.Fatal("the start button on a slide started nothing")
	}
	r.clock.Advance(3 * SlideEvery) // the old welcome's count ends quietly
	if r.k.Question == nil || r.k.Welcome != nil {
		t.Fatal("the slides changed the screen after the survey started")
	}
}

// TestSlidesFromHub: the hub's set replaces the built-in one, in the
// language chosen; a set without slides shows none; its feedback channels
// are listed, a channel with a link as one more QR code.
func TestSlidesFromHub(t *testing.T) {
	r := newRig(t, "mot-cua-nhanh", Options{})
	r.slides = &survey.Slides{
		Slides: []survey.Slide{{Title: survey.Text{"vi": "Lấy ý kiến", "en": "Consultation"}, Text: survey.Text{"vi": "Dự thảo", "en": "Draft"}}},
		Channels: []survey.Channel{
			{Name: survey.Text{"vi": "Ứng dụng iHanoi"}, URL: "https://example.org/ihanoi"},
			{Name: survey.Text{"vi": "Đường dây nóng"}, Phone: "1022"},
		},
	}
	r.k.Home()
	portals := len(r.cfg.Links)
	w := r.k.Welcome
	if len(w.Slides.Slides) != 1 || w.Channels == nil || len(w.QRs) != portals+1 || w.QRs[portals].URL != "https://example.org/ihanoi" {
		t.Fatalf("slides %d, channels %v, QR codes %d", len(w.Slides.Slides), w.Channels, len(w.QRs))
	}
	test.Tap(w.Lang)
	r.clock.Advance(SlideEvery)
	if s := r.k.Welcome.Slides; s.Index != 0 || s.Title.Text != "Consultation" || s.Counter.Text != "1 / 1" {
		t.Fatalf("English slide %d %q %q", s.Index, s.Title.Text, s.Counter.Text)
	}

	r.slides = &survey.Slides{}
	r.k.Home()
	if w := r.k.Welcome; w.Slides != nil || w.Channels != nil || len(w.QRs) != portals {
		t.Fatalf("an empty set: slides %v, channels %v, %d QR codes", w.Slides, w.Channels, len(w.QRs))
	}
	r.clock.Advance(2 * SlideEvery)
	if !r.k.Welcome.Title.Visible() {
		t.Fatal("no slides, yet the title was hidden")
	}
}
