package launch

import (
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/i18n"
	"github.com/hailong-kiosk/hailong/app/store"
)

// StartupKey names, in the catalog's launch area, the message that says
// why the kiosk could not start, in words staff can act on.
func StartupKey(err error) string {
	switch {
	case errors.Is(err, ErrAlreadyRunning):
		return "launch.start.already_running"
	case errors.Is(err, store.ErrNewerSchema):
		return "launch.start.newer_schema"
	case errors.Is(err, store.ErrDiskFull):
		return "launch.start.disk_full"
	case errors.Is(err, store.ErrReadOnly):
		return "launch.start.read_only"
	}
	return "launch.start.system"
}

// StartupMessage says in Vietnamese, then English, why the kiosk could not
// start (StartupKey); the full error goes to the log.
func StartupMessage(err error) (vi, en string) {
	cat := startTexts()
	key := StartupKey(err)
	return cat.In("vi").T(key), cat.In("en").T(key)
}

// startTexts is the launch area of the catalog; when it does not load (its
// files are embedded, so a broken build) the window shows the keys.
func startTexts() *i18n.Catalog {
	cat, _ := i18n.Shared("launch")
	return cat
}

// ShowStartupError opens a window with StartupMessage(err) and the path of
// the database, and a button that quits.
func ShowStartupError(a fyne.App, dbPath string, err error) fyne.Window {
	vi, en := StartupMessage(err)
	w := a.NewWindow("Hài Lòng")
	// Closing it quits, though Start made the kiosk window (hidden).
	w.SetMaster()
	msg := widget.NewLabel(vi + "\n\n" + en + "\n\n" + dbPath)
	msg.Wrapping = fyne.TextWrapWord
	cat := startTexts()
	quit := widget.NewButton(cat.In("vi").T("launch.start.close")+" / "+cat.In("en").T("launch.start.close"), a.Quit)
	quit.Importance = widget.HighImportance
	w.SetContent(container.NewBorder(nil, container.NewCenter(quit), nil, nil, msg))
	w.Resize(fyne.NewSize(640, 320))
	w.Show()
	return w
}
