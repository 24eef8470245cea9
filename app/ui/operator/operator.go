// Package operator is outreach mode, for laptops that staff carry into
// industrial zones and villages: the kiosk runs in an ordinary window and a
// panel beside its screens lets the operator set the event tag stored on
// every response, watch the running count for the event, switch surveys in
// one tap, mark the response being collected as assisted (read aloud by
// staff), and show the event's summary at the end of the day.
//
// It reuses the kiosk (app/ui) through the kiosk's hooks rather than
// copying it, so idle reset, misuse flags, storage and sync work exactly as
// at a desk. Settings go through app/settings, the figures through
// app/report with its k ≥ 5 suppression.
package operator

import (
	"context"
	"errors"
	"iter"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"

	"github.com/hailong-kiosk/hailong/app/export"
	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/helpui"
)

// Store is what operator mode reads and writes; *store.Store implements it.
type Store interface {
	// KV holds the kiosk's settings (event tag, active survey).
	settings.KV
	// DefSource gives the survey definitions pulled from the hub.
	export.DefSource
	// Responses streams the responses matching f, oldest first.
	Responses(ctx context.Context, f store.Filter) iter.Seq2[*survey.Response, error]
}

// Deps is what operator mode needs besides the kiosk.
type Deps struct {
	// Store is the kiosk's store, the same one the kiosk saves to.
	Store Store
	// Builtin are the built-in survey definitions (survey.Builtin()); with
	// the ones pulled from the hub they are the surveys to switch between
	// and the definitions the summary's figures use.
	Builtin []*survey.Survey
	// Lang is the operator's language, "vi" (the default) or "en". The
	// citizen's language toggle does not change it.
	Lang string
	// Go runs blocking reads off the UI goroutine; nil means `go f()`.
	// Their results reach widgets only through fyne.Do.
	Go func(f func())
	// Log receives full error chains; nil means slog.Default().
	Log *slog.Logger
	// Help lists and resolves the kiosk's help requests (the kiosk's
	// store); nil leaves the help section out.
	Help helpui.Store
	// Screen is the work area of the screen the window opens on; zero
	// asks the window system (see ui.FitWindow).
	Screen fyne.Size
}

func (d *Deps) defaults() {
	if d.Go == nil {
		d.Go = func(f func()) { go f() }
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Lang != "en" {
		d.Lang = "vi"
	}
}

// opTimeout bounds one storage call.
const opTimeout = 10 * time.Second

// WindowWidth and WindowHeight are the operator window's size: what a
// 1366×768 laptop screen leaves after the taskbar and the title bar. On a
// smaller screen the window opens smaller (ui.FitWindow): the kiosk's
// screens lay themselves out for what is left beside the panel.
const (
	WindowWidth  = 1360
	WindowHeight = 690
)

// Attach turns k's window into outreach mode: it puts the operator panel
// beside the kiosk's screens and sizes the window for a 1366×768 laptop, or
// the screen it opens on if that is smaller.
// It must run on the UI goroutine, after ui.New and before the window is
// shown; the kiosk must be in window mode (not ui.Options.Kiosk). ctx
// bounds every storage call the panel makes.
func Attach(ctx context.Context, k *ui.Kiosk, d Deps) (*Panel, error) {
	if k == nil || d.Store == nil {
		return nil, errors.New("operator mode: the kiosk and Deps.Store are required")
	}
	if k.Window().FullScreen() {
		return nil, errors.New("operator mode runs in a window: start the kiosk without --kiosk")
	}
	d.defaults()
	p, err := newPanel(ctx, k, d)
	if err != nil {
		return nil, err
	}
	k.Window().SetTitle(p.tr.T("operator.window"))
	// The kiosk's screens keep the kiosk theme, scaled to the room the
	// panel leaves them (ui's screen layout).
	hooks := ui.Hooks{Frame: p.frameScreen, BeforeSave: p.stamp, AfterSave: p.saved}
	if p.Help != nil {
		hooks.HelpRaised = p.Help.Reload
		go p.tickHelp(ctx)
	}
	k.SetHooks(hooks)
	ui.FitWindow(k.Window(), fyne.NewSize(WindowWidth, WindowHeight), d.Screen)
	p.refresh()
	return p, nil
}

// helpTick is how often the help section's wait times are updated.
const helpTick = 30 * time.Second

// tickHelp updates the wait times of the open help requests until ctx ends.
func (p *Panel) tickHelp(ctx context.Context) {
	t := time.NewTicker(helpTick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fyne.Do(p.Help.Tick)
		}
	}
}
