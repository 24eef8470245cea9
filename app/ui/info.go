package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/hailong-kiosk/hailong/app/survey"
)

// qrMinSide is the least side of an info screen's QR code, in points: a
// phone held at arm's length still reads it.
const qrMinSide = 96

// infoSizes are the text sizes an info screen's text may take, largest
// first: the largest at which it fits its area is used.
var infoSizes = []fyne.ThemeSizeName{theme.SizeNameSubHeadingText, theme.SizeNameText}

// infoBody builds an info screen's content under its heading: the text at
// the largest size that fits, beside the picture and the QR code with its
// caption (each scaled to the room it gets, keeping its aspect). Nothing on
// it is tapped: a text too long for even the smallest size scrolls (Back
// and Next stay outside the scroll).
func (s *QuestionScreen) infoBody() fyne.CanvasObject {
	k, q := s.k, s.Question
	s.Text.SizeName = infoSizes[0]
	s.Text.TextStyle.Bold = false
	text := container.New(&fitTextLayout{label: s.Text}, container.NewVScroll(s.Text))

	if q.Image != "" {
		img, err := survey.DecodeImage(q.Image)
		if err != nil { // Validate decoded it when the survey was loaded
			k.log.Error("info screen image", "screen", q.Code, "err", err)
		} else {
			s.Image = canvas.NewImageFromImage(img)
			s.Image.FillMode = canvas.ImageFillContain
			s.Image.ScaleMode = canvas.ImageScaleSmooth
			s.Image.SetMinSize(fyne.NewSquareSize(48))
		}
	}
	if q.QR != nil {
		p, err := newQRPanel(q.QR.URL, k.text(q.QR.Caption), max(qrMinSide, 120*scale()))
		if err != nil {
			k.log.Error("info screen QR code", "screen", q.Code, "err", err)
		} else {
			s.QR = p
		}
	}
	var side fyne.CanvasObject
	switch {
	case s.Image != nil && s.QR != nil:
		// The picture above, the QR code below with most of the
		// height and never less than it needs to be scanned.
		side = container.New(mediaLayout{}, s.Image, s.QR.root)
	case s.Image != nil:
		side = s.Image
	case s.QR != nil:
		side = s.QR.root
	default:
		return text
	}
	return container.New(&sideLayout{fraction: 0.36}, text, side)
}

// fitTextLayout lays out a scroll holding label over the whole area, the
// label at the largest of infoSizes at which its wrapped text fits the
// height: the scroll moves only when even the smallest does not fit.
type fitTextLayout struct {
	label         *widget.Label
	width, height float32 // the area the size was chosen for
}

func (l *fitTextLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(0, 0) }

func (l *fitTextLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width <= 0 || size.Height <= 0 {
		return
	}
	if size.Width != l.width || size.Height != l.height {
		l.width, l.height = size.Width, size.Height
		for _, sz := range infoSizes {
			if l.label.SizeName != sz {
				l.label.SizeName = sz
				l.label.Refresh()
			}
			l.label.Resize(fyne.NewSize(size.Width, size.Height))
			if l.label.MinSize().Height <= size.Height {
				break
			}
		}
	}
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
}

// titleOrSpace is an info screen's heading, or nothing when it has none.
func (s *QuestionScreen) titleOrSpace() fyne.CanvasObject {
	if s.Title == nil {
		return layout.NewSpacer()
	}
	return s.Title
}

// mediaLayout stacks a picture over a QR panel: the panel takes 60% of the
// height, or more when its minimum (a scannable code and its caption)
// needs it, and the picture the rest.
type mediaLayout struct{}

func (mediaLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return objs[1].MinSize().AddWidthHeight(0, objs[0].MinSize().Height+theme.Padding())
}

func (mediaLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	gap := theme.Padding()
	qrH := min(size.Height, max(objs[1].MinSize().Height, (size.Height-gap)*0.6))
	picH := max(0, size.Height-qrH-gap)
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(fyne.NewSize(size.Width, picH))
	objs[1].Move(fyne.NewPos(0, size.Height-qrH))
	objs[1].Resize(fyne.NewSize(size.Width, qrH))
}
