// Package launch starts the kiosk application: it parses the command line,
// opens the store, gathers the surveys (built-in and pulled from the hub),
// builds the kiosk window and the admin panel with its tabs, and runs the
// background uploader. main.go only calls it, so end-to-end tests reuse the
// same start-up.
package launch

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"github.com/google/uuid"

	"github.com/hailong-kiosk/hailong/app/cli"
	"github.com/hailong-kiosk/hailong/app/launch/syncstore"
	"github.com/hailong-kiosk/hailong/app/pin"
	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/speech"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/admin"
	"github.com/hailong-kiosk/hailong/app/ui/helpui"
	"github.com/hailong-kiosk/hailong/app/ui/operator"
	"github.com/hailong-kiosk/hailong/app/ui/reportui"
	"github.com/hailong-kiosk/hailong/app/ui/syncui"
	"github.com/hailong-kiosk/hailong/sync/client"
)

// AppID is the application id, as in FyneApp.toml.
const AppID = "vn.hailong.kiosk"

// Main is the kiosk program: ParseFlags, then Run, then Close.
type Main struct {
	// DBPath is the SQLite file; by default in the user's data folder.
	DBPath string
	// Kiosk runs full screen with the close button intercepted.
	Kiosk bool
	// Operator runs outreach mode: a window with the operator panel.
	Operator bool
	// Log receives the program's structured logs.
	Log *slog.Logger
	// BeforeShow, if set, is called with the kiosk window, its welcome
	// screen built, just before Run shows it (the start-up benchmark wraps
	// the content to see the first frame painted).
	BeforeShow func(fyne.Window)
	// Go runs the kiosk's and the admin panel's blocking work off the UI
	// goroutine; nil means `go f()`. Tests on Fyne's test driver pass one
	// that runs f at once.
	Go func(f func())

	store    *store.Store
	kiosk    *ui.Kiosk
	uploader *client.Uploader
	catalog  *catalog
	devID    string
	signer   *client.Signer
	speaker  ui.Speaker
	alarm    ui.Speaker
	prepared *ui.Prepared
	cancel   context.CancelFunc
	lock     *instanceLock
	retained chan struct{} // closed when runRetention has stopped
}

// DefaultDBPath is where the kiosk keeps its database when --db is not
// given: hailong/hailong.db under the user's config folder
// (~/.config on Linux, %AppData% on Windows).
func DefaultDBPath() string { return store.DefaultPath() }

// UsageText is the kiosk's flags explained (hailong --help), in Vietnamese,
// a blank line, then in English.
func UsageText() string {
	cat := startTexts()
	args := map[string]any{"DB": DefaultDBPath()}
	return cat.In("vi").T("launch.usage", args) + "\n" + cat.In("en").T("launch.usage", args)
}

// ParseFlags reads the kiosk's flags from args (without the program name).
// It prints to stderr (nil: nowhere) the help on -h, or why args are wrong
// in Vietnamese, then English, and returns a non-nil error then.
func (m *Main) ParseFlags(args []string, stderr io.Writer) error {
	if stderr == nil {
		stderr = io.Discard
	}
	fs := flag.NewFlagSet("hailong", flag.ContinueOnError)
	// The flag package's own English messages are replaced by ours.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&m.DBPath, "db", DefaultDBPath(), "SQLite database `file` for responses and settings")
	fs.BoolVar(&m.Kiosk, "kiosk", false, "locked full-screen kiosk mode (leave through the admin PIN)")
	fs.BoolVar(&m.Operator, "operator", false, "outreach mode for laptops: a window with the operator panel (event tag, count, survey switch, assisted mark, event summary)")
	err := fs.Parse(args)
	var key string
	var data map[string]any
	var cause error // the flag package's words, when they add to ours
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stderr, UsageText())
		return err
	case err != nil:
		if fault, name := cli.FlagFault(err); fault != "" {
			key, data = "launch.flags."+fault, map[string]any{"Flag": name}
		} else {
			key, cause = "launch.flags.bad", err
		}
	case m.Operator && m.Kiosk:
		key = "launch.flags.operator_kiosk"
		err = errors.New("--operator runs in a window; it cannot be combined with --kiosk")
	case fs.NArg() > 0:
		// A mistyped subcommand ("hailong enrol") lands here.
		key, data = "launch.flags.unexpected", map[string]any{"Arg": fs.Arg(0)}
		err = fmt.Errorf("unexpected argument %q (see hailong help)", fs.Arg(0))
	}
	if key != "" {
		cat := startTexts()
		fmt.Fprintf(stderr, "hailong: %s\n%s\n", cat.In("vi").T(key, data), cat.In("en").T(key, data))
		if cause != nil {
			fmt.Fprintf(stderr, "(%v)\n", cause)
		}
	}
	return err
}

// Serve runs the kiosk program as main.go does, after ParseFlags: Start,
// a start-up error window if that fails, the app's run loop until the
// window closes, the admin quits or ctx ends (main.go ends it on SIGTERM,
// SIGINT or SIGHUP: shutdown, logout, Ctrl+C), then Close, which saves a
// citizen's partial answers as abandoned. It returns the exit code: 0,
// or 1 when the kiosk could not start or the last save failed.
func (m *Main) Serve(ctx context.Context, newApp func() fyne.App) int {
	m.Log = m.logger()
	a, err := m.Start(ctx, newApp)
	go func() { <-ctx.Done(); fyne.Do(a.Quit) }()
	code := 0
	if err != nil {
		m.Log.Error("start kiosk", "db", m.DBPath, "err", err)
		ShowStartupError(a, m.DBPath, err)
		code = 1
	}
	a.Run()
	if err := m.Close(); err != nil {
		m.Log.Error("close kiosk", "err", err)
		code = 1
	}
	return code
}

// Start is the kiosk's start-up as main.go runs it: Open on another
// goroutine while newApp makes the Fyne app and ui.Prepare has the fonts
// parsed and shows the kiosk window, empty; then Run. It returns the app
// also when it fails, for ShowStartupError; then call its Run.
func (m *Main) Start(ctx context.Context, newApp func() fyne.App) (fyne.App, error) {
	defer collectAfterStart()()
	opened := make(chan error, 1)
	go func() { opened <- m.Open(ctx) }() // the store and surveys load while Fyne starts
	a := newApp()
	m.prepared = ui.Prepare(a, m.options())
	if err := <-opened; err != nil {
		m.prepared.Wait()          // the error window lays out text
		m.prepared.Window().Hide() // and shows in place of the kiosk's
		return a, err
	}
	return a, m.Run(ctx, a)
}

// startHeapLimit bounds the heap while collection is off during the start.
const startHeapLimit = 256 << 20

// collectAfterStart turns the garbage collector off until the returned
// function restores it, which Start does once the first frame is painted
// or the start has failed. Before its first frame the kiosk allocates
// ~40 MB, most of it garbage soon (font tables parsed, text images drawn):
// collected as it goes, that was ~4 collections and 10–15 ms of CPU on the
// two cores the main thread and the X server need (docs/BENCHMARKS.md);
// left to one collection after the frame, it is freed then. The memory
// limit starts a collection anyway should the heap near startHeapLimit.
func collectAfterStart() (restore func()) {
	limit := debug.SetMemoryLimit(-1) // reads it
	if limit > startHeapLimit {
		debug.SetMemoryLimit(startHeapLimit)
	}
	percent := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}

// Open does the start-up work that needs no window: it opens the store,
// reads the device id and the surveys, and starts looking for the speech
// engine. Start runs it while Fyne starts, so the two overlap.
func (m *Main) Open(ctx context.Context) error {
	m.Log = m.logger()
	if err := os.MkdirAll(filepath.Dir(m.DBPath), 0o700); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	lock, err := lockInstance(m.DBPath)
	if err != nil {
		return err
	}
	m.lock = lock
	st, err := store.Open(ctx, m.DBPath)
	if err != nil {
		return fmt.Errorf("open store %s: %w", m.DBPath, err)
	}
	m.store = st
	if m.devID, err = m.deviceID(ctx); err != nil {
		return err
	}
	// Once the kiosk is enrolled, responses are signed as they are saved.
	// An unreadable identity must not stop the kiosk collecting: its
	// responses are saved unsigned, and the sync tab shows the error.
	if m.signer, err = client.NewSigner(ctx, st, m.Log); err != nil {
		m.Log.Error("sync identity unreadable; responses are saved unsigned", "err", err)
	}
	cat := &catalog{store: st, log: m.Log}
	if err := cat.load(ctx); err != nil {
		return err
	}
	m.catalog = cat
	// espeak-ng with its Vietnamese voice reads questions aloud. Finding
	// it runs a program, slow during start-up; the kiosk asks only
	// when a survey starts, and Run looks it up once the window is shown.
	sp := speech.New()
	sp.Log = m.Log
	m.speaker = sp
	// The staff alert of a help request has an engine of its own: a new
	// screen stops the question reader, not the alert.
	al := speech.New()
	al.Log = m.Log
	m.alarm = al
	return nil
}

// Run opens the store (unless Open did) and builds the kiosk window on a, ready for
// a.Run (or ShowAndRun). The uploader runs until Close.
func (m *Main) Run(ctx context.Context, a fyne.App) error {
	if m.store == nil {
		if err := m.Open(ctx); err != nil {
			return err
		}
	}
	st, cat := m.store, m.catalog
	ctx, m.cancel = context.WithCancel(ctx)

	m.uploader = client.New(syncstore.New(st), client.Options{Logger: m.Log})

	var k *ui.Kiosk
	var op *operator.Panel
	required := false // the first PIN must be set now (--kiosk, first start)
	openAdmin := func() {
		w := k.Window()
		if admin.IsOpen(w) { // Ctrl+Alt+A or the close button again
			return
		}
		k.Pause() // stops the kiosk's timers; a survey in progress is abandoned per its policy
		tabs, err := m.adminTabs(ctx)
		if err != nil {
			m.Log.Error("admin tabs", "err", err)
		}
		if _, err := admin.Show(ctx, w, admin.Deps{
			Store:    st,
			Lang:     k.Translator().Lang(),
			Surveys:  func() []*survey.Survey { return cat.all(ctx) },
			Quit:     a.Quit,
			Tabs:     tabs,
			Log:      m.Log,
			Go:       m.Go,
			Required: required,
		}, func() {
			// The admin may have enrolled the kiosk with a hub.
			if id, err := m.deviceID(ctx); err == nil {
				k.SetDeviceID(id)
			} else {
				m.Log.Error("reload device id", "err", err)
			}
			if err := m.signer.Reload(ctx); err != nil {
				m.Log.Error("reload sync identity", "err", err)
			}
			k.Home()
			if op != nil {
				op.Reload() // the admin may have changed the event or the survey
			}
		}); err != nil {
			m.Log.Error("open admin panel", "err", err)
		}
	}
	k, err := ui.New(a, ui.Deps{
		Store:       m.signer,          // the store, signing each response once the kiosk is enrolled
		Slips:       syncstore.New(st), // slips used here, the hub's slip key from enrollment
		Feedback:    syncstore.New(st), // feedback cases, the hub's inspection key from enrollment
		Help:        st,                // staff help requests with the online portal
		Alarm:       m.alarm,           // says the staff alert aloud, beside the question reader
		Config:      func(ctx context.Context) (settings.Config, error) { return settings.Load(ctx, st) },
		Survey:      cat.byID,
		Slides:      func(ctx context.Context) (*survey.Slides, error) { return client.LoadSlides(ctx, st) },
		ReceiptsURL: func(ctx context.Context) (string, error) { return client.ReceiptsURL(ctx, st) },
		DeviceID:    m.devID,
		Logger:      m.Log,
		OnAdmin:     openAdmin,
		Options:     m.options(),
		Speaker:     m.speaker,
		Prepared:    m.prepared,
		Go:          m.Go,
	})
	if err != nil {
		return fmt.Errorf("build kiosk window: %w", err)
	}
	m.kiosk = k
	if m.Operator {
		if op, err = operator.Attach(ctx, k, operator.Deps{Store: st, Help: st, Builtin: cat.builtinSurveys(), Log: m.Log}); err != nil {
			return fmt.Errorf("outreach mode: %w", err)
		}
	}
	if m.Kiosk {
		// A desk kiosk is not used before its first PIN is set: the
		// installer sets it here (or beforehand with `hailong pin set`),
		// not whoever first finds the way into the admin panel.
		set, err := pin.New(st).IsSet(ctx)
		if err != nil {
			m.Log.Error("read admin pin", "err", err)
		}
		if !set && err == nil {
			required = true
			openAdmin()
			required = false
		}
	}
	if m.BeforeShow != nil {
		m.BeforeShow(k.Window())
	}
	k.Show() // paints the first frame
	// What the first frame does not need starts once it is on screen.
	if sp, ok := m.speaker.(*speech.Engine); ok {
		go sp.Available()
	}
	go func() {
		if err := m.uploader.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			m.Log.Error("uploader stopped", "err", err)
		}
	}()
	m.retained = make(chan struct{})
	go runRetention(ctx, m.store, m.Log, m.retained)
	return nil
}

// options is how the kiosk window opens in the mode chosen: full screen
// with --kiosk, else a window; with --operator one of the operator
// panel's size, the kiosk's screens beside the panel.
func (m *Main) options() ui.Options {
	if m.Operator {
		return ui.Options{Window: fyne.NewSize(operator.WindowWidth, operator.WindowHeight)}
	}
	return ui.Options{Kiosk: m.Kiosk}
}

// Screens returns the kiosk built by Run, or nil before it (end-to-end
// tests and benchmarks tap its screens).
func (m *Main) Screens() *ui.Kiosk { return m.kiosk }

// adminTabs builds the tabs other packages add to the admin panel.
func (m *Main) adminTabs(ctx context.Context) ([]admin.Tab, error) {
	lang := m.kiosk.Translator().Lang()
	sync, err := syncui.Tab(ctx, syncui.Deps{Store: syncstore.New(m.store), Syncer: m.uploader, Lang: lang, Log: m.Log, Go: m.Go})
	if err != nil {
		return nil, fmt.Errorf("sync tab: %w", err)
	}
	reports, err := reportui.Tabs(ctx, reportui.Deps{
		Go:      m.Go,
		Store:   m.store,
		Builtin: m.catalog.builtinSurveys(),
		Lang:    lang,
		Log:     m.Log,
		ServicePoint: func() string {
			c, err := settings.Load(ctx, m.store)
			if err != nil {
				return ""
			}
			return c.ServicePoint
		},
		DeviceName: func() string {
			name, err := client.DeviceName(ctx, m.store)
			if err != nil {
				m.Log.Error("export: device name", "err", err)
			}
			return name
		},
	})
	if err != nil {
		return nil, fmt.Errorf("report tabs: %w", err)
	}
	tabs := append([]admin.Tab{sync}, reports...)
	if hl, err := helpui.New(helpui.Deps{Store: m.store, Lang: lang, Go: m.Go, Log: m.Log}); err != nil {
		m.Log.Error("help tab", "err", err)
	} else {
		// First among the extra tabs, and the panel opens on it while a
		// request waits: staff come here from the banner.
		open, err := m.store.OpenHelp(ctx)
		if err != nil {
			m.Log.Error("help tab: open requests", "err", err)
		}
		tabs = append([]admin.Tab{{Title: hl.Title(), Open: len(open) > 0, Content: func(fyne.Window) fyne.CanvasObject {
			return container.NewVScroll(container.NewPadded(hl.Content()))
		}}}, tabs...)
	}
	return tabs, nil
}

// deviceID is the enrolled device id, or a local one made on first run for
// the responses collected before enrollment (the uploader stamps the
// enrolled id on them when it signs).
func (m *Main) deviceID(ctx context.Context) (string, error) {
	id, ok, err := client.LoadIdentity(ctx, m.store)
	if err != nil {
		// Keep collecting under the local id; the sync tab shows the error.
		m.Log.Error("sync identity unreadable; using the local device id", "err", err)
	}
	if ok {
		return id.DeviceID, nil
	}
	const key = "local_device_id"
	local, ok, err := m.store.Setting(ctx, key)
	if err != nil {
		return "", fmt.Errorf("load device id: %w", err)
	}
	if ok && local != "" {
		return local, nil
	}
	local = "local-" + uuid.NewString()
	if err := m.store.SetSettings(ctx, map[string]string{key: local}); err != nil {
		return "", fmt.Errorf("save device id: %w", err)
	}
	return local, nil
}

func (m *Main) logger() *slog.Logger {
	if m.Log == nil {
		return slog.Default()
	}
	return m.Log
}

// stopTimeout bounds the last save at shutdown: a logout or power-off
// waits only a few seconds for the process.
const stopTimeout = 5 * time.Second

// Close ends the kiosk after its run loop has returned (the window closed,
// Quit from the admin panel, or SIGTERM/SIGINT/SIGHUP on a shutdown or
// logout): a citizen's partial answers are saved as abandoned, as idle
// reset does, then the uploader stops and the store and the instance
// lock are closed.
func (m *Main) Close() error {
	var errs []error
	if m.kiosk != nil {
		ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
		if err := m.kiosk.Stop(ctx); err != nil {
			errs = append(errs, fmt.Errorf("save at shutdown: %w", err))
		}
		cancel()
	}
	if m.cancel != nil {
		m.cancel()
	}
	if m.retained != nil {
		<-m.retained // a deletion under way ends before the store closes
	}
	if m.signer != nil {
		m.signer.Close() // stores the signatures still queued
	}
	if m.store != nil {
		errs = append(errs, m.store.Close())
	}
	errs = append(errs, m.lock.release())
	return errors.Join(errs...)
}
