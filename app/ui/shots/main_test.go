// Package shots_test drives the kiosk in a real Fyne window (the OpenGL
// driver, under Xvfb on a server): screenshots of every screen into
// docs/screenshots, and the start-to-first-frame benchmark. It is a
// separate package so that app/ui's own tests stay on the test driver and
// need no display.
//
//	HAILONG_SCREENSHOTS=1 xvfb-run -a -s "-screen 0 1280x800x24" go test -run TestScreenshots ./app/ui/shots
//	xvfb-run -a -s "-screen 0 1280x800x24" go test -run '^$' -bench Start -benchtime 20x ./app/ui/shots
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
	if mode := os.Getenv(childEnv); mode != "" {
		os.Exit(runChild(mode))
	}
	if os.Getenv("HAILONG_SCREENSHOTS") != "1" {
		os.Exit(m.Run())
	}
	// Fyne's run loop must own the main goroutine: tests run beside it.
	shotApp = app.NewWithID("vn.gov.hailong.kiosk.screenshots")
	code := 0
	go func() {
		code = m.Run()
		fyne.Do(shotApp.Quit)
	}()
	shotApp.Run()
	os.Exit(code)
}
