package shots_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
)

// faultyStore fails saves while fail is set (for the save-error screen).
type faultyStore struct {
	*store.Store
	fail error
}

func (s *faultyStore) SaveResponse(ctx context.Context, r *survey.Response) error {
	if s.fail != nil {
		return fmt.Errorf("save response: %w", s.fail)
	}
	return s.Store.SaveResponse(ctx, r)
}

// kioskDeps opens a store in dir and serves the built-in surveys, the way
// main.go wires the kiosk.
func kioskDeps(dir string) (ui.Deps, *faultyStore, *settings.Config, error) {
	st, err := store.Open(context.Background(), filepath.Join(dir, "kiosk.db"))
	if err != nil {
		return ui.Deps{}, nil, nil, err
	}
	every, err := survey.Builtin()
	if err != nil {
		return ui.Deps{}, nil, nil, err
	}
	all := survey.Newest(every) // the versions kiosks run
	pic, err := withPicture(all)
	if err != nil {
		return ui.Deps{}, nil, nil, err
	}
	all = append(all, pic)
	fs := &faultyStore{Store: st}
	cfg, err := settings.Load(context.Background(), st)
	if err != nil {
		return ui.Deps{}, nil, nil, err
	}
	return ui.Deps{
		Store:  fs,
		Config: func(context.Context) (settings.Config, error) { return cfg, nil },
		Survey: func(_ context.Context, id string) (*survey.Survey, error) {
			for _, s := range all {
				if s.ID == id {
					return s, nil
				}
			}
			return nil, fmt.Errorf("no survey %q", id)
		},
		// Enrolled with a hub started with --public-url: the thank-you
		// screen's receipt line names the page.
		ReceiptsURL: func(context.Context) (string, error) { return "https://danhgia.phuong.vn/receipts", nil },
		DeviceID:    "screenshots",
		Speaker:     silentSpeaker{},
	}, fs, &cfg, nil
}

// silentSpeaker shows the speaker button without making a sound.
type silentSpeaker struct{}

func (silentSpeaker) Speak(context.Context, string) <-chan error {
	ch := make(chan error, 1)
	ch <- nil
	return ch
}

func (silentSpeaker) Stop() {}

// sizeEnv, in a test binary re-run by TestScreenshotSizes, is the size
// of its X screen ("1024x600").
const sizeEnv = "HAILONG_SHOT_SIZE"

// TestScreenshots captures every kiosk screen in Vietnamese and English
// into docs/screenshots/kiosk-<screen>-<lang>.png, full screen on an X
// screen of 1280×800 (run it with xvfb-run -s "-screen 0 1280x800x24").
// Re-run by TestScreenshotSizes on another screen size, it names the files
// kiosk-<screen>-<lang>-<size>.png.
func TestScreenshots(t *testing.T) {
	if shotApp == nil {
		t.Skip("set HAILONG_SCREENSHOTS=1 and run under xvfb-run")
	}
	want, suffix := image.Pt(1280, 800), ""
	if sz := os.Getenv(sizeEnv); sz != "" {
		if _, err := fmt.Sscanf(sz, "%dx%d", &want.X, &want.Y); err != nil {
			t.Fatalf("%s=%q: %v", sizeEnv, sz, err)
		}
		suffix = "-" + sz
	}
	out := shot.Dir(t)
	deps, st, cfg, err := kioskDeps(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// slipPolicy, when set, is given to the survey served: the slip
	// screens are shot on the quick survey.
	var slipPolicy survey.SlipPolicy
	served := deps.Survey
	deps.Survey = func(ctx context.Context, id string) (*survey.Survey, error) {
		s, err := served(ctx, id)
		if err != nil || slipPolicy == "" {
			return s, err
		}
		c := *s
		c.Slip = slipPolicy
		return &c, nil
	}
	slides := &slideClock{}
	deps.Clock = slides
	var k *ui.Kiosk
	deps.Options.Kiosk = true // full screen: the X screen is the kiosk's
	// Storage work on the UI goroutine, its results queued there: do's
	// second call below waits for them, so each step has its screen.
	deps.Go = func(f func()) { f() }
	fyne.DoAndWait(func() {
		k, err = ui.New(shotApp, deps)
		if err == nil {
			k.Show()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	do := func(f func()) { fyne.DoAndWait(f); fyne.DoAndWait(func() {}) }
	var prev image.Image
	snap := func(name, lang string) {
		t.Helper()
		img, err := waitDrawn(k.Window(), prev, 10*time.Second)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if sz := img.Bounds().Size(); sz != want {
			t.Fatalf("X screen is %v, want %v: run under xvfb-run -s \"-screen 0 %dx%dx24\"", sz, want, want.X, want.Y)
		}
		shot.Save(t, out, "kiosk-"+name+"-"+lang+suffix+".png", img)
		prev = img
	}
	choose := func(code string) {
		t.Helper()
		do(func() {
			q := k.Question
			for _, c := range q.Choices {
				if c.Code == code {
					c.Button.OnTapped()
					return
				}
			}
			t.Errorf("question %s has no choice %s", q.Question.Code, code)
		})
	}
	next := func() { do(func() { k.Question.Next.OnTapped() }) }
	home := func(surveyID, lang string) {
		cfg.ActiveSurvey = surveyID
		goHome(t, k)
		if lang == "en" {
			do(func() { k.Welcome.Lang.OnTapped() })
		}
	}
	for _, lang := range []string{"vi", "en"} {
		slipPolicy = survey.SlipRequired
		home("mot-cua-nhanh", lang)
		snap("welcome-slip", lang)
		do(func() {
			// A USB scanner types the slip's QR text and Enter.
			c := k.Window().Canvas()
			for _, r := range "https://hub.example.vn/s/6BS8PH9C1H" {
				c.OnTypedRune()(r)
			}
			c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
		})
		snap("welcome-slip-accepted", lang)
		goHome(t, k)
		if lang == "en" {
			do(func() { k.Welcome.Lang.OnTapped() })
		}
		do(func() { k.Welcome.Start.OnTapped() })
		snap("slip", lang) // Start without a slip: the survey needs one
		do(func() {
			k.Slip.Code.SetText("6BS8P-H9C1") // a symbol short
			k.Slip.Confirm.OnTapped()
		})
		snap("slip-error", lang)
		slipPolicy = survey.SlipOptional
		home("mot-cua-nhanh", lang)
		do(func() { k.Welcome.SlipEnter.OnTapped() })
		snap("slip-optional", lang)
		slipPolicy = ""

		home("mot-cua-nhanh", lang)
		snap("welcome", lang)
		for i := 1; i <= 3; i++ { // the built-in slides, as an idle kiosk shows them
			slides.next()
			do(func() {})
			snap(fmt.Sprintf("welcome-slide%d", i), lang)
		}
		do(func() { k.Welcome.Start.OnTapped() })
		choose(survey.CodeSatisfied)
		snap("rating3", lang)
		next()
		choose(survey.CodeSatisfied)
		next()
		choose(survey.CodeNotSatisfied)
		next()
		do(func() {
			for _, c := range k.Question.Choices[:2] {
				c.Button.OnTapped()
			}
		})
		snap("multi", lang)
		next()
		do(func() {
			text := "Cán bộ hướng dẫn tận tình nhưng phải chờ khá lâu."
			if lang == "en" {
				text = "Helpful staff, but a long wait."
			}
			k.Question.Comment.SetText(text)
		})
		snap("comment", lang)
		next()
		if k.Thanks == nil {
			t.Fatal("no thank-you screen")
		}
		snap("thanks", lang)

		home("sipas", lang) // version 2 asks two perception questions first
		do(func() { k.Welcome.Start.OnTapped() })
		choose(survey.CodeNo)
		next()
		choose(survey.CodeNo)
		next()
		choose(survey.CodeVerySatisfied)
		snap("rating5", lang)

		home("dich-vu-cong", lang) // abandons sipas (saved as abandoned)
		do(func() { k.Welcome.Start.OnTapped() })
		choose(survey.CodeNo)
		snap("yesno", lang)
		next()
		next() // optional "why not" left empty
		choose(survey.CodeYes)
		next()
		do(func() { k.Question.Choices[0].Button.OnTapped() })
		snap("single", lang)
		st.fail = store.ErrDiskFull
		next()
		if k.SaveError == nil {
			t.Fatal("no save-error screen")
		}
		snap("save-error", lang)
		st.fail = nil
		do(func() { k.SaveError.Retry.OnTapped() })
		if k.Thanks == nil {
			t.Fatal("retry did not save")
		}

		home("lay-y-kien-du-thao", lang) // the consultation template: summary and QR code
		do(func() { k.Welcome.Start.OnTapped() })
		snap("info", lang)
		home(pictureSurvey, lang) // an adapted copy with a picture
		do(func() { k.Welcome.Start.OnTapped() })
		snap("info-picture", lang)
	}
	// Hidden, not closed: closing the app's first window quits the app,
	// whose run loop shot.Main keeps for the tests that follow.
	do(func() { k.Window().Hide() })
}

// TestScreenshotSizes re-runs TestScreenshots on X screens of the smallest
// kiosk tablets (1024×600) and of most laptops here (1366×768), each on a
// private Xvfb display of that size:
//
//	HAILONG_SCREENSHOTS=1 xvfb-run -a -s "-screen 0 1280x800x24" go test -run TestScreenshotSizes ./app/ui/shots
func TestScreenshotSizes(t *testing.T) {
	if shotApp == nil || os.Getenv(sizeEnv) != "" {
		t.Skip("set HAILONG_SCREENSHOTS=1 and run under xvfb-run")
	}
	xvfb, err := exec.LookPath("xvfb-run")
	if err != nil {
		t.Skip("xvfb-run not installed")
	}
	for _, size := range []string{"1024x600", "1366x768"} {
		t.Run(size, func(t *testing.T) {
			cmd := exec.Command(xvfb, "-a", "-s", "-screen 0 "+size+"x24", os.Args[0], "-test.run", "^(TestScreenshots|TestFeedbackScreenshots|TestHelpScreenshots)$", "-test.v")
			cmd.Env = append(os.Environ(), sizeEnv+"="+size)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("screenshots at %s: %v\n%s", size, err, out)
			}
		})
	}
}

// pictureSurvey is the consultation template as an admin adapts it, with a
// picture on its info screen.
const pictureSurvey = "du-thao-so-do"

// withPicture returns the lay-y-kien-du-thao template of all with a
// picture (a drawn floor plan of a one-stop desk) on its info screen.
func withPicture(all []*survey.Survey) (*survey.Survey, error) {
	var base *survey.Survey
	for _, s := range all {
		if s.ID == "lay-y-kien-du-thao" {
			base = s
		}
	}
	if base == nil {
		return nil, fmt.Errorf("no built-in lay-y-kien-du-thao")
	}
	c := *base
	c.ID = pictureSurvey
	c.Questions = slices.Clone(base.Questions)
	img := image.NewRGBA(image.Rect(0, 0, 480, 320))
	fill := func(r image.Rectangle, col color.RGBA) {
		draw.Draw(img, r, &image.Uniform{col}, image.Point{}, draw.Src)
	}
	fill(img.Bounds(), color.RGBA{236, 240, 245, 255})
	fill(image.Rect(20, 20, 460, 80), color.RGBA{200, 40, 40, 255}) // the counter
	for i := range 4 {                                              // four desks
		x := 40 + i*105
		fill(image.Rect(x, 110, x+80, 170), color.RGBA{40, 90, 170, 255})
	}
	fill(image.Rect(40, 210, 440, 300), color.RGBA{250, 200, 60, 255}) // the waiting area
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	c.Questions[0].Image = survey.ImageDataURI(buf.Bytes())
	return &c, survey.Validate(&c)
}

// slideClock is the system clock but for the welcome screen's slide
// changes, which wait for next instead of SlideEvery: each shot of a
// slide is taken when it is on show.
type slideClock struct {
	mu      sync.Mutex
	pending []func()
}

func (c *slideClock) Now() time.Time { return time.Now() }

func (c *slideClock) AfterFunc(d time.Duration, f func()) ui.Timer {
	if d != ui.SlideEvery {
		return time.AfterFunc(d, f)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending = append(c.pending, f)
	return stopNothing{}
}

// next runs the newest slide change asked for (those of screens gone
// are dropped).
func (c *slideClock) next() {
	c.mu.Lock()
	var f func()
	if n := len(c.pending); n > 0 {
		f = c.pending[n-1]
		c.pending = nil
	}
	c.mu.Unlock()
	if f != nil {
		f()
	}
}

type stopNothing struct{}

func (stopNothing) Stop() bool { return true }
