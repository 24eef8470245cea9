package shots_test

import (
	"fmt"
	"image"
	"os"
	"os/exec"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
)

// windowEnv, in a test binary re-run by TestWindowScreenshots, is the
// screen ("1024x600") whose window the kiosk opens in; the X screen is
// that window's size (windowOn), as there is no title bar to leave room
// for.
const windowEnv = "HAILONG_SHOT_WINDOW"

// windowOn is the size of the kiosk's window on a screen of that size:
// 1280×800, or less where the screen less ui.WindowFrame is smaller
// (ui.FitWindow).
func windowOn(screen fyne.Size) fyne.Size {
	return fyne.NewSize(1280, 800).Min(screen.Subtract(ui.WindowFrame))
}

// TestWindowScreenshots shoots the thank-you screen of the kiosk run in a
// window (hailong without --kiosk) on the smallest tablets' 1024×600 and a
// 1366×768 laptop, into kiosk-window-thanks-<lang>-<screen>.png, each on a
// private Xvfb display the window's size:
//
//	HAILONG_SCREENSHOTS=1 xvfb-run -a -s "-screen 0 1280x800x24" go test -run TestWindowScreenshots ./app/ui/shots
func TestWindowScreenshots(t *testing.T) {
	if shotApp == nil {
		t.Skip("set HAILONG_SCREENSHOTS=1 and run under xvfb-run")
	}
	screenName := os.Getenv(windowEnv)
	if screenName == "" {
		xvfb, err := exec.LookPath("xvfb-run")
		if err != nil {
			t.Skip("xvfb-run not installed")
		}
		for _, sz := range []string{"1024x600", "1366x768"} {
			t.Run(sz, func(t *testing.T) {
				var s fyne.Size
				if _, err := fmt.Sscanf(sz, "%fx%f", &s.Width, &s.Height); err != nil {
					t.Fatal(err)
				}
				win := windowOn(s)
				cmd := exec.Command(xvfb, "-a", "-s", fmt.Sprintf("-screen 0 %vx%vx24", win.Width, win.Height),
					os.Args[0], "-test.run", "^TestWindowScreenshots$", "-test.v")
				cmd.Env = append(os.Environ(), windowEnv+"="+sz)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("screenshots in a window on %s: %v\n%s", sz, err, out)
				}
			})
		}
		return
	}
	var screen fyne.Size
	if _, err := fmt.Sscanf(screenName, "%fx%f", &screen.Width, &screen.Height); err != nil {
		t.Fatalf("%s=%q: %v", windowEnv, screenName, err)
	}
	win := windowOn(screen)
	want := image.Pt(int(win.Width), int(win.Height))
	out := shot.Dir(t)
	deps, st, cfg, err := kioskDeps(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	deps.Options.Screen = screen // a window, fitted to this screen's work area
	deps.Go = func(f func()) { f() }
	var k *ui.Kiosk
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
	for _, lang := range []string{"vi", "en"} {
		cfg.ActiveSurvey = "mot-cua-nhanh"
		goHome(t, k)
		if lang == "en" {
			do(func() { k.Welcome.Lang.OnTapped() })
		}
		do(func() { k.Welcome.Start.OnTapped() })
		// Every question answered with its first choice (a comment left
		// empty) until the thank-you screen.
		for i := 0; k.Thanks == nil; i++ {
			if i == 20 {
				t.Fatal("no thank-you screen after 20 questions")
			}
			do(func() {
				if q := k.Question; q != nil {
					if len(q.Choices) > 0 {
						q.Choices[0].Button.OnTapped()
					}
					q.Next.OnTapped()
				}
			})
		}
		img, err := waitDrawn(k.Window(), prev, 10*time.Second)
		if err != nil {
			t.Fatalf("thanks %s: %v", lang, err)
		}
		if sz := img.Bounds().Size(); sz != want {
			t.Fatalf("X screen is %v, want the window's %v", sz, want)
		}
		shot.Save(t, out, "kiosk-window-thanks-"+lang+"-"+screenName+".png", img)
		prev = img
	}
	do(func() { k.Window().Hide() })
}
