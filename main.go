// Command hailong is the Hài Lòng satisfaction-survey kiosk: run without a
// subcommand it opens the kiosk window (--kiosk for the locked full-screen
// desk mode); `hailong help` lists the subcommands for admins and scripts.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Asia/Ho_Chi_Minh on Windows machines without zoneinfo

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/hailong-kiosk/hailong/app/cli"
	"github.com/hailong-kiosk/hailong/app/launch"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if handled, code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr); handled {
		os.Exit(code)
	}
	m := &launch.Main{Log: slog.New(slog.NewTextHandler(os.Stderr, nil))}
	if err := m.ParseFlags(os.Args[1:], os.Stderr); err != nil {
		os.Exit(2)
	}
	// The store, the surveys and the fonts load while Fyne starts.
	a, err := m.Start(ctx, func() fyne.App { return app.NewWithID(launch.AppID) })
	go func() { <-ctx.Done(); fyne.Do(a.Quit) }()
	if err != nil {
		m.Log.Error("start kiosk", "db", m.DBPath, "err", err)
		launch.ShowStartupError(a, m.DBPath, err)
	}
	a.Run()
	if err := m.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "hailong: close:", err)
	}
}
