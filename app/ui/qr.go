package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"
)

// qrPanel is one QR code with its caption.
type qrPanel struct {
	URL     string
	Image   *canvas.Image
	Caption *widget.Label
	root    fyne.CanvasObject
}

// newQRPanel encodes url at medium error correction (scannable from a
// phone at arm's length, survives a smudge) with the standard 4-module
// quiet zone, as the texture the painter makes of it (textureImage). The
// image keeps its aspect (ImageFillContain) inside a square minimum of
// side points, and scales by whole pixels so modules stay sharp.
func newQRPanel(url, caption string, side float32) (*qrPanel, error) {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr code for %s: %w", url, err)
	}
	img := canvas.NewImageFromImage(textureImage(q.Image(-8)))
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScalePixels
	img.SetMinSize(fyne.NewSquareSize(side))
	lbl := widget.NewLabel(caption)
	lbl.Alignment = fyne.TextAlignCenter
	lbl.Wrapping = fyne.TextWrapWord
	p := &qrPanel{URL: url, Image: img, Caption: lbl}
	// The image takes all the room its caption leaves, at least side
	// square; it keeps its aspect inside.
	p.root = container.NewBorder(nil, lbl, nil, nil, img)
	return p, nil
}
