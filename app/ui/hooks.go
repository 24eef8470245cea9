package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// Hooks let a mode add to the kiosk's flow without changing it (outreach
// mode, app/ui/operator, puts its panel beside the kiosk's screens and
// marks assisted responses). Each is optional and runs on the UI
// goroutine.
type Hooks struct {
	// Frame returns what the window shows around stage, the container
	// the kiosk's screens change in (ShowIn); nil shows the stage itself.
	// It is called once, by SetHooks: the frame stays in the window and
	// must hold stage, which it must not change.
	Frame func(stage fyne.CanvasObject) fyne.CanvasObject
	// BeforeSave is called with each response (complete or abandoned)
	// once, just before its first save attempt; a Retry saves it as it
	// then was.
	BeforeSave func(r *survey.Response)
	// AfterSave is called with each response once it is durably saved,
	// after the screen that follows the save is set.
	AfterSave func(r *survey.Response)
	// HelpRaised is called once a help request is saved (help.go), for a
	// panel that lists the open ones.
	HelpRaised func()
}

// SetHooks sets the kiosk's hooks and shows the stage through the new
// Frame.
func (k *Kiosk) SetHooks(h Hooks) {
	k.hooks = h
	k.shown = k.stage
	if h.Frame != nil {
		k.shown = h.Frame(k.stage)
	}
	if k.screen != nil && !k.paused && k.win.Content() != k.shown {
		k.win.SetContent(k.shown)
	}
}

// ShowIn puts screen in stage in place of what stage held, laid out at
// the stage's size. A screen change is thus one layout of the new screen:
// what is around the stage, up to the window, is neither laid out nor
// resized again (setting a window's content lays out all of it twice, at
// its minimum size first, and may resize the window through the window
// system). The screen is not refreshed: it is new, or already drawn.
func ShowIn(stage *fyne.Container, screen fyne.CanvasObject) {
	if len(stage.Objects) == 1 && stage.Objects[0] == screen {
		return
	}
	stage.Objects = []fyne.CanvasObject{screen}
	screen.Move(fyne.NewPos(0, 0))
	screen.Resize(stage.Size())
	canvas.Refresh(stage)
}
