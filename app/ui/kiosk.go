// Package ui is the kiosk's citizen-facing Fyne interface: the welcome,
// question, thank-you and save-error screens, the kiosk theme and
// translations, idle reset, misuse flags and the hidden ways into the admin
// panel. Domain rules live in app/survey; storage behind the Store interface.
package ui

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
)

// Store is what the kiosk needs from app/store.
type Store interface {
	// SaveResponse durably saves r in one transaction; saving the same
	// response again is a no-op.
	SaveResponse(ctx context.Context, r *survey.Response) error
	// LastResponse returns the newest response, or an error wrapping
	// store.ErrNotFound when there is none.
	LastResponse(ctx context.Context) (*survey.Response, error)
}

// Options choose how the kiosk window behaves.
type Options struct {
	// Kiosk makes the window full screen and ignores attempts to close it
	// (they open the admin panel instead, which asks for the PIN).
	// Without it the kiosk runs in an ordinary window, for laptops.
	Kiosk bool
	// Screen is the work area of the screen the window opens on, for
	// sizing a window (not full screen); zero asks the window system.
	Screen fyne.Size
}

// Deps is what the kiosk is wired to.
type Deps struct {
	// Store saves responses.
	Store Store
	// Config loads the current settings; it is called at every welcome
	// screen, so admin changes apply from the next citizen on.
	Config func(ctx context.Context) (settings.Config, error)
	// Survey returns the survey with the given id (the configured active
	// one); it is called at every welcome screen.
	Survey func(ctx context.Context, id string) (*survey.Survey, error)
	// Clock tells time and runs timers; nil means the system clock.
	Clock Clock
	// DeviceID is stored on every response.
	DeviceID string
	// Logger receives errors and events; nil means slog.Default().
	Logger *slog.Logger
	// OnAdmin opens the admin panel (long press on the logo, Ctrl+Alt+A,
	// or closing the window in kiosk mode). It may be nil.
	OnAdmin func()
	// Options choose kiosk or window mode.
	Options Options
	// Speaker reads questions aloud; nil hides the speaker button (no
	// speech engine on this machine). If it also has an Available() bool
	// method (app/speech has), the kiosk asks it when a survey starts,
	// not at start-up (finding the engine runs a program), and hides the
	// button from then on if it says no.
	Speaker Speaker
	// Prepared is what Prepare started on the same app, or nil; New then
	// keeps the theme Prepare set and waits for its font warm-up before
	// laying out the welcome screen.
	Prepared *Prepared
}

// Speaker reads text aloud without blocking (app/speech implements it).
type Speaker interface {
	// Speak starts reading text, cutting short what is being read.
	Speak(ctx context.Context, text string) <-chan error
	// Stop cuts short what is being read.
	Stop()
}

// AdminShortcut opens the admin panel from a keyboard.
var AdminShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyA, Modifier: fyne.KeyModifierControl | fyne.KeyModifierAlt}

// windowTitle is the kiosk window's title.
const windowTitle = "Hài Lòng"

// saveTimeout bounds one save; SQLite with synchronous=FULL takes milliseconds.
const saveTimeout = 10 * time.Second

// Kiosk runs the citizen flow in one window. Its methods, like every Fyne
// call, run on the UI thread; timers come back through fyne.Do.
type Kiosk struct {
	app   fyne.App
	win   fyne.Window
	deps  Deps
	clock Clock
	log   *slog.Logger
	tr    *i18n.Translator
	icons *iconSet

	cfg     settings.Config
	survey  *survey.Survey
	session *survey.Session
	recent  []*survey.Response // for misuse checks

	pending   *survey.Response // kept after a failed save, for Retry
	afterSave func()

	gen   int // invalidates timers set before the current one
	timer Timer

	theme     *kioskTheme // the app's theme, whose scale follows area; nil if another
	area      fyne.Size   // the size the screen on show was given
	rescaling bool        // a rescale is queued

	// The screen on show; the others are nil. Tests reach widgets here.
	Welcome   *Welcome
	Question  *QuestionScreen
	Thanks    *ThankYou
	SaveError *SaveError
}

// New builds the kiosk window on app with the welcome screen in it, ready
// for Show. It sets the kiosk theme on app (or Prepare did, see
// Deps.Prepared).
func New(app fyne.App, deps Deps) (*Kiosk, error) {
	if deps.Store == nil || deps.Config == nil || deps.Survey == nil {
		return nil, errors.New("kiosk: Store, Config and Survey are required")
	}
	k := &Kiosk{app: app, deps: deps, clock: deps.Clock, log: deps.Logger}
	if k.clock == nil {
		k.clock = SystemClock{}
	}
	if k.log == nil {
		k.log = slog.Default()
	}
	var err error
	if k.tr, err = i18n.New("kiosk", "vi"); err != nil {
		return nil, err
	}
	prep := deps.Prepared
	if prep != nil && prep.app != app {
		return nil, errors.New("kiosk: Deps.Prepared was prepared for another app")
	}
	if prep == nil {
		app.Settings().SetTheme(newKioskTheme())
		if k.icons, err = loadIcons(); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
	defer cancel()
	if last, err := deps.Store.LastResponse(ctx); err == nil {
		k.recent = []*survey.Response{last}
	} else if !errors.Is(err, store.ErrNotFound) {
		k.log.Error("read last response for misuse checks", "err", err)
	}

	if prep != nil {
		k.win = prep.win
	} else {
		k.win = app.NewWindow(windowTitle)
	}
	k.win.Canvas().AddShortcut(AdminShortcut, func(fyne.Shortcut) { k.openAdmin() })
	if deps.Options.Kiosk {
		k.win.SetFullScreen(true)
		k.win.SetCloseIntercept(k.openAdmin)
		k.area = screenSize(k.win) // the first screen is built at its scale
	} else {
		FitWindow(k.win, fyne.NewSize(1280, 800), deps.Options.Screen)
	}
	k.theme, _ = app.Settings().Theme().(*kioskTheme)
	k.cfg = settings.Default()
	if prep != nil {
		prep.Wait() // the fonts were parsed while the store was opened
		if prep.err != nil {
			return nil, prep.err
		}
		k.icons = prep.icons
	}
	k.Home()
	return k, nil
}

// SetDeviceID changes the device id stamped on responses saved from now on
// (after the kiosk enrolls with a hub).
func (k *Kiosk) SetDeviceID(id string) { k.deps.DeviceID = id }

// Window returns the kiosk window.
func (k *Kiosk) Window() fyne.Window { return k.win }

// Show shows the window and paints its first frame, then sets the window
// icon (decoding the 512-pixel PNG for the window system is not needed for
// the first frame).
func (k *Kiosk) Show() {
	k.win.Show()
	k.win.SetIcon(k.icons.app)
}

// Translator returns the kiosk's translator (its language is the citizen's).
func (k *Kiosk) Translator() *i18n.Translator { return k.tr }

// Home returns to the welcome screen, abandoning a survey in progress per
// its policy, and reloads the settings and the active survey. The admin
// panel calls it after saving settings. While a failed save waits for
// Retry, the save-error screen stays.
func (k *Kiosk) Home() {
	if k.pending != nil {
		k.showSaveError(nil)
		return
	}
	if k.session != nil {
		ss := k.session
		k.session = nil
		if r := ss.Abandon(); r != nil {
			k.save(r, k.Home)
			return
		}
	}
	k.tr.SetLang("vi") // each citizen starts in Vietnamese
	k.showWelcome()
}

func (k *Kiosk) openAdmin() {
	if k.deps.OnAdmin != nil {
		k.deps.OnAdmin()
	}
}

// after runs f after d on the UI thread unless the screen changed or
// another timer was set first (a timer that fired while a touch was being
// handled must not act on the stale countdown).
func (k *Kiosk) after(d time.Duration, f func()) {
	k.gen++
	gen := k.gen
	k.timer = k.clock.AfterFunc(d, func() {
		fyne.Do(func() {
			if k.gen == gen {
				f()
			}
		})
	})
}

// setScreen shows content and cancels the previous screen's timer.
func (k *Kiosk) setScreen(content fyne.CanvasObject) {
	k.gen++
	if k.timer != nil {
		k.timer.Stop()
		k.timer = nil
	}
	k.Welcome, k.Question, k.Thanks, k.SaveError = nil, nil, nil, nil
	if k.deps.Speaker != nil {
		k.deps.Speaker.Stop() // what was read belongs to the screen now gone
	}
	k.win.SetContent(k.fitScreen(content))
}

func (k *Kiosk) showWelcome() {
	ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
	defer cancel()
	var problem string
	if cfg, err := k.deps.Config(ctx); err != nil {
		k.log.Error("load settings", "err", err)
		problem = "error.config"
	} else {
		k.cfg = cfg
	}
	if s, err := k.deps.Survey(ctx, k.cfg.ActiveSurvey); err != nil || s == nil {
		k.log.Error("load active survey", "survey", k.cfg.ActiveSurvey, "err", err)
		k.survey = nil
		if problem == "" {
			problem = "error.survey"
		}
	} else {
		k.survey = s
	}
	w := newWelcome(k, problem)
	k.setScreen(w.root)
	k.Welcome = w
}

// start begins a session on the active survey.
func (k *Kiosk) start() {
	if k.survey == nil {
		return
	}
	if sp, ok := k.deps.Speaker.(interface{ Available() bool }); ok && !sp.Available() {
		k.deps.Speaker = nil // no speech engine: no speaker button
	}
	ss, err := survey.NewSession(k.survey, k.clock.Now)
	if err != nil {
		k.log.Error("start survey", "err", err)
		return
	}
	k.session = ss
	k.showQuestion()
}

func (k *Kiosk) showQuestion() {
	q := newQuestionScreen(k, k.session)
	k.setScreen(q.root)
	k.Question = q
	k.touch()
}

// touch restarts the idle countdown on a question screen.
func (k *Kiosk) touch() {
	if k.session == nil {
		return
	}
	if k.timer != nil {
		k.timer.Stop()
	}
	k.after(k.cfg.IdleTimeout, k.Home)
}

func (k *Kiosk) next() {
	done, err := k.session.Next()
	if err != nil {
		k.log.Warn("next", "err", err)
		return
	}
	if !done {
		k.showQuestion()
		return
	}
	r, err := k.session.Finish()
	if err != nil {
		k.log.Warn("finish", "err", err)
		return
	}
	k.session = nil
	k.save(r, k.showThanks)
}

func (k *Kiosk) back() {
	if k.session.Back() {
		k.showQuestion()
	}
}

// save stamps r with where and how it was collected, flags misuse, and
// saves it; then runs onSaved. On failure r is kept for Retry and the
// save-error screen is shown: nothing moves on until it is saved.
func (k *Kiosk) save(r *survey.Response, onSaved func()) {
	r.ServicePoint = k.cfg.ServicePoint
	r.DeviceID = k.deps.DeviceID
	r.Lang = k.tr.Lang()
	r.EventTag = k.cfg.EventTag
	if s := k.survey; k.cfg.MaskDigits && s != nil && s.ID == r.SurveyID && s.Version == r.SurveyVersion {
		maskComments(s, r)
	}
	survey.FlagMisuse(r, k.recent, survey.MisuseRules{
		MinGap: k.cfg.MisuseInterval, BurstCount: survey.DefaultBurstCount, BurstWindow: survey.DefaultBurstWindow,
	})
	k.pending, k.afterSave = r, onSaved
	k.retry()
}

// retry saves the pending response.
func (k *Kiosk) retry() {
	r := k.pending
	if r == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
	defer cancel()
	if err := k.deps.Store.SaveResponse(ctx, r); err != nil {
		k.log.Error("save response", "id", r.ID, "status", r.Status, "err", err)
		k.showSaveError(err)
		return
	}
	k.log.Info("response saved", "id", r.ID, "survey", r.SurveyID, "status", r.Status, "misuse", r.MisuseReason)
	k.recent = append(survey.RecentResponses(k.recent, r.FinishedAt, survey.DefaultBurstWindow), r)
	k.pending = nil
	next := k.afterSave
	k.afterSave = nil
	next()
}

// saveProblemKey names the message for a save error.
func saveProblemKey(err error) string {
	switch {
	case errors.Is(err, store.ErrDiskFull):
		return "save.diskFull"
	case errors.Is(err, store.ErrReadOnly):
		return "save.readOnly"
	}
	return "save.other"
}

func (k *Kiosk) showSaveError(err error) {
	key := "save.other"
	if err != nil {
		key = saveProblemKey(err)
	} else if k.SaveError != nil {
		key = k.SaveError.key
	}
	s := newSaveError(k, key)
	k.setScreen(s.root)
	k.SaveError = s
}

func (k *Kiosk) showThanks() {
	t, err := newThankYou(k)
	if err != nil {
		k.log.Error("thank-you screen", "err", err)
		k.showWelcome()
		return
	}
	k.setScreen(t.root)
	k.Thanks = t
	k.after(k.cfg.ThankYouTimeout, k.Home)
}

// toggleLang switches between Vietnamese and English on the welcome screen.
func (k *Kiosk) toggleLang() {
	k.tr.SetLang(k.tr.Other())
	k.showWelcome()
}

// text returns t in the citizen's language.
func (k *Kiosk) text(t survey.Text) string { return t.In(k.tr.Lang()) }

// maskComments hides runs of digits (phone and ID numbers) in r's comment
// answers before they are saved.
func maskComments(s *survey.Survey, r *survey.Response) {
	for code, vals := range r.Answers {
		if q := s.Question(code); q != nil && q.Type == survey.Comment {
			for i, v := range vals {
				vals[i] = survey.MaskDigits(v)
			}
		}
	}
}
