package admin

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/pin"
	"github.com/hailong-kiosk/hailong/app/ui"
)

// TestFitsKioskWindow checks, with the kiosk's large theme, that no screen of
// the panel needs more than 1280×768: the kiosk's window (1280×800 in window
// mode) and the smallest common landscape touch screens (1366×768): wider content would
// grow the window or be clipped on a full screen.
func TestFitsKioskWindow(t *testing.T) {
	limit := fyne.NewSize(1280, 768)
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			r := newRig(t)
			fyne.CurrentApp().Settings().SetTheme(ui.Theme())
			r.deps.Lang = lang
			r.deps.AutoLock = time.Hour
			r.deps.Tabs = []Tab{{Title: "Đồng bộ", Content: func(fyne.Window) fyne.CanvasObject { return widget.NewLabel("…") }}}
			check := func(screen string) {
				t.Helper()
				if m := r.w.Content().MinSize(); m.Width > limit.Width || m.Height > limit.Height {
					t.Errorf("%s: needs %v, more than %v", screen, m, limit)
				}
			}
			p := r.show()
			check("pin set-up")
			r.setPIN("2580")
			p.Close()
			p = r.show()
			for range pin.MaxTries {
				r.keypad(p.pad, "1111")
			}
			check("pin locked")
			r.clock.Advance(pin.LockFor)
			r.keypad(p.pad, "2580")
			if p.main == nil {
				t.Fatal("panel not open")
			}
			test.Tap(p.general.save)
			for i, it := range p.main.tabs.Items {
				p.main.tabs.SelectIndex(i)
				check("tab " + it.Text)
			}
			// The general tab with every field in error.
			p.main.tabs.SelectIndex(0)
			p.general.servicePoint.SetText("")
			p.general.idle.entry.SetText("x")
			p.general.thanks.entry.SetText("1")
			p.general.misuse.entry.SetText("9999")
			test.Tap(p.general.save)
			check("general with errors")
		})
	}
}
