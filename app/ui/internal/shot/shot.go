// Package shot is what the screenshot tests under app/ui share: running the
// tests beside a real Fyne app (the OpenGL driver, under Xvfb on a server),
// grabbing the X screen with xwd, waiting for a finished frame, finding a
// widget on screen and writing PNGs into docs/screenshots. Only _test files
// import it.
//
// Why not Canvas().Capture(): under Xvfb with Mesa's software GL (llvmpipe),
// Fyne v2.7.1's capture reads the GL front buffer and gets all zeros,
// although the X server shows the window. So the picture comes from the X
// server itself: xwd (Debian package x11-apps) dumps the root window, and
// DecodeXWD decodes it. The window fills the X screen, so the root window is
// the screenshot.
package shot

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
)

// Enabled reports whether HAILONG_SCREENSHOTS=1 asks for screenshots.
func Enabled() bool { return os.Getenv("HAILONG_SCREENSHOTS") == "1" }

// Options say how Main starts the app.
type Options struct {
	// ID is the Fyne app's unique ID.
	ID string
	// OwnDisplay, if set, is the Xvfb server argument ("-screen 0
	// 1280x800x24") of a private X display: the screen is grabbed whole,
	// and `go test ./...` runs other packages' screenshot windows at the
	// same time on the same display, so Main re-runs the test binary under
	// `xvfb-run -a -s OwnDisplay` when xvfb-run is there.
	OwnDisplay string
	// OwnDisplayEnv names the variable that marks that re-run.
	OwnDisplayEnv string
	// Setup, if set, runs on the new app before the tests.
	Setup func(fyne.App)
}

// Main runs m's tests and exits. Unless Enabled, it runs them with *a nil
// (screenshot tests skip). Otherwise it starts a real Fyne app into *a and
// runs the tests beside its run loop, which must own the main goroutine.
func Main(m *testing.M, a *fyne.App, o Options) {
	if !Enabled() {
		os.Exit(m.Run())
	}
	if o.OwnDisplay != "" && os.Getenv(o.OwnDisplayEnv) == "" {
		if xvfb, err := exec.LookPath("xvfb-run"); err == nil {
			os.Exit(rerun(xvfb, o))
		}
	}
	*a = app.NewWithID(o.ID)
	if o.Setup != nil {
		o.Setup(*a)
	}
	// The run loop may also end when a test closes the app's last window:
	// the exit waits for the tests either way.
	done := make(chan int, 1)
	go func() {
		code := m.Run()
		done <- code
		fyne.Do((*a).Quit)
	}()
	(*a).Run()
	os.Exit(<-done)
}

// rerun runs this test binary again on a private Xvfb display and returns
// its exit code.
func rerun(xvfb string, o Options) int {
	cmd := exec.Command(xvfb, append([]string{"-a", "-s", o.OwnDisplay, os.Args[0]}, os.Args[1:]...)...)
	cmd.Env = append(os.Environ(), o.OwnDisplayEnv+"=1")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		fmt.Fprintln(os.Stderr, "run on a private X display:", err)
		return 1
	}
	return 0
}
