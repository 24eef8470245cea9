// Package ui is the kiosk's citizen-facing Fyne interface: the welcome,
// question, thank-you and save-error screens, the kiosk theme and
// translations, idle reset, misuse flags and the hidden ways into the admin
// panel. Domain rules live in app/survey; storage behind the Store interface.
package ui

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/telex"
	"github.com/hailong-kiosk/hailong/app/ui/osk"
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
	// Window is the size of a window (not full screen) before it is
	// fitted to the screen; zero means the kiosk's 1280×800.
	Window fyne.Size
}

// sizeWindow makes w full screen (Options.Kiosk) or sizes it for the
// kiosk's screens, fitted to the screen it opens on.
func sizeWindow(w fyne.Window, opts Options) {
	if opts.Kiosk {
		w.SetFullScreen(true)
		return
	}
	want := opts.Window
	if want.IsZero() {
		want = fyne.NewSize(1280, 800)
	}
	FitWindow(w, want, opts.Screen)
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
	// Slides returns the slide set the hub published (client.LoadSlides);
	// it is called at every welcome screen. Nil, or a nil set, means the
	// built-in slides (survey.BuiltinSlides).
	Slides func(ctx context.Context) (*survey.Slides, error)
	// ReceiptsURL returns the hub's public page where a citizen checks
	// the thank-you screen's receipt code ("" when the hub gave none); it
	// is called at every welcome screen. Nil means none.
	ReceiptsURL func(ctx context.Context) (string, error)
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
	// Slips checks rating slips offline (reuse at this kiosk, a scanned
	// slip's signature); nil checks their format only. Only surveys whose
	// slip policy is required or optional ask for slips.
	Slips Slips
	// Feedback saves citizens' feedback cases; nil hides the welcome
	// screen's "Phản ánh, kiến nghị" button.
	Feedback FeedbackStore
	// Help raises staff help requests (a "yes" to a survey's help
	// question, the welcome screen's "Cần hỗ trợ" button) and lists the
	// open ones, for the banner over every screen; nil: no help requests.
	Help HelpStore
	// Alarm says the staff alert aloud when a help request is raised (a
	// speech engine of its own, so that a screen change, which stops the
	// question reader, does not cut it short); nil: the banner only.
	Alarm Speaker
	// Prepared is what Prepare started on the same app with the same
	// Options, or nil; New then keeps the theme Prepare set and the window
	// it showed, and waits for its font warm-up before laying out the
	// welcome screen (and takes the icons, translations and built-in
	// slides its goroutine loaded).
	Prepared *Prepared
	// Go runs blocking work (saving, reading settings and surveys) off the
	// UI goroutine; nil means `go f()`. The kiosk hands the results back
	// through fyne.Do. Tests pass one that runs f at once.
	Go func(f func())
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

// faceDelay is how long after the window is shown the answer faces are
// drawn into images.
const faceDelay = 2 * time.Second

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

	cfgMu   sync.Mutex // guards cfg against loadWelcome's read
	cfg     settings.Config
	survey  *survey.Survey
	session *survey.Session
	// slides are the welcome screen's slides and feedback channels;
	// builtinSlides stand in when the hub sent none.
	slides, builtinSlides *survey.Slides
	recent                []*survey.Response // for misuse checks

	pending   *survey.Response // kept after a failed save, for Retry
	afterSave func()
	hooks     Hooks
	screen    fyne.CanvasObject // the kiosk screen on show, unframed
	// stage holds the screen on show (ShowIn); shown is what the window
	// shows, the stage or the hooks' frame around it. The window's
	// content is set when something else had the window, or the scale
	// changed, not at every screen change.
	stage *fyne.Container
	shown fyne.CanvasObject

	gen   int // invalidates timers set before the current one
	timer Timer
	// busy counts the storage calls in flight; while one runs the screen
	// on show ignores taps (the next screen is on its way), and a Home
	// asked for meanwhile waits for it (homeNext).
	busy     int
	homeNext bool
	// paused is set while another panel (admin) has the window: the
	// kiosk changes no screen until Home.
	paused bool
	// work is the background calls not yet finished; Stop waits for them.
	work sync.WaitGroup
	// idle is the countdown shown in the last seconds before idle reset.
	idle *idleWarning
	// keyboard is the on-screen keyboard of every comment screen, made
	// once (keyboardFor); keyboardSession is the survey it last served.
	keyboard        *osk.Keyboard
	keyboardSession *survey.Session
	// slip is the rating slip given for the next or running survey, and
	// the scanner's keys (slip.go).
	slip slipState

	theme     *kioskTheme // the app's theme, whose scale follows area; nil if another
	area      fyne.Size   // the size the screen on show was given
	rescaling bool        // a rescale is queued
	refitting bool        // rescale is setting the window's content

	// The screen on show; the others are nil. Tests reach widgets here.
	Welcome   *Welcome
	Question  *QuestionScreen
	Thanks    *ThankYou
	SaveError *SaveError
	Slip      *SlipScreen
	// Feedback and FeedbackThanks are the feedback flow's screens (feedback.go).
	Feedback       *FeedbackScreen
	FeedbackThanks *FeedbackThanks
	// HelpBanner is the staff alert over the screen while a help request
	// is open (help.go); nil otherwise.
	HelpBanner *HelpBanner

	helpOpen    []store.HelpRequest // the open help requests, oldest first
	receiptsURL string              // where the thank-you screen says receipts are checked, "" unknown
	helpSession *survey.Session     // the session that raised one already
	helpTimer   Timer               // the alert's next reminder, while a request is open
	bare        fyne.CanvasObject   // the screen on show, fitted, without the banner
}

// New builds the kiosk window on app with the welcome screen in it, ready
// for Show. It sets the kiosk theme on app (or Prepare did, see
// Deps.Prepared).
func New(app fyne.App, deps Deps) (*Kiosk, error) {
	if deps.Store == nil || deps.Config == nil || deps.Survey == nil {
		return nil, errors.New("kiosk: Store, Config and Survey are required")
	}
	k := &Kiosk{app: app, deps: deps, clock: deps.Clock, log: deps.Logger}
	k.stage = container.NewStack()
	k.shown = k.stage
	if k.deps.Go == nil {
		k.deps.Go = func(f func()) { go f() }
	}
	if k.clock == nil {
		k.clock = SystemClock{}
	}
	if k.log == nil {
		k.log = slog.Default()
	}
	var err error
	prep := deps.Prepared
	if prep != nil && prep.app != app {
		return nil, errors.New("kiosk: Deps.Prepared was prepared for another app")
	}
	if prep != nil && prep.opts != deps.Options {
		return nil, errors.New("kiosk: Deps.Prepared was prepared with other Options")
	}
	if prep == nil {
		app.Settings().SetTheme(newKioskTheme())
		if k.icons, err = loadIcons(); err != nil {
			return nil, err
		}
		if k.tr, err = newTranslator(); err != nil {
			return nil, err
		}
		if k.builtinSlides, err = survey.BuiltinSlides(); err != nil {
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
		k.win = prep.win // sized and shown
	} else {
		k.win = app.NewWindow(windowTitle)
		sizeWindow(k.win, deps.Options)
	}
	k.win.Canvas().AddShortcut(AdminShortcut, func(fyne.Shortcut) { k.openAdmin() })
	if deps.Options.Kiosk {
		k.win.SetCloseIntercept(k.openAdmin)
	}
	k.theme, _ = app.Settings().Theme().(*kioskTheme)
	k.cfg = settings.Default()
	if prep != nil {
		prep.Wait() // the fonts were parsed while the store was opened
		if prep.err != nil {
			return nil, prep.err
		}
		k.icons, k.tr, k.builtinSlides = prep.icons, prep.tr, prep.slides
	}
	// Before the window is shown the UI goroutine has nothing to draw, so
	// the first welcome screen reads its settings here; later ones read
	// them off the UI goroutine.
	k.showWelcomeWith(k.loadWelcome())
	return k, nil
}

// newTranslator loads the kiosk's translations, in Vietnamese.
func newTranslator() (*i18n.Translator, error) { return i18n.New("kiosk", "vi") }

// SetDeviceID changes the device id stamped on responses saved from now on
// (after the kiosk enrolls with a hub).
func (k *Kiosk) SetDeviceID(id string) { k.deps.DeviceID = id }

// Window returns the kiosk window.
func (k *Kiosk) Window() fyne.Window { return k.win }

// Show shows the window (Prepare showed it already, empty) and paints its
// first frame, the welcome screen, then sets the window icon (decoding
// the 512-pixel PNG for the window system is not needed for the first
// frame); after faceDelay it draws the answer faces and builds the
// on-screen keyboard.
func (k *Kiosk) Show() {
	k.win.Show()
	k.win.SetIcon(k.icons.app)
	// The answer faces are drawn once, off the UI goroutine, while the
	// welcome screen waits for its first citizen: after faceDelay, so
	// that drawing them takes no CPU from the first frame on a two-core
	// machine (the first question draws them itself if it comes sooner).
	k.clock.AfterFunc(faceDelay, func() {
		k.icons.faces()
		// The on-screen keyboard too: built and measured once, which
		// parses the fonts of its theme override, on the idle UI goroutine.
		fyne.Do(k.guard("warm keyboard", func() {
			if k.keyboard == nil {
				k.keyboardFor(widget.NewEntry()).MinSize()
			}
		}))
	})
}

// Translator returns the kiosk's translator (its language is the citizen's).
func (k *Kiosk) Translator() *i18n.Translator { return k.tr }

// Home returns to the welcome screen, abandoning a survey in progress per
// its policy, and reloads the settings and the active survey (off the UI
// goroutine). The admin panel calls it after saving settings. While a
// failed save waits for Retry, the save-error screen stays; while a save
// is in flight, Home follows it.
func (k *Kiosk) Home() {
	k.paused = false
	k.home()
}

// home is Home for the kiosk's own flow: it leaves a pause as it is.
func (k *Kiosk) home() {
	if k.busy > 0 {
		k.homeNext = true
		return
	}
	k.stopIdleWarning()
	if k.pending != nil {
		k.showSaveError(nil)
		return
	}
	if k.session != nil {
		ss := k.session
		k.session = nil
		if r := ss.Abandon(); r != nil {
			k.save(r, k.home)
			return
		}
	}
	k.tr.SetLang("vi") // each citizen starts in Vietnamese
	k.forgetSlip()     // and brings their own slip
	k.cancelTimer()
	k.background(func() func() {
		w := k.loadWelcome()
		return func() { k.showWelcomeWith(w) }
	})
}

// Pause ends the citizen's survey as Home does (an abandoned response is
// saved per the survey's policy) and then leaves the window alone until
// Home is called: the admin panel takes the window meanwhile.
func (k *Kiosk) Pause() {
	k.paused = true
	k.home()
	k.cancelTimer()
}

// Stop ends the kiosk for good (the process is shutting down): it waits
// for the saves in flight, then saves the citizen's partial answers as
// abandoned, per the survey's policy, as idle reset does, or a response
// still waiting for Retry, one last time. Call it on the UI goroutine, or
// after the app's run loop has returned.
func (k *Kiosk) Stop(ctx context.Context) error {
	k.cancelTimer()
	if k.helpTimer != nil {
		k.helpTimer.Stop()
	}
	k.paused = true
	k.work.Wait()
	r := k.pending
	if r == nil && k.session != nil {
		if r = k.session.Abandon(); r != nil {
			k.stamp(r)
		}
	}
	k.session = nil
	if r == nil {
		return nil
	}
	if err := k.deps.Store.SaveResponse(ctx, r); err != nil {
		k.log.Error("save response at shutdown: lost", "id", r.ID, "status", r.Status, "err", err)
		return err
	}
	k.pending = nil
	k.log.Info("response saved at shutdown", "id", r.ID, "status", r.Status)
	if k.hooks.AfterSave != nil {
		k.hooks.AfterSave(r)
	}
	return nil
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
		fyne.Do(k.guard("timer", func() {
			if k.gen == gen && !k.paused {
				f()
			}
		}))
	})
}

func (k *Kiosk) cancelTimer() {
	k.gen++
	if k.timer != nil {
		k.timer.Stop()
		k.timer = nil
	}
}

// background runs work through Deps.Go, then what it returns on the UI
// goroutine. Meanwhile the screen on show ignores taps (k.busy).
func (k *Kiosk) background(work func() (then func())) {
	k.busy++
	k.work.Add(1)
	k.deps.Go(func() {
		// Done only once then has run or been queued: after the app's run
		// loop has ended fyne.Do runs then at once, here, and Stop,
		// waiting on work, must not run beside it.
		defer k.work.Done()
		var then func()
		func() {
			defer func() {
				if p := recover(); p != nil {
					k.log.Error("panic in background work", "panic", p, "stack", string(debug.Stack()))
					then = nil
				}
			}()
			then = work()
		}()
		fyne.Do(k.guard("background", func() {
			k.busy--
			if then != nil {
				then()
			}
			if k.busy == 0 && k.homeNext {
				k.homeNext = false
				k.home()
			}
		}))
	})
}

// setScreen shows content and cancels the previous screen's timer.
func (k *Kiosk) setScreen(content fyne.CanvasObject) {
	k.cancelTimer()
	k.stopIdleWarning()
	k.Welcome, k.Question, k.Thanks, k.SaveError = nil, nil, nil, nil
	k.Slip = nil
	k.Feedback, k.FeedbackThanks = nil, nil
	k.listenForScans(false)
	if k.deps.Speaker != nil {
		k.deps.Speaker.Stop() // what was read belongs to the screen now gone
	}
	// Fitted to the area it gets, whether the window or a frame's part.
	k.present(k.fitScreen(content))
}

// present shows the fitted screen, under the help banner while a request
// is open, through the mode's frame.
func (k *Kiosk) present(fitted fyne.CanvasObject) {
	k.bare = fitted
	k.screen = k.withHelp(fitted)
	if k.paused {
		return
	}
	if k.win.Content() != k.shown {
		// Setting the content lays it out at its minimum size first:
		// that size must not choose the scale (screenLayout).
		was := k.refitting
		k.refitting = true
		k.win.SetContent(k.shown)
		k.refitting = was
	}
	ShowIn(k.stage, k.screen)
}

// welcomeData is what a welcome screen shows, read from storage.
type welcomeData struct {
	help    []store.HelpRequest
	helpOK  bool
	cfg     settings.Config
	cfgOK   bool
	survey  *survey.Survey
	problem string
	slides  *survey.Slides // nil keeps the ones on show
	// receiptsURL is Deps.ReceiptsURL's; receiptsOK false keeps the one known.
	receiptsURL string
	receiptsOK  bool
}

// loadWelcome reads the settings and the active survey; it runs off the
// UI goroutine (but for the first screen) and touches no kiosk state.
func (k *Kiosk) loadWelcome() welcomeData {
	ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
	defer cancel()
	var w welcomeData
	if k.deps.Help != nil {
		w.help, w.helpOK = k.loadHelp()
	}
	active := ""
	if cfg, err := k.deps.Config(ctx); err != nil {
		k.log.Error("load settings", "err", err)
		w.problem = "error.config"
	} else {
		w.cfg, w.cfgOK = cfg, true
		active = cfg.ActiveSurvey
	}
	if !w.cfgOK {
		active = k.cfgActive()
	}
	if s, err := k.deps.Survey(ctx, active); err != nil || s == nil {
		k.log.Error("load active survey", "survey", active, "err", err)
		if w.problem == "" {
			w.problem = "error.survey"
		}
	} else {
		w.survey = s
	}
	if k.deps.ReceiptsURL != nil {
		if u, err := k.deps.ReceiptsURL(ctx); err != nil {
			k.log.Error("load the receipts page address", "err", err)
		} else {
			w.receiptsURL, w.receiptsOK = u, true
		}
	}
	w.slides = k.builtinSlides
	if k.deps.Slides != nil {
		if sl, err := k.deps.Slides(ctx); err != nil {
			k.log.Error("load slides; showing the built-in ones", "err", err)
		} else if sl != nil {
			w.slides = sl
		}
	}
	return w
}

// cfgActive is the active survey of the settings last read. loadWelcome
// reads it when the settings cannot be read now; cfg is written only on
// the UI goroutine, and a welcome load runs while no other does.
func (k *Kiosk) cfgActive() string {
	k.cfgMu.Lock()
	defer k.cfgMu.Unlock()
	return k.cfg.ActiveSurvey
}

func (k *Kiosk) showWelcomeWith(w welcomeData) {
	if w.cfgOK {
		k.cfgMu.Lock()
		k.cfg = w.cfg
		k.cfgMu.Unlock()
	}
	k.survey = w.survey
	if w.slides != nil {
		k.slides = w.slides
	}
	if w.helpOK {
		k.helpOpen = w.help
	}
	if w.receiptsOK {
		k.receiptsURL = w.receiptsURL
	}
	wel := newWelcome(k, w.problem)
	k.setScreen(wel.root)
	k.Welcome = wel
	if wel.Slides != nil {
		wel.Slides.run()
	}
	if k.slipPolicy().Uses() && w.problem == "" {
		k.listenForScans(true)
		if k.slip.code != "" {
			k.after(k.cfg.IdleTimeout, k.home) // the slip is not left for the next citizen
		}
	}
}

// start begins a session on the active survey.
func (k *Kiosk) start() {
	defer k.recoverPanic("start")
	if k.survey == nil || k.busy > 0 {
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

// touch restarts the idle countdown on a question screen: after
// IdleTimeout less IdleWarning of no touch the warning counts down the
// rest, and any touch cancels it.
func (k *Kiosk) touch() {
	if k.session == nil || k.paused {
		return
	}
	k.stopIdleWarning()
	if k.timer != nil {
		k.timer.Stop()
	}
	idle := k.cfg.IdleTimeout
	warn := min(IdleWarning, idle)
	k.after(idle-warn, func() { k.warnIdle(k.clock.Now().Add(warn)) })
}

func (k *Kiosk) next() {
	defer k.recoverPanic("next")
	if k.busy > 0 || k.session == nil {
		return
	}
	k.askedHelp()
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
	k.save(r, func() { k.showThanks(r) })
}

func (k *Kiosk) back() {
	defer k.recoverPanic("back")
	if k.busy > 0 || k.session == nil {
		return
	}
	if k.session.Back() {
		k.showQuestion()
	}
}

// stamp records on r where and how it was collected, masks digits in its
// comments when configured, flags misuse and runs the BeforeSave hook.
func (k *Kiosk) stamp(r *survey.Response) {
	r.ServicePoint = k.cfg.ServicePoint
	r.DeviceID = k.deps.DeviceID
	r.Lang = k.tr.Lang()
	r.EventTag = k.cfg.EventTag
	r.Slip = k.slip.code
	if s := k.survey; k.cfg.MaskDigits && s != nil && s.ID == r.SurveyID && s.Version == r.SurveyVersion {
		maskComments(s, r)
	}
	survey.FlagMisuse(r, k.recent, survey.MisuseRules{
		MinGap: k.cfg.MisuseInterval, BurstCount: survey.DefaultBurstCount, BurstWindow: survey.DefaultBurstWindow,
	})
	if k.hooks.BeforeSave != nil {
		k.hooks.BeforeSave(r)
	}
}

// save stamps r and saves it off the UI goroutine; then runs onSaved. On
// failure r stays in memory (k.pending) for Retry and the save-error
// screen is shown: nothing moves on until it is saved.
func (k *Kiosk) save(r *survey.Response, onSaved func()) {
	k.stamp(r)
	k.pending, k.afterSave = r, onSaved
	k.retry()
}

// retry saves the pending response off the UI goroutine.
func (k *Kiosk) retry() {
	defer k.recoverPanic("retry")
	r := k.pending
	if r == nil || k.busy > 0 {
		return
	}
	k.cancelTimer()
	fromError := k.SaveError != nil
	if fromError {
		k.SaveError.saving()
	}
	k.background(func() func() {
		ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
		defer cancel()
		var cfg settings.Config
		restamped := false
		if fromError {
			// A retry from the save-error screen: the store may have
			// refused the settings stamped on the response (a service
			// point longer than the hub takes, saved by an older version),
			// which the admin has fixed since. Stamp the current ones.
			var err error
			if cfg, err = k.deps.Config(ctx); err == nil {
				r.ServicePoint, r.EventTag = cfg.ServicePoint, cfg.EventTag
				restamped = true
			}
		}
		err := k.deps.Store.SaveResponse(ctx, r)
		return func() {
			if restamped {
				k.cfgMu.Lock()
				k.cfg = cfg
				k.cfgMu.Unlock()
			}
			k.saved(r, err)
		}
	})
}

// saved takes the outcome of saving r.
func (k *Kiosk) saved(r *survey.Response, err error) {
	if k.pending != r {
		return // Stop saved it meanwhile
	}
	if errors.Is(err, store.ErrSlipUsed) && r.Slip != "" {
		// Another response at this kiosk took the slip since it was
		// checked. The answers are kept, without the slip: reported
		// apart, as every slip-less answer is.
		k.log.Warn("slip already used at this kiosk; saving the response without it", "id", r.ID)
		r.Slip = ""
		k.retry()
		return
	}
	if err != nil {
		k.log.Error("save response", "id", r.ID, "status", r.Status, "err", err)
		k.showSaveError(err)
		return
	}
	k.recent = append(survey.RecentResponses(k.recent, r.FinishedAt, survey.DefaultBurstWindow), r)
	k.pending = nil
	next := k.afterSave
	k.afterSave = nil
	// The screen that follows (the thank-you) waits on the save only: the
	// log line (a write to stderr, a pipe to the journal) and the hook
	// (operator mode recounts its event off the UI goroutine) come after.
	next()
	k.log.Info("response saved", "id", r.ID, "survey", r.SurveyID, "status", r.Status, "misuse", r.MisuseReason)
	if k.hooks.AfterSave != nil {
		k.hooks.AfterSave(r)
	}
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
	retried := k.SaveError != nil && err != nil
	s := newSaveError(k, key)
	if retried {
		s.failedAgain(k.clock.Now())
	}
	k.setScreen(s.root)
	k.SaveError = s
}

// showThanks shows the thank-you screen for r, just saved.
func (k *Kiosk) showThanks(r *survey.Response) {
	t, err := newThankYou(k, r)
	if err != nil {
		k.log.Error("thank-you screen", "err", err)
		k.home()
		return
	}
	k.setScreen(t.root)
	k.Thanks = t
	k.after(k.cfg.ThankYouTimeout, k.home)
}

// toggleLang switches between Vietnamese and English on the welcome screen.
func (k *Kiosk) toggleLang() {
	defer k.recoverPanic("language")
	if k.busy > 0 || k.survey == nil && k.Welcome == nil {
		return
	}
	k.tr.SetLang(k.tr.Other())
	k.showWelcomeWith(welcomeData{cfg: k.cfg, cfgOK: true, survey: k.survey, problem: k.welcomeProblem()})
}

// welcomeProblem is the problem the welcome screen on show reports.
func (k *Kiosk) welcomeProblem() string {
	if k.Welcome != nil {
		return k.Welcome.problem
	}
	return ""
}

// guard returns f with recoverPanic deferred.
func (k *Kiosk) guard(where string, f func()) func() {
	return func() {
		defer k.recoverPanic(where)
		f()
	}
}

// recoverPanic, deferred by every handler of the kiosk's screens and
// timers, recovers a panic: it is logged with its stack and the kiosk goes
// back to the welcome screen (the citizen's answers so far saved as
// abandoned, per the survey's policy) rather than taking the desk down.
func (k *Kiosk) recoverPanic(where string) {
	if p := recover(); p != nil {
		k.log.Error("panic in kiosk screen; back to the welcome screen", "in", where, "panic", p, "stack", string(debug.Stack()))
		k.recoverHome()
	}
}

// recoverHome is Home after a panic: the state the panic left may be
// broken, so a second panic there only logs.
func (k *Kiosk) recoverHome() {
	defer func() {
		if p := recover(); p != nil {
			k.log.Error("panic while returning to the welcome screen", "panic", p, "stack", string(debug.Stack()))
		}
	}()
	k.busy, k.homeNext = 0, false
	k.home()
}

// keyboardFor returns the kiosk's on-screen keyboard, editing e: one
// keyboard for every comment screen, so that its forty keys are built,
// themed and drawn once, not at every comment question. Each citizen
// starts on Telex letters.
func (k *Kiosk) keyboardFor(e *widget.Entry) *osk.Keyboard {
	if k.keyboard == nil {
		k.keyboard = osk.ForEntry(e)
	} else {
		k.keyboard.Attach(e)
	}
	if k.keyboardSession != k.session {
		k.keyboardSession = k.session
		k.keyboard.SetMode(telex.Telex)
	}
	k.keyboard.SetLang(k.tr.Lang())
	return k.keyboard
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
