package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// PortalURL is the Hanoi public service portal the thank-you screen links.
const PortalURL = "https://dichvucong.hanoi.gov.vn"

// ThankYou is shown once a response is durably saved, and returns to the
// welcome screen after the configured timeout.
type ThankYou struct {
	Title *widget.Label
	Body  *widget.Label
	QR    *qrPanel
	Done  *widget.Button
	root  fyne.CanvasObject
}

func newThankYou(k *Kiosk) (*ThankYou, error) {
	k.fitScale()
	tr := k.tr
	sc := scale()
	t := &ThankYou{}
	t.Title = label(tr.T("thanks.title"), theme.SizeNameHeadingText, true)
	t.Title.Alignment = fyne.TextAlignCenter
	t.Body = label(tr.T("thanks.body"), theme.SizeNameSubHeadingText, false)
	t.Body.Alignment = fyne.TextAlignCenter
	var err error
	if t.QR, err = newQRPanel(PortalURL, tr.T("thanks.qr"), 210*sc); err != nil {
		return nil, err
	}
	t.Done = widget.NewButtonWithIcon(tr.T("thanks.done"), theme.HomeIcon(), k.Home)
	face := canvas.NewImageFromResource(k.icons.answer["rhl"])
	face.FillMode = canvas.ImageFillContain
	face.SetMinSize(fyne.NewSquareSize(110 * sc))
	t.root = container.NewPadded(column(-1,
		layout.NewSpacer(), container.NewCenter(face), t.Title, t.Body,
		container.NewCenter(fixedWidth(t.QR.root, 520*sc)),
		layout.NewSpacer(),
		container.NewCenter(bigButton(t.Done, 80*sc)),
	))
	return t, nil
}
