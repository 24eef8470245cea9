//go:build windows

package launch

import "os"

// terminate: Windows has no SIGTERM; the supervisor kills the process.
var terminate os.Signal = os.Kill

// StopSignals are the signals that end the kiosk cleanly.
var StopSignals = []os.Signal{os.Interrupt}
