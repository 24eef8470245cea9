package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/survey"
	"github.com/hailong-kiosk/hailong/sync/protocol"
)

// ScanTime is how long the thank-you screen stays once the citizen said
// they will scan its QR code (unless they tap Done sooner): time to take
// out a phone, open the camera and scan.
const ScanTime = 90 * time.Second

// ThankYou is shown once a response is durably saved, and returns to the
// welcome screen after the configured timeout, or ScanTime once the
// citizen tapped Scan. Its QR code is the first of the portal links the
// admin configured (none when there are none).
type ThankYou struct {
	Title *widget.Label
	Body  *widget.Label
	QR    *qrPanel
	// Scan keeps the screen up for ScanTime; Scanning then says so.
	Scan     *widget.Button
	Scanning *widget.Label
	// Receipt shows the response's receipt code (protocol.ReceiptOf),
	// which the citizen can check on the hub's public page; nil on a kiosk
	// not enrolled with a hub, whose responses get their device id, and so
	// other content, only when they are sent.
	Receipt *canvas.Text
	Done    *widget.Button
	root    fyne.CanvasObject

	response *survey.Response // the response saved, to build the screen again
}

func newThankYou(k *Kiosk, r *survey.Response) (*ThankYou, error) {
	k.fitScale()
	tr := k.tr
	sc := scale()
	t := &ThankYou{response: r}
	t.Title = label(tr.T("thanks.title"), theme.SizeNameHeadingText, true)
	t.Title.Alignment = fyne.TextAlignCenter
	t.Body = label(tr.T("thanks.body"), theme.SizeNameSubHeadingText, false)
	t.Body.Alignment = fyne.TextAlignCenter
	var qr fyne.CanvasObject = layout.NewSpacer()
	if links := k.cfg.Links; len(links) > 0 {
		var err error
		if t.QR, err = newQRPanel(links[0].URL, k.text(links[0].Title), 210*sc); err != nil {
			return nil, err
		}
		t.Scan = widget.NewButtonWithIcon(tr.T("thanks.scan"), theme.VisibilityIcon(), k.guard("scan", k.scanThanks))
		t.Scanning = label(tr.T("thanks.scanning"), theme.SizeNameText, true)
		t.Scanning.Alignment = fyne.TextAlignCenter
		t.Scanning.Hide()
		// The button beside the code, not under it: the screen has width
		// to spare, not height.
		qr = container.NewCenter(container.NewHBox(fixedWidth(t.QR.root, 400*sc),
			fixedWidth(container.NewVBox(layout.NewSpacer(), bigButton(t.Scan, 64*sc), t.Scanning, layout.NewSpacer()), 360*sc)))
	}
	var receipt fyne.CanvasObject = layout.NewSpacer()
	if r != nil && r.DeviceID != "" {
		code, err := protocol.ReceiptOf(r)
		if err != nil {
			return nil, err
		}
		// A canvas.Text, one line without a label's inner padding, so
		// the screen still fits 1280×800.
		text := tr.T("thanks.receipt", map[string]any{"Code": code.String()})
		if k.receiptsURL != "" {
			// The page where it is checked, when it fits the line: a
			// citizen types it from there.
			page := strings.TrimPrefix(strings.TrimPrefix(k.receiptsURL, "https://"), "http://")
			if at := tr.T("thanks.receipt_at", map[string]any{"Code": code.String(), "Page": page}); k.fitsOneLine(at) {
				text = at
			}
		}
		t.Receipt = canvas.NewText(text, theme.Color(theme.ColorNameForeground))
		t.Receipt.TextSize = theme.TextSize()
		t.Receipt.Alignment = fyne.TextAlignCenter
		receipt = t.Receipt
	}
	t.Done = widget.NewButtonWithIcon(tr.T("thanks.done"), theme.HomeIcon(), k.guard("done", k.Home))
	face := canvas.NewImageFromResource(k.icons.answer[survey.CodeVerySatisfied])
	faceSrc := k.icons.faceImage(survey.CodeVerySatisfied) // drawn once, not per layout
	if faceSrc != nil {
		face = canvas.NewImageFromImage(faceSrc.src)
	}
	face.FillMode = canvas.ImageFillContain
	face.SetMinSize(fyne.NewSquareSize(110 * sc))
	t.root = container.NewPadded(column(-1,
		layout.NewSpacer(), container.NewCenter(k.pixelImage(face, faceSrc)), t.Title, t.Body,
		qr,
		receipt,
		layout.NewSpacer(),
		container.NewCenter(bigButton(t.Done, 80*sc)),
	))
	return t, nil
}

// scanThanks keeps the thank-you screen up for ScanTime from now.
func (k *Kiosk) scanThanks() {
	t := k.Thanks
	if t == nil || t.Scan == nil {
		return
	}
	t.Scan.Hide()
	t.Scanning.Show()
	k.after(ScanTime, k.home)
}

// fitsOneLine reports whether s, in one line at the text size, fits the
// width the next screen gets (fitScale's area), inside the screen's
// padding.
func (k *Kiosk) fitsOneLine(s string) bool {
	area := k.area
	if area.Width <= 0 {
		area = k.win.Canvas().Size()
	}
	return fyne.MeasureText(s, theme.TextSize(), fyne.TextStyle{}).Width <= area.Width-4*theme.Padding()
}
