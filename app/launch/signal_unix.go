//go:build unix

package launch

import (
	"os"
	"syscall"
)

// terminate asks a kiosk process to save and exit (Main.Serve).
var terminate os.Signal = syscall.SIGTERM

// StopSignals are the signals that end the kiosk cleanly: shutdown
// (SIGTERM), logout (SIGHUP), Ctrl+C (SIGINT).
var StopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}
