package ui_test

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"

	"fyne.io/fyne/v2/app"

	"github.com/hailong-kiosk/hailong/app/settings"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/app/ui"
)

// Example is main.go's wiring of the kiosk (the admin panel hook aside).
func Example() {
	kiosk := flag.Bool("kiosk", false, "full screen; closing needs the admin PIN")
	db := flag.String("db", "hailong.db", "database file")
	flag.Parse()
	ctx := context.Background()
	st, err := store.Open(ctx, *db)
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	builtin, err := survey.Builtin()
	if err != nil {
		log.Fatal(err)
	}
	a := app.NewWithID("vn.gov.hailong.kiosk")
	k, err := ui.New(a, ui.Deps{
		Store:    st,
		Config:   func(ctx context.Context) (settings.Config, error) { return settings.Load(ctx, st) },
		Survey:   ui.Surveys(builtin, st),
		DeviceID: "kiosk-1",
		Logger:   slog.New(slog.NewTextHandler(os.Stderr, nil)),
		OnAdmin:  func() { /* admin.Show(...) */ },
		Options:  ui.Options{Kiosk: *kiosk},
	})
	if err != nil {
		log.Fatal(err)
	}
	k.Window().ShowAndRun()
}
