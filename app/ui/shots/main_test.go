// Package shots_test drives the kiosk in a real Fyne window (the OpenGL
// driver, under Xvfb on a server): screenshots of every screen into
// docs/screenshots, and the start-to-first-frame benchmark. It is a
// separate package so that app/ui's own tests stay on the test driver and
// need no display.
//
//	HAILONG_SCREENSHOTS=1 xvfb-run -a -s "-screen 0 1280x800x24" go test -run TestScreenshots ./app/ui/shots
//	xvfb-run -a -s "-screen 0 1280x800x24" go test -run '^$' -bench Start -benchtime 20x ./app/ui/shots
//	xvfb-run -a -s "-screen 0 1280x800x24" go test -run '^$' -bench TapToFrame -benchtime 10x ./app/ui/shots
package shots_test

import (
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
)

// shotApp is the real Fyne app the screenshot test drives; nil unless
// HAILONG_SCREENSHOTS=1.
var shotApp fyne.App

func TestMain(m *testing.M) {
	if mode := os.Getenv(childEnv); strings.HasPrefix(mode, "taps-") {
		os.Exit(runTaps(strings.TrimPrefix(mode, "taps-"), os.Getenv(dbDirEnv)))
	} else if mode != "" {
		os.Exit(runChild(mode))
	}
	shot.Main(m, &shotApp, shot.Options{ID: "vn.gov.hailong.kiosk.screenshots"})
}
