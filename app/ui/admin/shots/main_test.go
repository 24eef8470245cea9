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
	"os"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/hailong-kiosk/hailong/app/ui/internal/shot"
)

// shotApp is the real Fyne app the screenshot test drives; nil unless
// HAILONG_SCREENSHOTS=1.
var shotApp fyne.App

// sizeEnv, when set ("1024x600"), is the screen size to take the
// screenshots at instead of 1280×800; the files are then named
// admin-<screen>-<lang>-<size>.png:
//
//	HAILONG_SCREENSHOTS=1 HAILONG_ADMIN_SHOT_SIZE=1024x600 go test -run TestScreenshots ./app/ui/admin/shots
const sizeEnv = "HAILONG_ADMIN_SHOT_SIZE"

func TestMain(m *testing.M) {
	size := os.Getenv(sizeEnv)
	if size == "" {
		size = "1280x800"
	}
	shot.Main(m, &shotApp, shot.Options{
		ID:            "vn.gov.hailong.kiosk.admin-screenshots",
		OwnDisplay:    "-screen 0 " + size + "x24",
		OwnDisplayEnv: "HAILONG_ADMIN_SHOTS_OWN_X",
	})
}
