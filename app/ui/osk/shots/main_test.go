// Package shots_test shows the on-screen keyboard in a real Fyne window (the
// OpenGL driver, under Xvfb on a server) and writes screenshots into
// docs/screenshots. It is a separate package so that the keyboard's own
// tests stay on the test driver and need no display.
//
//	HAILONG_SCREENSHOTS=1 xvfb-run -a -s "-screen 0 1280x800x24" go test -run TestScreenshots ./app/ui/osk/shots
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
	// Fyne's run loop must own the main goroutine: tests run beside it.
	shotApp = app.NewWithID("vn.hailong.kiosk.osk-screenshots")
	code := 0
	started := make(chan struct{})
	shotApp.Lifecycle().SetOnStarted(func() { close(started) })
	go func() {
		// Windows made before the driver has started are never painted.
		<-started
		code = m.Run()
		fyne.Do(shotApp.Quit)
	}()
	shotApp.Run()
	os.Exit(code)
}
