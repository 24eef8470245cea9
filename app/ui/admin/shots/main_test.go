// Package shots_test drives the admin panel in a real Fyne window (the
// OpenGL driver, under Xvfb on a server) and writes screenshots of each of
// its screens into docs/screenshots/admin-<screen>-<lang>.png. The
// screen is grabbed with xwd (Debian package x11-apps). It is a
// separate package so that the admin package's own tests stay on Fyne's
// test driver and need no display.
//
//	HAILONG_SCREENSHOTS=1 xvfb-run -a -s "-screen 0 1280x800x24" go test -run TestScreenshots ./app/ui/admin/shots
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
	shot.Main(m, &shotApp, shot.Options{
		ID:            "vn.gov.hailong.kiosk.admin-screenshots",
		OwnDisplay:    "-screen 0 1280x800x24",
		OwnDisplayEnv: "HAILONG_ADMIN_SHOTS_OWN_X",
	})
}
