package reportui

import (
	"context"
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/hailong-kiosk/hailong/app/ui"
	"github.com/hailong-kiosk/hailong/app/ui/internal/fit"
)

// panelChrome is what the admin panel's header and tab bar take above a
// tab, and the window frame around it, on the smallest screens (generous).
var panelChrome = fyne.NewSize(16, 48+150)

// TestTabsFitEveryScreen lays the export and statistics tabs out with the
// kiosk's theme in the room the admin panel leaves them on every supported
// screen, and checks that everything to tap is in that room.
func TestTabsFitEveryScreen(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(ui.Theme())
	f := newFixture(t)
	for _, screen := range fit.Screens {
		for _, lang := range []string{"vi", "en"} {
			t.Run(fmt.Sprintf("%vx%v/%s", screen.Width, screen.Height, lang), func(t *testing.T) {
				tabs, err := Tabs(context.Background(), f.deps(lang))
				if err != nil {
					t.Fatal(err)
				}
				for _, tab := range tabs {
					w := test.NewWindow(nil)
					w.SetContent(tab.Content(w))
					room := screen.Subtract(panelChrome)
					w.Resize(room)
					fit.Check(t, tab.Title, w.Canvas(), room, 0)
					w.Close()
				}
			})
		}
	}
}
