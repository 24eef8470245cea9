package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// PortalURL is the Hanoi public service portal the thank-you screen links.
const PortalURL = "https://dichvucong.hanoi.gov.vn"

// ThankYou is shown once a response is durably saved, and returns to the
// welcome screen after the configured timeout.
type ThankYou struct {
	Title *widget.Label
	Body  *widget.Label
	QR    *qrPanel
	// Receipt shows the response's receipt code (protocol.ReceiptOf),
	// which the citizen can check on the hub's public page; nil on a kiosk
	// not enrolled with a hub, whose responses get their device id, and so
	// other content, only when they are sent.
	Receipt *canvas.Text
	Done    *widget.Button
	root    fyne.CanvasObject
}

func newThankYou(k *Kiosk, r *survey.Response) (*ThankYou, error) {
	tr := k.tr
	t := &ThankYou{}
	t.Title = label(tr.T("thanks.title"), theme.SizeNameHeadingText, true)
	t.Title.Alignment = fyne.TextAlignCenter
	t.Body = label(tr.T("thanks.body"), theme.SizeNameSubHeadingText, false)
	t.Body.Alignment = fyne.TextAlignCenter
	var err error
	if t.QR, err = newQRPanel(PortalURL, tr.T("thanks.qr"), 210); err != nil {
		return nil, err
	}
	var receipt fyne.CanvasObject = layout.NewSpacer()
	if r != nil && r.DeviceID != "" {
		code, err := protocol.ReceiptOf(r)
		if err != nil {
			return nil, err
		}
		// A canvas.Text, one line without a label's inner padding, so
		// the screen still fits 1280×800.
		t.Receipt = canvas.NewText(tr.T("thanks.receipt", map[string]any{"Code": code.String()}), theme.Color(theme.ColorNameForeground))
		t.Receipt.TextSize = theme.TextSize()
		t.Receipt.Alignment = fyne.TextAlignCenter
		receipt = t.Receipt
	}
	t.Done = widget.NewButtonWithIcon(tr.T("thanks.done"), theme.HomeIcon(), k.Home)
	face := canvas.NewImageFromResource(k.icons.answer["rhl"])
	face.FillMode = canvas.ImageFillContain
	face.SetMinSize(fyne.NewSquareSize(110))
	t.root = container.NewPadded(container.NewVBox(
		layout.NewSpacer(), container.NewCenter(face), t.Title, t.Body,
		container.NewCenter(fixedWidth(t.QR.root, 520)),
		receipt,
		layout.NewSpacer(),
		container.NewCenter(bigButton(t.Done, 80)),
	))
	return t, nil
}
