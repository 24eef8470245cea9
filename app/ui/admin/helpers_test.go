package admin

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/crypto/bcrypt"

	"github.com/hailong-kiosk/hailong/app/pin"
	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// fakeClock is a settable clock whose timers fire only when the test
// advances it, in time order, on the test's goroutine.
type fakeClock struct {
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

func newClock() *fakeClock {
	// 08:30 in Hanoi, 25 Nov 2026.
	return &fakeClock{now: time.Date(2026, 11, 25, 1, 30, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) After(d time.Duration, f func()) func() {
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() { t.stopped = true }
}

// Advance moves the clock by d, firing due timers in order.
func (c *fakeClock) Advance(d time.Duration) {
	end := c.now.Add(d)
	for {
		c.timers = slices.DeleteFunc(c.timers, func(t *fakeTimer) bool { return t.stopped })
		var next *fakeTimer
		for _, t := range c.timers {
			if !t.at.After(end) && (next == nil || t.at.Before(next.at)) {
				next = t
			}
		}
		if next == nil {
			break
		}
		next.stopped = true
		c.now = next.at
		next.f()
	}
	c.now = end
}

// rig is a panel under test on Fyne's test driver with a real store.
type rig struct {
	t       *testing.T
	ctx     context.Context
	clock   *fakeClock
	store   *store.Store
	w       fyne.Window
	kiosk   fyne.CanvasObject // what the window showed before the panel
	closed  int
	quit    int
	saved   int
	surveys []*survey.Survey
	deps    Deps
	p       *Panel
	// later queues the panel's background work until flush.
	later  bool
	queued []func()
}

func newRig(t *testing.T) *rig {
	t.Helper()
	test.NewTempApp(t)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "kiosk.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	surveys, err := survey.Builtin()
	if err != nil {
		t.Fatalf("built-in surveys: %v", err)
	}
	r := &rig{t: t, ctx: ctx, clock: newClock(), store: st, surveys: surveys}
	r.kiosk = widget.NewLabel("kiosk welcome screen")
	r.w = test.NewTempWindow(t, r.kiosk)
	r.w.Resize(fyne.NewSize(1280, 800))
	r.deps = Deps{
		Store:      st,
		Surveys:    func() []*survey.Survey { return r.surveys },
		Now:        r.clock.Now,
		After:      r.clock.After,
		PINOptions: r.pinOptions(),
		Quit:       func() { r.quit++ },
		OnSaved:    func(settings.Config) { r.saved++ },
		Go:         r.run, // the test driver runs fyne.Do at once
	}
	return r
}

// run is the panel's Deps.Go: at once, or queued while later is set.
func (r *rig) run(f func()) {
	if r.later {
		r.queued = append(r.queued, f)
		return
	}
	f()
}

// flush runs the queued background work.
func (r *rig) flush() {
	for len(r.queued) > 0 {
		f := r.queued[0]
		r.queued = r.queued[1:]
		f()
	}
}

func (r *rig) pinOptions() []pin.Option {
	return []pin.Option{pin.WithClock(r.clock.Now), pin.WithCost(bcrypt.MinCost)}
}

// verifier is a PIN verifier over the rig's store, as a restarted kiosk
// would make.
func (r *rig) verifier() *pin.Verifier { return pin.New(r.store, r.pinOptions()...) }

// setPIN sets the admin PIN directly, as an earlier run would have.
func (r *rig) setPIN(p string) {
	r.t.Helper()
	if err := r.verifier().Setup(r.ctx, p); err != nil {
		r.t.Fatalf("set pin: %v", err)
	}
}

// show opens the panel.
func (r *rig) show() *Panel {
	r.t.Helper()
	p, err := Show(r.ctx, r.w, r.deps, func() { r.closed++ })
	if err != nil {
		r.t.Fatalf("Show: %v", err)
	}
	r.p = p
	return p
}

// open sets PIN 2580 unless a PIN is set, and unlocks the panel with it.
func (r *rig) open() *Panel {
	r.t.Helper()
	if set, _ := r.verifier().IsSet(r.ctx); !set {
		r.setPIN("2580")
	}
	p := r.show()
	r.keypad(p.pad, "2580")
	if p.main == nil {
		r.t.Fatalf("panel did not open with the right PIN; message %q", p.pad.msg.Text)
	}
	return p
}

// keypad taps the digits of s and then the OK key.
func (r *rig) keypad(pad *pinPad, s string) {
	r.t.Helper()
	for _, c := range s {
		test.Tap(pad.keys[c-'0'])
	}
	test.Tap(pad.ok)
}

// tabs selects the tab titled title.
func (r *rig) tab(title string) {
	r.t.Helper()
	for _, it := range r.p.main.tabs.Items {
		if it.Text == title {
			r.p.main.tabs.Select(it)
			return
		}
	}
	r.t.Fatalf("no tab %q", title)
}

// setting reads one stored setting.
func (r *rig) setting(key string) (string, bool) {
	r.t.Helper()
	v, ok, err := r.store.Setting(r.ctx, key)
	if err != nil {
		r.t.Fatalf("read setting %s: %v", key, err)
	}
	return v, ok
}

// shows reports whether obj is in the window's content tree and visible.
func shows(c fyne.Canvas, obj fyne.CanvasObject) bool {
	found := false
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found || o == nil || !o.Visible() {
			return
		}
		if o == obj {
			found = true
			return
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, ch := range x.Objects {
				walk(ch)
			}
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(x).Objects() {
				walk(ch)
			}
		}
	}
	walk(c.Content())
	return found
}
