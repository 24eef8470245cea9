package ui

import (
	"context"

	"fyne.io/fyne/v2"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// Hooks for outreach (operator) mode, app/ui/operator. They add to a built
// kiosk without touching its flow: the kiosk's screens appear inside a
// frame beside the operator's panel, and every save passes through
// operatorHooks, which stamps Assisted and reports the saved response.
// Nothing here changes the kiosk when no operator is attached.

// operatorHooks wraps the kiosk's Store: it marks the response being saved
// as assisted when the operator said so, and after a durable save resets
// that mark and tells the listeners. The kiosk saves on the UI goroutine,
// so the listeners run there too.
type operatorHooks struct {
	Store
	assisted bool
	onSaved  []func(*survey.Response)
}

// SaveResponse stamps r.Assisted and saves r; after a successful save the
// assisted mark is reset (it belongs to one citizen) and the listeners run.
// A failed save keeps the mark, so the kiosk's Retry saves r with it.
func (h *operatorHooks) SaveResponse(ctx context.Context, r *survey.Response) error {
	r.Assisted = h.assisted
	if err := h.Store.SaveResponse(ctx, r); err != nil {
		return err
	}
	h.assisted = false
	for _, fn := range h.onSaved {
		fn(r)
	}
	return nil
}

// hooks returns the kiosk's operator hooks, putting them between the kiosk
// and its store on first use.
func (k *Kiosk) hooks() *operatorHooks {
	if h, ok := k.deps.Store.(*operatorHooks); ok {
		return h
	}
	h := &operatorHooks{Store: k.deps.Store}
	k.deps.Store = h
	return h
}

// OnSaved registers fn, called on the UI goroutine after each response
// (complete or abandoned) is durably saved, with the response as stored.
func (k *Kiosk) OnSaved(fn func(*survey.Response)) {
	h := k.hooks()
	h.onSaved = append(h.onSaved, fn)
}

// SetAssisted marks the response being collected as read aloud by staff.
// The mark goes on the next response saved (completed or abandoned by idle
// reset or a survey switch) and is then cleared for the next citizen.
func (k *Kiosk) SetAssisted(on bool) { k.hooks().assisted = on }

// Assisted reports whether the response being collected is marked assisted.
func (k *Kiosk) Assisted() bool { return k.hooks().assisted }

// SetFrame shows every kiosk screen, from the current one on, as
// frame(screen): the operator panel puts the screen beside its own
// controls. frame must return a canvas object holding screen.
//
// The kiosk's own screens are framed; content set on the window by others
// (the admin panel shows itself in the kiosk window and later puts back
// what it found) is shown as given, so the admin panel has the whole window
// and the operator cannot change the kiosk under it.
func (k *Kiosk) SetFrame(frame func(screen fyne.CanvasObject) fyne.CanvasObject) {
	fw, ok := k.win.(*framedWindow)
	if !ok {
		fw = &framedWindow{Window: k.win, k: k}
		k.win = fw
	}
	fw.frame = frame
	fw.gen = k.gen
	fw.Window.SetContent(frame(fw.screen()))
}

// framedWindow is the kiosk window with operator mode on. The kiosk shows
// a screen by bumping k.gen and then calling SetContent (setScreen), so a
// SetContent that comes with a new generation is a kiosk screen, framed;
// any other is someone else's content, shown as is.
type framedWindow struct {
	fyne.Window
	k     *Kiosk
	frame func(fyne.CanvasObject) fyne.CanvasObject
	gen   int
	inner fyne.CanvasObject // the kiosk screen inside the frame
}

// SetContent frames the kiosk's screens.
func (w *framedWindow) SetContent(c fyne.CanvasObject) {
	if w.k.gen == w.gen {
		w.Window.SetContent(c)
		return
	}
	w.gen = w.k.gen
	w.inner = c
	w.Window.SetContent(w.frame(c))
}

// screen returns the kiosk screen on show, unframed.
func (w *framedWindow) screen() fyne.CanvasObject {
	if w.inner != nil {
		return w.inner
	}
	w.inner = w.Window.Content()
	return w.inner
}
