package admin

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/pin"
	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/internal/fit"
)

// TestFitsEveryScreen lays every screen of the panel out with the kiosk's
// theme at every supported screen size, full screen and in a window on that
// screen, and checks that everything to tap is inside the window: the PIN
// screens (set-up, locked), each tab, the general tab with every field in
// error, the on-screen keyboard editor and the quit confirmation.
func TestFitsEveryScreen(t *testing.T) {
	for _, screen := range fit.Screens {
		for _, size := range []fyne.Size{screen, screen.Subtract(ui.WindowFrame)} {
			for _, lang := range []string{"vi", "en"} {
				t.Run(fmt.Sprintf("%vx%v/%s", size.Width, size.Height, lang), func(t *testing.T) {
					fitsAt(t, size, lang)
				})
			}
		}
	}
}

func fitsAt(t *testing.T, size fyne.Size, lang string) {
	r := newRig(t)
	fyne.CurrentApp().Settings().SetTheme(ui.Theme())
	r.w.Resize(size)
	r.deps.Lang = lang
	r.deps.AutoLock = time.Hour
	r.deps.Tabs = []Tab{{Title: "Đồng bộ", Content: func(fyne.Window) fyne.CanvasObject { return widget.NewLabel("…") }}}
	check := func(screen string, minTarget float32) {
		t.Helper()
		fit.Check(t, screen, r.w.Canvas(), size, minTarget)
	}
	p := r.show()
	check("pin set-up", ui.MinTarget)
	r.setPIN("2580")
	p.Close()
	p = r.show()
	for range pin.MaxTries {
		r.keypad(p.pad, "1111")
	}
	check("pin locked", ui.MinTarget)
	r.clock.Advance(pin.LockFor)
	r.keypad(p.pad, "2580")
	if p.main == nil {
		t.Fatal("panel not open")
	}
	test.Tap(p.general.save)
	for i, it := range p.main.tabs.Items {
		p.main.tabs.SelectIndex(i)
		check("tab "+it.Text, 0)
		// The actions are in sight without scrolling.
		acts := []fyne.CanvasObject{p.main.back, p.main.quit}
		switch it.Content {
		case p.general.content:
			acts = append(acts, p.general.save)
		case p.links.content:
			acts = append(acts, p.links.save, p.links.add, p.links.reset)
		case p.counts.content:
			acts = append(acts, p.counts.refreshBtn)
		}
		fit.Inside(t, "tab "+it.Text, r.w.Canvas(), acts...)
	}
	// The general tab with every field in error.
	p.main.tabs.SelectIndex(0)
	p.general.servicePoint.SetText("")
	p.general.idle.entry.SetText("x")
	p.general.thanks.entry.SetText("1")
	p.general.misuse.entry.SetText("9999")
	test.Tap(p.general.save)
	check("general with errors", 0)
	test.Tap(p.keyButtons[p.general.servicePoint])
	check("keyboard editor", 0)
	p.closeEditor()
	test.Tap(p.main.quit)
	check("quit confirmation", 0)
}
