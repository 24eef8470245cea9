package ui

import (
	"image/color"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// IdleWarning is how long before idle reset the kiosk warns, counting
// down the seconds left; any touch cancels the reset.
const IdleWarning = 10 * time.Second

// idleWarning covers the whole window in the last seconds before idle
// reset: the countdown, and a touch anywhere on it keeps the citizen's
// survey going.
type idleWarning struct {
	widget.BaseWidget
	// Message says how many seconds are left; Continue is the caption
	// telling the citizen to touch the screen.
	Message  *widget.Label
	Continue *widget.Label
	onTap    func()
	content  fyne.CanvasObject
}

func newIdleWarning(onTap func()) *idleWarning {
	w := &idleWarning{onTap: onTap}
	w.Message = label("", theme.SizeNameSubHeadingText, true)
	w.Message.Alignment = fyne.TextAlignCenter
	w.Continue = label("", theme.SizeNameHeadingText, true)
	w.Continue.Alignment = fyne.TextAlignCenter
	w.Continue.Importance = widget.HighImportance
	shade := canvas.NewRectangle(color.NRGBA{A: 0x99})
	card := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	card.CornerRadius = 12
	card.StrokeColor = theme.Color(theme.ColorNamePrimary)
	card.StrokeWidth = 4
	body := container.NewPadded(container.NewPadded(container.NewVBox(w.Message, w.Continue)))
	w.content = container.NewStack(shade, container.NewVBox(layout.NewSpacer(),
		container.NewHBox(layout.NewSpacer(), container.NewStack(card, fixedWidth(body, 640)), layout.NewSpacer()),
		layout.NewSpacer()))
	w.ExtendBaseWidget(w)
	return w
}

func (w *idleWarning) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(w.content)
}

// Tapped cancels the reset.
func (w *idleWarning) Tapped(*fyne.PointEvent) { w.onTap() }

// warnIdle shows the countdown to deadline, once a second, and returns
// to the welcome screen when it runs out; a touch (touch) cancels it.
func (k *Kiosk) warnIdle(deadline time.Time) {
	left := deadline.Sub(k.clock.Now())
	if left <= 0 || k.session == nil {
		k.stopIdleWarning()
		k.home()
		return
	}
	if k.idle == nil {
		k.idle = newIdleWarning(k.guard("idle warning", k.touch))
		c := k.win.Canvas()
		k.idle.Resize(c.Size())
		c.Overlays().Add(k.idle)
	}
	secs := int(math.Ceil(left.Seconds()))
	k.idle.Message.SetText(k.tr.T("idle.warning", map[string]int{"Seconds": secs}))
	k.idle.Continue.SetText(k.tr.T("idle.continue"))
	step := left - time.Duration(secs-1)*time.Second // to the next whole second
	k.after(step, func() { k.warnIdle(deadline) })
}

// stopIdleWarning takes the countdown off the window.
func (k *Kiosk) stopIdleWarning() {
	if k.idle != nil {
		k.win.Canvas().Overlays().Remove(k.idle)
		k.idle = nil
	}
}

// IdleWarningShown returns the countdown's message while it is on show,
// or "".
func (k *Kiosk) IdleWarningShown() string {
	if k.idle == nil {
		return ""
	}
	return k.idle.Message.Text
}
