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
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
)

// shotApp is the real Fyne app the screenshot test drives; nil unless
// HAILONG_SCREENSHOTS=1.
var shotApp fyne.App

// ownDisplayEnv marks the test binary re-run on its own X display.
const ownDisplayEnv = "HAILONG_ADMIN_SHOTS_OWN_X"

func TestMain(m *testing.M) {
	if os.Getenv("HAILONG_SCREENSHOTS") != "1" {
		os.Exit(m.Run())
	}
	// The screen is grabbed whole, and `go test ./...` runs other
	// packages' screenshot windows at the same time on the same display:
	// re-run this binary on a private Xvfb display when xvfb-run is there.
	if os.Getenv(ownDisplayEnv) == "" {
		if xvfb, err := exec.LookPath("xvfb-run"); err == nil {
			cmd := exec.Command(xvfb, append([]string{"-a", "-s", "-screen 0 1280x800x24", os.Args[0]}, os.Args[1:]...)...)
			cmd.Env = append(os.Environ(), ownDisplayEnv+"=1")
			cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
			if err := cmd.Run(); err != nil {
				var exit *exec.ExitError
				if errors.As(err, &exit) {
					os.Exit(exit.ExitCode())
				}
				fmt.Fprintln(os.Stderr, "run on a private X display:", err)
				os.Exit(1)
			}
			os.Exit(0)
		}
	}
	// Fyne's run loop must own the main goroutine: tests run beside it.
	shotApp = app.NewWithID("vn.gov.hailong.kiosk.admin-screenshots")
	code := 0
	go func() {
		code = m.Run()
		fyne.Do(shotApp.Quit)
	}()
	shotApp.Run()
	os.Exit(code)
}
