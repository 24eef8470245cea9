// Package admin is the kiosk's admin panel: PIN set-up and entry with a big
// numeric keypad and lockout, then tabs to change the kiosk's settings, its
// portal links and the PIN, to see response counts, and to leave the kiosk.
// Other packages add their own tabs through Deps.Tabs.
package admin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/pin"
	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// DefaultAutoLock is how long the panel (or the PIN screen) may stay
// untouched before it returns to the kiosk.
const DefaultAutoLock = 3 * time.Minute

// Tab is an extra panel tab from another package (sync status, export,
// statistics). Content is called once, when the panel opens after the PIN;
// Close, when set, is called once when that panel closes (to stop status
// subscriptions and the like). Build a fresh Tab for every Show.
type Tab struct {
	Title   string
	Content func(w fyne.Window) fyne.CanvasObject
	Close   func()
	// Open makes the panel open on this tab (the first such) rather than
	// on its general tab: staff come for it (help requests waiting).
	Open bool
}

// Store is what the panel needs from app/store; *store.Store implements it.
type Store interface {
	settings.KV
	// Counts returns the response counters, Since counting responses
	// started at or after since.
	Counts(ctx context.Context, since time.Time) (store.Counts, error)
}

// Deps is what the panel needs from the rest of the kiosk.
type Deps struct {
	// Store holds the configuration and the PIN, and counts responses.
	Store Store
	// Lang is the panel's language, "vi" (the default) or "en".
	Lang string
	// Surveys lists the surveys the kiosk can run, for choosing the active one.
	Surveys func() []*survey.Survey
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// After calls f on the UI goroutine once d has passed, and returns a
	// function that cancels it. Nil means time.AfterFunc with fyne.Do.
	After func(d time.Duration, f func()) (cancel func())
	// AutoLock is the idle time after which the panel returns to the kiosk;
	// 0 means DefaultAutoLock.
	AutoLock time.Duration
	// PINOptions configure the PIN verifier (tests pass a low bcrypt cost).
	PINOptions []pin.Option
	// Quit leaves the application, after the admin confirmed.
	Quit func()
	// OnSaved, when set, is told every configuration saved from the panel,
	// so the kiosk can apply it at once.
	OnSaved func(settings.Config)
	// Tabs are extra tabs, shown after the panel's own.
	Tabs []Tab
	// Log receives errors; nil means slog.Default().
	Log *slog.Logger
	// Required, on a kiosk with no PIN yet (first start in --kiosk mode),
	// makes the set-up screen the only way on: no way back to the kiosk
	// and no auto-lock until a PIN is set, so that the first PIN is the
	// installer's, not whoever reaches the panel first.
	Required bool
	// Go runs the PIN checks (bcrypt) and the settings saves off the UI
	// goroutine; nil means `go f()`. Tests pass one that runs f at once.
	Go func(f func())
}

func (d *Deps) defaults() {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.After == nil {
		d.After = func(dur time.Duration, f func()) func() {
			t := time.AfterFunc(dur, func() { fyne.Do(f) })
			return func() { t.Stop() }
		}
	}
	if d.AutoLock <= 0 {
		d.AutoLock = DefaultAutoLock
	}
	if d.Surveys == nil {
		d.Surveys = func() []*survey.Survey { return nil }
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Go == nil {
		d.Go = func(f func()) { go f() }
	}
}

// Panel is the admin panel shown in a window. Its screens keep their widgets
// in fields so that tests can reach them.
type Panel struct {
	ctx     context.Context
	w       fyne.Window
	d       Deps
	prev    fyne.CanvasObject
	onClose func()
	pin     *pin.Verifier
	tr      *i18n.Translator
	closed  bool
	// required: the PIN set-up screen must be passed (Deps.Required).
	required bool

	idleCancel func()

	// PIN screen (set-up or entry); nil once the panel is open.
	pad *pinPad
	// Open panel.
	main    *mainScreen
	general *generalTab
	links   *linksTab
	change  *changeTab
	counts  *countsTab
	// editor is the open on-screen keyboard, if any; keyButtons open it,
	// by the field they fill.
	editor     *textEditor
	keyButtons map[*widget.Entry]*widget.Button
}

// Show replaces w's content with the admin panel: PIN set-up on the first
// run, PIN entry otherwise, then the panel. When the admin goes back to the
// kiosk, or the panel is left untouched for Deps.AutoLock, the panel puts
// back w's previous content and calls onClose. If w already shows a panel
// (the admin shortcut pressed twice), that panel is returned instead.
// ctx bounds every storage call.
func Show(ctx context.Context, w fyne.Window, d Deps, onClose func()) (*Panel, error) {
	if r, ok := w.Content().(*root); ok && !r.p.closed {
		r.p.touch()
		return r.p, nil
	}
	if d.Store == nil {
		return nil, errors.New("admin panel: Deps.Store is required")
	}
	d.defaults()
	tr, err := newTranslator(d.Lang)
	if err != nil {
		return nil, fmt.Errorf("admin panel: %w", err)
	}
	p := &Panel{ctx: ctx, w: w, d: d, prev: w.Content(), onClose: onClose, tr: tr,
		keyButtons: map[*widget.Entry]*widget.Button{}}
	p.pin = pin.New(d.Store, d.PINOptions...)
	set, err := p.pin.IsSet(ctx)
	switch {
	case err != nil:
		p.d.Log.Error("admin: read pin", "err", err)
		p.showEntry() // shows the storage error; nobody gets in without a PIN
		p.pad.showError(p.l("admin.error.storage"))
	case !set:
		p.required = d.Required
		p.showSetup()
	default:
		p.showEntry()
	}
	p.touch()
	return p, nil
}

// IsOpen reports whether w shows an open admin panel (PIN screen or tabs).
// The kiosk checks it before leaving its own screen for the panel.
func IsOpen(w fyne.Window) bool {
	r, ok := w.Content().(*root)
	return ok && !r.p.closed
}

// setContent shows obj in the window, marked as the panel's.
func (p *Panel) setContent(obj fyne.CanvasObject) {
	r := &root{p: p, obj: obj}
	r.ExtendBaseWidget(r)
	p.w.SetContent(r)
}

// root marks window content as a panel's, so Show can find an open panel.
type root struct {
	widget.BaseWidget
	p   *Panel
	obj fyne.CanvasObject
}

func (r *root) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.obj) }

// Close returns to the kiosk at once: it puts back the window's earlier
// content and calls onClose. If something else has meanwhile replaced the
// panel in the window, Close only stops the panel and leaves the window be.
func (p *Panel) Close() {
	if p.closed {
		return
	}
	p.closed = true
	if p.idleCancel != nil {
		p.idleCancel()
	}
	if p.pad != nil {
		p.pad.stopCountdown()
	}
	p.closeEditor()
	if p.main != nil {
		if p.main.quitDialog != nil {
			p.main.quitDialog.Hide() // dialogs live on the window, not in the content
			p.main.quitDialog = nil
		}
		for _, f := range p.main.tabClose {
			f()
		}
	}
	if !p.showing() {
		p.d.Log.Warn("admin: panel replaced in its window by something else; closed without restoring")
		return
	}
	p.w.SetContent(p.prev)
	if p.onClose != nil {
		p.onClose()
	}
}

// showing reports whether the window still shows this panel.
func (p *Panel) showing() bool {
	r, ok := p.w.Content().(*root)
	return ok && r.p == p
}

// touch restarts the auto-lock timer; every handler calls it.
func (p *Panel) touch() {
	if p.closed {
		return
	}
	if p.idleCancel != nil {
		p.idleCancel()
		p.idleCancel = nil
	}
	if p.required {
		return // no auto-lock back to a kiosk without a PIN
	}
	p.idleCancel = p.d.After(p.d.AutoLock, p.Close)
}

// background runs work through Deps.Go with a context for one storage
// call, then what it returns on the UI goroutine, unless the panel was
// closed meanwhile.
func (p *Panel) background(work func(ctx context.Context) (then func())) {
	p.d.Go(func() {
		ctx, cancel := p.op()
		defer cancel()
		then := work(ctx)
		fyne.Do(func() {
			if !p.closed && then != nil {
				then()
			}
		})
	})
}

// op returns a context for one storage call.
func (p *Panel) op() (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.ctx, 10*time.Second)
}
