// Package shots_test drives outreach mode in a real Fyne window (the OpenGL
// driver, under Xvfb on a server) and writes screenshots of the operator
// screen and the event summary into
// docs/screenshots/operator-<screen>-<lang>.png. The X screen is the size of
// the operator window on a 1366×768 laptop, and is grabbed with xwd (Debian
// package x11-apps). It is a separate package so that the operator
// package's own tests stay on Fyne's test driver and need no display.
//
//	HAILONG_SCREENSHOTS=1 xvfb-run -a -s "-screen 0 1360x690x24" go test -run TestScreenshots ./app/ui/operator/shots
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

// sizeEnv, when set ("1008x552": a window on a 1024×600 screen), is the
// window and X screen size to take the screenshots at instead of 1360×690;
// the files are then named operator-<screen>-<lang>-<size>.png:
//
//	HAILONG_SCREENSHOTS=1 HAILONG_OPERATOR_SHOT_SIZE=1008x552 go test -run TestScreenshots ./app/ui/operator/shots
const sizeEnv = "HAILONG_OPERATOR_SHOT_SIZE"

func TestMain(m *testing.M) {
	size := os.Getenv(sizeEnv)
	if size == "" {
		size = "1360x690"
	}
	// Its own X screen the size of a 1366×768 laptop's usable area (or
	// sizeEnv's), whatever display `make test` gives.
	shot.Main(m, &shotApp, shot.Options{
		ID:            "vn.gov.hailong.kiosk.operator-screenshots",
		OwnDisplay:    "-screen 0 " + size + "x24",
		OwnDisplayEnv: "HAILONG_OPERATOR_SHOTS_OWN_X",
	})
}
