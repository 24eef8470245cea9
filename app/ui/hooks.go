package ui

import (
	"fyne.io/fyne/v2"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// Hooks let a mode add to the kiosk's flow without changing it (outreach
// mode, app/ui/operator, puts its panel beside the kiosk's screens and
// marks assisted responses). Each is optional and runs on the UI
// goroutine.
type Hooks struct {
	// Frame returns what the window shows for a kiosk screen, holding
	// screen; nil shows the screen itself. It may return the same object
	// every time, with the new screen put inside: the window's content is
	// set only when the returned object is not already on show.
	Frame func(screen fyne.CanvasObject) fyne.CanvasObject
	// BeforeSave is called with each response (complete or abandoned)
	// once, just before its first save attempt; a Retry saves it as it
	// then was.
	BeforeSave func(r *survey.Response)
	// AfterSave is called with each response once it is durably saved.
	AfterSave func(r *survey.Response)
	// HelpRaised is called once a help request is saved (help.go), for a
	// panel that lists the open ones.
	HelpRaised func()
}

// SetHooks sets the kiosk's hooks and shows the current screen through
// the new Frame.
func (k *Kiosk) SetHooks(h Hooks) {
	k.hooks = h
	if h.Frame != nil && k.screen != nil && !k.paused {
		if shown := h.Frame(k.screen); k.win.Content() != shown {
			k.win.SetContent(shown)
		}
	}
}
