package ui

import (
	"image"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/driver/mobile"
	"fyne.io/fyne/v2/widget"
)

// AdminHold is how long the logo must be held to open the admin panel.
const AdminHold = 3 * time.Second

// logo is the app logo; holding it for AdminHold calls onHold (the hidden
// way into the admin panel on a touch screen without a keyboard). Touch
// screens under X11 deliver touches as mouse button events; mobile
// drivers deliver touch events: both are handled.
type logo struct {
	widget.BaseWidget
	img    *canvas.Image
	clock  Clock
	onHold func()
	timer  Timer
}

func newLogo(img image.Image, side float32, clock Clock, onHold func()) *logo {
	l := &logo{img: canvas.NewImageFromImage(img), clock: clock, onHold: onHold}
	l.img.FillMode = canvas.ImageFillContain
	l.img.SetMinSize(fyne.NewSquareSize(side))
	l.ExtendBaseWidget(l)
	return l
}

func (l *logo) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(l.img) }

func (l *logo) press() {
	l.release()
	l.timer = l.clock.AfterFunc(AdminHold, func() {
		fyne.Do(func() {
			l.timer = nil
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
}

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
