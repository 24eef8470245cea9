package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/driver/mobile"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// AdminHold is how long the logo must be held to open the admin panel.
const AdminHold = 3 * time.Second

// logo is the app logo; holding it for AdminHold calls onHold (the hidden
// way into the admin panel on a touch screen without a keyboard). Touch
// screens under X11 deliver touches as mouse button events; mobile
// drivers deliver touch events: both are handled.
//
// While it is held, a bar under the logo fills up over AdminHold, so the
// admin sees that holding works and how long is left.
type logo struct {
	widget.BaseWidget
	img    *canvas.Image
	src    *scaledImages     // img's picture at each size it is drawn at
	scale  func() float32    // the canvas's scale
	bar    *canvas.Rectangle // the hold's progress, hidden when not held
	clock  Clock
	onHold func()
	timer  Timer
	since  time.Time // when the hold began
}

// holdSteps is how many times the bar grows during a hold.
const holdSteps = 12

func newLogo(src *scaledImages, scale func() float32, side float32, clock Clock, onHold func()) *logo {
	l := &logo{img: canvas.NewImageFromImage(src.src), src: src, scale: scale, clock: clock, onHold: onHold}
	l.img.FillMode = canvas.ImageFillContain
	l.img.SetMinSize(fyne.NewSquareSize(side))
	l.bar = canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	l.bar.Hide()
	l.ExtendBaseWidget(l)
	return l
}

func (l *logo) CreateRenderer() fyne.WidgetRenderer {
	return &logoRenderer{l: l, objs: []fyne.CanvasObject{l.img, l.bar}}
}

// HoldProgress is how far the current hold is, from 0 (not held) to 1.
func (l *logo) HoldProgress() float32 {
	if l.timer == nil {
		return 0
	}
	return min(1, float32(l.clock.Now().Sub(l.since))/float32(AdminHold))
}

func (l *logo) press() {
	l.release()
	l.since = l.clock.Now()
	l.bar.Show()
	l.step(1)
}

// step schedules the bar's n-th growth; the last one opens the panel.
func (l *logo) step(n int) {
	l.timer = l.clock.AfterFunc(AdminHold/holdSteps, func() {
		fyne.Do(func() {
			if l.timer == nil {
				return // released meanwhile
			}
			if n < holdSteps {
				l.step(n + 1)
				l.Refresh()
				return
			}
			l.release()
			if l.onHold != nil {
				l.onHold()
			}
		})
	})
}

func (l *logo) release() {
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	l.bar.Hide()
	l.Refresh()
}

// logoRenderer draws the logo with the hold's bar along its bottom edge.
type logoRenderer struct {
	l    *logo
	objs []fyne.CanvasObject
}

func (r *logoRenderer) Layout(size fyne.Size) {
	fitPixels(r.l.img, r.l.src, fyne.NewPos(0, 0), size, r.l.scale())
	const h = 8
	r.l.bar.Resize(fyne.NewSize(size.Width*r.l.HoldProgress(), h))
	r.l.bar.Move(fyne.NewPos(0, size.Height-h))
}

func (r *logoRenderer) MinSize() fyne.Size           { return r.l.img.MinSize() }
func (r *logoRenderer) Refresh()                     { r.Layout(r.l.Size()); canvas.Refresh(r.l.bar) }
func (r *logoRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *logoRenderer) Destroy()                     {}

// MouseDown starts the hold.
func (l *logo) MouseDown(*desktop.MouseEvent) { l.press() }

// MouseUp ends the hold early.
func (l *logo) MouseUp(*desktop.MouseEvent) { l.release() }

// TouchDown starts the hold.
func (l *logo) TouchDown(*mobile.TouchEvent) { l.press() }

// TouchUp ends the hold early.
func (l *logo) TouchUp(*mobile.TouchEvent) { l.release() }

// TouchCancel ends the hold early.
func (l *logo) TouchCancel(*mobile.TouchEvent) { l.release() }

var (
	_ desktop.Mouseable = (*logo)(nil)
	_ mobile.Touchable  = (*logo)(nil)
)
