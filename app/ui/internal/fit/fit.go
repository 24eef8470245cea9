// Package fit is what the layout tests under app/ui share: the screen
// sizes the kiosk must fit and a check that a laid-out canvas fits them.
// Only _test files import it.
package fit

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// Screens are the sizes the kiosk must fit: cheap kiosk tablets, 16:10
// kiosks, most laptops here, and full HD.
var Screens = []fyne.Size{{Width: 1024, Height: 600}, {Width: 1280, Height: 800}, {Width: 1366, Height: 768}, {Width: 1920, Height: 1080}}

// Check fails t unless c is no larger than the window size it was given
// (its content never made it grow), everything tappable on c lies fully
// inside it, so does every piece of text (none is cut at an edge, none is
// wider than the room it was given),
// each button's (and key's) caption fits it, no object is reached twice (an
// object with two parents is drawn at both places), and c's content asks for no more
// than c's size (else the window would grow past its screen); with
// minTarget > 0 every target is also at least that high. It returns how
// many tappable objects it saw. Call it on the UI goroutine.
func Check(t testing.TB, name string, c fyne.Canvas, window fyne.Size, minTarget float32) int {
	t.Helper()
	size := c.Size()
	if size.Width > window.Width+0.5 || size.Height > window.Height+0.5 {
		t.Errorf("%s: the canvas grew to %v, larger than the %v it was given", name, size, window)
	}
	if m := c.Content().MinSize(); m.Width > size.Width || m.Height > size.Height {
		t.Errorf("%s: content asks for %v, more than the %v canvas: the window would grow", name, m, size)
	}
	d := fyne.CurrentApp().Driver()
	n := 0
	seen := map[fyne.CanvasObject]bool{}
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if seen[o] {
			t.Errorf("%s: %T %s is in two places of the screen: it is drawn twice", name, o, describe(o))
			return
		}
		seen[o] = true
		if p, ok := o.(*widget.PopUp); ok { // taps outside dismiss it
			walk(p.Content)
			return
		}
		if _, ok := o.(fyne.Tappable); ok {
			n++
			pos, sz := d.AbsolutePositionForObject(o), o.Size()
			what := fmt.Sprintf("%s: %T", name, o)
			caption, captioned := "", false
			switch b := o.(type) {
			case *widget.Button:
				caption, captioned = b.Text, true
			case interface{ Text() string }: // an on-screen key
				caption, captioned = b.Text(), true
			}
			if captioned {
				what += fmt.Sprintf(" %q", caption)
				if m := o.MinSize(); m.Width > sz.Width+0.5 {
					t.Errorf("%s: caption needs %.0f wide, the button is %.0f", what, m.Width, sz.Width)
				}
			}
			const eps = 0.5
			inside(t, what, pos, sz, size)
			if sz.Width <= 0 || sz.Height <= 0 {
				t.Errorf("%s: laid out %v", what, sz)
			}
			if sz.Height < minTarget-eps {
				t.Errorf("%s: %.0f high, under %.0f", what, sz.Height, minTarget)
			}
			return
		}
		switch x := o.(type) {
		case *canvas.Text:
			if x.Text != "" {
				what := fmt.Sprintf("%s: text %q", name, x.Text)
				inside(t, what, d.AbsolutePositionForObject(o), o.Size(), size)
				if m := x.MinSize(); m.Width > o.Size().Width+0.5 {
					t.Errorf("%s: needs %.0f wide, has %.0f: it is drawn past its edges", what, m.Width, o.Size().Width)
				}
			}
		case *container.Scroll:
			// A list of form fields may scroll: the viewport must be on
			// the canvas, the rows are reached by scrolling. Actions do
			// not go in a scroll (tests check them with Inside).
			inside(t, fmt.Sprintf("%s: %T", name, o), d.AbsolutePositionForObject(o), o.Size(), size)
		case *fyne.Container:
			for _, k := range x.Objects {
				walk(k)
			}
		case fyne.Widget:
			for _, k := range test.WidgetRenderer(x).Objects() {
				walk(k)
			}
		}
	}
	walk(c.Content())
	for _, o := range c.Overlays().List() {
		walk(o)
	}
	return n
}

// describe names o for a message: its text, if it has one.
func describe(o fyne.CanvasObject) string {
	switch x := o.(type) {
	case *widget.Label:
		return fmt.Sprintf("%q", x.Text)
	case *widget.Button:
		return fmt.Sprintf("%q", x.Text)
	case *canvas.Text:
		return fmt.Sprintf("%q", x.Text)
	}
	return ""
}

// inside fails t unless the object at pos of size sz lies on a canvas of
// the given size.
func inside(t testing.TB, what string, pos fyne.Position, sz, canvas fyne.Size) {
	t.Helper()
	const eps = 0.5
	if pos.X < -eps || pos.Y < -eps || pos.X+sz.Width > canvas.Width+eps || pos.Y+sz.Height > canvas.Height+eps {
		t.Errorf("%s at %v size %v: not inside the %v canvas", what, pos, sz, canvas)
	}
}

// Inside fails t unless each of objs (actions, which no one should have to
// scroll to) lies on c.
func Inside(t testing.TB, name string, c fyne.Canvas, objs ...fyne.CanvasObject) {
	t.Helper()
	d := fyne.CurrentApp().Driver()
	for _, o := range objs {
		inside(t, fmt.Sprintf("%s: %T", name, o), d.AbsolutePositionForObject(o), o.Size(), c.Size())
	}
}
