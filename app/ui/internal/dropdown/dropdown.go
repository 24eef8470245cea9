// Package dropdown is the drop-down list the kiosk's panels use: Fyne's
// widget.Select, safe to tap before it is on screen.
//
// Why: a Fyne window learns which canvas an object belongs to only when it
// next paints. A tap handled before that (the user tapped where the
// previous screen's button was, in the events of the same frame, or while
// the UI goroutine was busy) reaches the new screen's objects, and
// widget.Select then opens its list on a nil canvas and panics, taking the
// kiosk down. Such a tap was aimed at the screen that was on show, not at
// this list, so it is dropped.
package dropdown

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// Select is widget.Select that ignores taps and keys that arrive before
// the window has drawn it.
type Select struct {
	widget.Select
}

// New returns a Select of options; changed is called with the option
// chosen.
func New(options []string, changed func(string)) *Select {
	s := &Select{}
	s.Options = options
	s.OnChanged = changed
	s.ExtendBaseWidget(s)
	return s
}

// onScreen reports whether the window has drawn s.
func (s *Select) onScreen() bool {
	return fyne.CurrentApp().Driver().CanvasForObject(s) != nil
}

// Tapped opens the list, once s is on screen.
func (s *Select) Tapped(e *fyne.PointEvent) {
	if s.onScreen() {
		s.Select.Tapped(e)
	}
}

// TypedKey handles the keys that open or move the list, once s is on
// screen.
func (s *Select) TypedKey(e *fyne.KeyEvent) {
	if s.onScreen() {
		s.Select.TypedKey(e)
	}
}
