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
	"testing"

	"fyne.io/fyne/v2"

	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
)

// shotApp is the real Fyne app the screenshot test drives; nil unless
// HAILONG_SCREENSHOTS=1.
var shotApp fyne.App

func TestMain(m *testing.M) {
	// Its own X screen the size of a 1366×768 laptop's usable area, whatever
	// display `make test` gives.
	shot.Main(m, &shotApp, shot.Options{
		ID:            "vn.gov.hailong.kiosk.operator-screenshots",
		OwnDisplay:    "-screen 0 1360x690x24",
		OwnDisplayEnv: "HAILONG_OPERATOR_SHOTS_OWN_X",
	})
}
