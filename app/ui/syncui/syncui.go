// Package syncui is the admin panel's sync tab: connect the kiosk to a hub
// with an address and an enrollment code, see the outbox and the last
// sync's outcome, ask for a sync now, see the responses the hub rejected
// and send them again, and export a sync bundle to a USB stick. The work is done by sync/client
// off the UI goroutine; widgets change only inside fyne.Do.
package syncui

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/store"
	"github.com/hailong-kiosk/hailong/app/ui/admin"
	"github.com/hailong-kiosk/hailong/sync/client"
)

// Syncer is the running uploader; *client.Uploader implements it.
type Syncer interface {
	Status() client.Status
	Subscribe(fn func(client.Status)) (cancel func())
	SyncNow()
	Refresh(ctx context.Context) error
}

// Store is what the tab reads and writes; *store.Store implements it.
type Store interface {
	client.BundleSource
	// RejectedItems lists the responses the hub refused, newest first.
	RejectedItems(ctx context.Context) ([]store.Rejected, error)
	// RetryRejected puts rejected responses (these ids, or all when nil)
	// back in the outbox and says how many.
	RetryRejected(ctx context.Context, ids []string) (int, error)
}

// Deps is what the tab needs from the kiosk.
type Deps struct {
	// Store is the kiosk's store (settings, outbox, rejected items).
	Store Store
	// Syncer is the background uploader started by main.
	Syncer Syncer
	// Lang is "vi" (the default) or "en".
	Lang string
	// HTTP sends the enrollment request; nil means a 30 s timeout client.
	HTTP *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ChooseFolder asks for the folder to write a bundle to and calls done
	// with its path, or does not call it when the admin cancels. Nil means
	// Fyne's folder dialog.
	ChooseFolder func(w fyne.Window, done func(dir string))
	// Go runs blocking work off the UI goroutine; nil means `go f()`.
	Go func(f func())
	// Log receives full error chains; nil means slog.Default().
	Log *slog.Logger
}

func (d *Deps) defaults() {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.ChooseFolder == nil {
		d.ChooseFolder = func(w fyne.Window, done func(string)) {
			dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
				if err == nil && u != nil {
					done(u.Path())
				}
			}, w)
		}
	}
	if d.Go == nil {
		d.Go = func(f func()) { go f() }
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Lang != "en" {
		d.Lang = "vi"
	}
}

// Tab returns the admin panel tab. Its title is in d.Lang.
func Tab(ctx context.Context, d Deps) (admin.Tab, error) {
	d.defaults()
	tr, err := newTranslator(d.Lang)
	if err != nil {
		return admin.Tab{}, err
	}
	var screen *Screen
	return admin.Tab{
		Title: tr.T("sync.tab"),
		Content: func(w fyne.Window) fyne.CanvasObject {
			screen = New(ctx, d, w)
			return screen.Content()
		},
		// Stop following the uploader's status when the panel closes.
		Close: func() {
			if screen != nil {
				screen.Close()
			}
		},
	}, nil
}

// newTranslator gives the tab's texts from assets/i18n/sync/{vi,en}.json in
// lang ("en", or else Vietnamese). A "Count" in a message's data picks its
// plural form.
func newTranslator(lang string) (*i18n.Translator, error) {
	return i18n.New("sync", lang, i18n.CountPlural())
}
