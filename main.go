// Command hailong is the Hài Lòng satisfaction-survey kiosk: run without a
// subcommand it opens the kiosk window (--kiosk for the locked full-screen
// desk mode, kept running by a supervisor process); `hailong help` lists
// the subcommands for admins and scripts.
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	_ "time/tzdata" // Asia/Ho_Chi_Minh on Windows machines without zoneinfo

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/hailong-kiosk/hailong/app/cli"
	_ "github.com/hailong-kiosk/hailong/app/clocale" // before Fyne's lang reads the locale
	"github.com/hailong-kiosk/hailong/app/launch"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), launch.StopSignals...)
	defer stop()
	if handled, code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr); handled {
		os.Exit(code)
	}
	m := &launch.Main{Log: slog.New(slog.NewTextHandler(os.Stderr, nil))}
	if err := m.ParseFlags(os.Args[1:], os.Stderr); errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	} else if err != nil {
		os.Exit(2)
	}
	if m.Kiosk && !launch.Supervised() {
		os.Exit(launch.Supervise(ctx, m.Log))
	}
	// The store, the surveys and the fonts load while Fyne starts.
	os.Exit(m.Serve(ctx, func() fyne.App { return app.NewWithID(launch.AppID) }))
}
