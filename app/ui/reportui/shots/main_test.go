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

	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
)

// shotApp is the real Fyne app the screenshot test drives; nil unless
// HAILONG_SCREENSHOTS=1.
var shotApp fyne.App

func TestMain(m *testing.M) {
	// Mesa's default llvmpipe driver returns an empty front buffer under
	// Xvfb, so Canvas.Capture sees nothing; softpipe reads it back.
	if shot.Enabled() && os.Getenv("GALLIUM_DRIVER") == "" {
		os.Setenv("GALLIUM_DRIVER", "softpipe")
	}
	shot.Main(m, &shotApp, shot.Options{ID: "vn.gov.hailong.kiosk.report-screenshots"})
}
