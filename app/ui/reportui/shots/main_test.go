// Package shots_test drives the admin panel's export and statistics tabs in
// a real Fyne window (the OpenGL driver, under Xvfb on a server) and writes
// screenshots into docs/screenshots/report-<screen>-<lang>.png. It is a
// separate package so that reportui's own tests stay on Fyne's test driver
// and need no display.
//
//	HAILONG_SCREENSHOTS=1 xvfb-run -a -s "-screen 0 1280x800x24" go test -run TestScreenshots ./app/ui/reportui/shots
package shots_test

import (
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
)

// shotApp is the real Fyne app the screenshot test drives; nil unless
// HAILONG_SCREENSHOTS=1.
var shotApp fyne.App

func TestMain(m *testing.M) {
	if os.Getenv("HAILONG_SCREENSHOTS") != "1" {
		os.Exit(m.Run())
	}
	// Mesa's default llvmpipe driver returns an empty front buffer under
	// Xvfb, so Canvas.Capture sees nothing; softpipe reads it back.
	if os.Getenv("GALLIUM_DRIVER") == "" {
		os.Setenv("GALLIUM_DRIVER", "softpipe")
	}
	// Fyne's run loop must own the main goroutine: tests run beside it.
	shotApp = app.NewWithID("vn.gov.hailong.kiosk.report-screenshots")
	code := 0
	go func() {
		code = m.Run()
		fyne.Do(shotApp.Quit)
	}()
	shotApp.Run()
	os.Exit(code)
}
