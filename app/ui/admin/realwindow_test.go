package admin

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/crypto/bcrypt"

	"github.com/hailong-kiosk/hailong/app/pin"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui"
)

// realWindowEnv makes the test binary, re-run by
// TestTapsRightAfterOpenInRealWindow, drive the panel in a real window;
// its value is the folder of the database.
const realWindowEnv = "HAILONG_ADMIN_REAL_WINDOW"

func TestMain(m *testing.M) {
	if dir := os.Getenv(realWindowEnv); dir != "" {
		os.Exit(runRealWindow(dir))
	}
	os.Exit(m.Run())
}

// TestTapsRightAfterOpenInRealWindow opens the panel with the right PIN in
// a real Fyne window (the OpenGL driver; Fyne's test driver always knows
// an object's canvas, so it cannot show this) and, in the same turn of the
// UI goroutine, before the window paints the panel, taps every tappable
// widget of it: what a user's taps queued in the same frame reach. The
// "Khảo sát đang dùng" drop-down used to panic there on a nil canvas
// and take the kiosk down. Then it enters the PIN on the keypad, as a
// user does, and taps the drop-down the moment the panel is open.
func TestTapsRightAfterOpenInRealWindow(t *testing.T) {
	if os.Getenv("DISPLAY") == "" {
		t.Skip("needs an X display: run under xvfb-run")
	}
	dir := t.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dir, "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := pin.New(st, pin.WithCost(bcrypt.MinCost)).Setup(context.Background(), "2580"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), realWindowEnv+"="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil || !strings.Contains(out.String(), "TAPPED") {
		t.Fatalf("the panel in a real window: %v\n%s", err, out.String())
	}
}

// runRealWindow is the child of TestTapsRightAfterOpenInRealWindow.
func runRealWindow(dir string) int {
	a := app.NewWithID("vn.gov.hailong.kiosk.admin-real-window")
	a.Settings().SetTheme(ui.Theme())
	st, err := store.Open(context.Background(), filepath.Join(dir, "kiosk.db"))
	if err != nil {
		fmt.Println(err)
		return 2
	}
	defer st.Close()
	surveys, err := survey.Builtin()
	if err != nil {
		fmt.Println(err)
		return 2
	}
	w := a.NewWindow("Hài Lòng")
	w.SetContent(widget.NewLabel("kiosk"))
	w.Resize(fyne.NewSize(1280, 800))
	painted := paintSignal(w)
	w.Show()
	code := 1
	go func() {
		defer fyne.Do(a.Quit)
		if err := driveRealWindow(w, st, surveys, painted); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("TAPPED")
		code = 0
	}()
	a.Run()
	return code
}

func driveRealWindow(w fyne.Window, st *store.Store, surveys []*survey.Survey, painted <-chan struct{}) error {
	select {
	case <-painted:
	case <-time.After(20 * time.Second):
		return fmt.Errorf("the window never painted")
	}
	deps := Deps{
		Store:      st,
		Surveys:    func() []*survey.Survey { return surveys },
		PINOptions: []pin.Option{pin.WithCost(bcrypt.MinCost)},
		Quit:       func() {},
	}
	var p *Panel
	var err error
	tapped := 0
	fyne.DoAndWait(func() {
		if p, err = Show(context.Background(), w, deps, nil); err != nil {
			return
		}
		p.verified(nil) // the right PIN
		tapped = tapAll(p)
	})
	if err != nil {
		return err
	}
	if tapped == 0 {
		return fmt.Errorf("no widget tapped on the open panel")
	}
	// Now as a user does it: back to the kiosk, the PIN on the keypad,
	// and the drop-down the moment the panel is open.
	fyne.DoAndWait(func() {
		p.Close()
		p, err = Show(context.Background(), w, deps, nil)
		if err != nil {
			return
		}
		for _, c := range "2580" {
			test.Tap(p.pad.keys[c-'0'])
		}
		test.Tap(p.pad.ok)
	})
	if err != nil {
		return err
	}
	deadline := time.Now().Add(20 * time.Second)
	for open := false; !open; {
		if time.Now().After(deadline) {
			return fmt.Errorf("the panel did not open with the right PIN")
		}
		fyne.DoAndWait(func() {
			if p.main != nil {
				open = true
				test.Tap(p.general.survey)
			}
		})
	}
	return nil
}

// tapAll taps every visible tappable widget of the open panel but the two
// that leave it (back to the kiosk, quit), and returns how many.
func tapAll(p *Panel) int {
	n := 0
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if o == p.main.back || o == p.main.quit {
			return
		}
		if tp, ok := o.(fyne.Tappable); ok {
			test.Tap(tp)
			n++
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, k := range x.Objects {
				walk(k)
			}
		case fyne.Widget:
			for _, k := range test.WidgetRenderer(x).Objects() {
				walk(k)
			}
		}
	}
	walk(p.w.Content())
	return n
}

// paintSignal closes its channel while the window draws its first frame:
// a 1×1 raster in an overlay, whose generator the painter calls.
func paintSignal(w fyne.Window) <-chan struct{} {
	done := make(chan struct{})
	var once sync.Once
	r := canvas.NewRaster(func(w, h int) image.Image {
		once.Do(func() { close(done) })
		return image.NewNRGBA(image.Rect(0, 0, w, h))
	})
	r.SetMinSize(fyne.NewSquareSize(1))
	r.Resize(fyne.NewSquareSize(1))
	w.Canvas().Overlays().Add(container.NewWithoutLayout(r))
	return done
}
