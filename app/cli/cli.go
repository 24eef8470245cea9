// Package cli implements the kiosk binary's subcommands, "hailong survey
// ...", "hailong export ...", "hailong pin ..." and "hailong enroll", for
// admins and scripts. main.go calls Run first and starts the kiosk window
// only when Run did not handle the command line.
package cli

import (
	"context"
	"fmt"
	"io"
)

// Run runs the subcommand named by args[0] (the arguments after the program
// name) and returns handled=true with its exit code. It returns handled=false
// when args is empty or args[0] is not a subcommand (for example a flag such
// as --kiosk), so that the caller starts the kiosk instead.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) (handled bool, code int) {
	if len(args) == 0 {
		return false, 0
	}
	switch args[0] {
	case "survey":
		return true, Survey(ctx, args[1:], stdout, stderr)
	case "export":
		return true, Export(ctx, args[1:], stdout, stderr)
	case "pin":
		return true, PIN(ctx, args[1:], stdout, stderr)
	case "enroll":
		return true, Enroll(ctx, args[1:], stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usageText("cli.usage.main"))
		return true, 0
	}
	return false, 0
}
